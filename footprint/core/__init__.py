"""The pure domain core of footprints: no Flask, no database; deterministic and fast.

`datasets` (factor datasets: parsing, derived factors), `trips`, `inventory` and
`products` (the calculations), `batch` (trip lines in bulk), `categories` (published
product footprint ranges), `units` and `quantities` (exact Decimal arithmetic, caps,
rounding at the edge), `datafiles` (readers shared by every data file) and `errors`.
"""
