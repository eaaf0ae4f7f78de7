"""Footprint use cases behind the views, each running one transaction's worth of work:
`datasets` (loading, publishing, reading factor datasets), `trips`, `venues`,
`inventories` and `products`. The actor comes first, everything else by keyword."""
