"""The pure domain core: no Flask, no database. Everything here is deterministic and fast."""
