"""Footprints: the emission-factor library, trip and venue footprints, and the service kernel.

- ``footprint.core``    pure domain code (no Flask, no database): units, quantities,
                        factor datasets, trip and inventory calculation.
- ``footprint.service`` the application kernel shared by every feature: the app factory,
                        configuration, database, accounts and tokens, problem responses.
- ``footprint.models``  persistence of datasets, venues and inventories.
- ``footprint.services`` use cases behind the views (Warehouse style).
- ``footprint.web``     thin HTTP layer: blueprints and marshmallow schemas.
"""
