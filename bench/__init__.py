"""Benchmarks of the footprint service, run with one command from the repository root::

    .venv/bin/python -m bench                 # all three parts
    .venv/bin/python -m bench http core       # or: http, core, batch, registry, pdf

The suite sets itself up in a temporary directory (an SQLite database migrated with
``flask db upgrade`` and the bundled CN-2024 dataset published), prints a short report
and writes ``bench/out/results.json``. It exits with status 1 when a check fails or a
target is missed.

- ``http``:  gunicorn (2 sync workers) driven by wrk on loopback, ``GET /healthz`` and
  ``POST /api/v1/footprints/trips`` in alternating runs; target trips/healthz ≥ 0.70.
- ``core``:  :func:`footprint.core.trips.calculate_trip` alone on one core; target
  ≥ 50,000 trips/s.
- ``batch``: ``flask footprints batch`` on generated exports of 100k, 1M and 2M lines;
  targets 1M lines in ≤ 5 s and a peak RSS that does not grow with the file.
- ``registry``: 1,000,000 credits in 10,000 blocks; serial look-ups/s, retirements/s and
  the query plans, which must be index-backed (:mod:`bench.registry`).
- ``pdf``: a certificate PDF against a bare reportlab page in the same font, and QR
  symbols (:mod:`bench.pdf`); target ≤ 8 ms median per certificate.
"""
