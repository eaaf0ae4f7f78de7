"""Footprints: the emission-factor library, trip, venue and product footprints — and,
beneath every feature, the platform and accounts.

- ``footprint.core``      pure domain code (no Flask, no database): units, quantities,
                          factor datasets, trip, inventory and product calculation
- ``footprint.platform``  the kernel every feature stands on: app factory, configuration,
                          database and column types, problems, OpenAPI, health, the
                          activity log, shared web and PDF helpers
- ``footprint.accounts``  organisations, users, tokens, passwords and sessions
- ``footprint.models``    persistence of datasets, venues, inventories and products
- ``footprint.services``  use cases behind the views (Warehouse style)
- ``footprint.web``, ``footprint.cli``  the API blueprints, the public pages (home,
                          trip calculator), the operators' workspace and the commands

Imports go one way, down this list read from the bottom up (see the README's map).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the footprint API, the public pages and the commands.

    Imported here rather than at the top so that importing ``footprint.core`` (the
    benchmarks and the fast tests do) loads no Flask views.
    """
    from footprint import cli, models  # noqa: F401  (models: on the metadata for Alembic)
    from footprint.platform import openapi, upgrade
    from footprint.services import datasets
    from footprint.web import (
        activity_data,  # noqa: F401  (its pages are on `workspace`'s)
        factors,
        places,
        product_pages,  # noqa: F401  (its pages are on `workspace`'s)
        products,
        public,
        trips,
        venues,
        workspace,
    )

    openapi.register(factors.blp, trips.blp, places.blp, venues.blp, products.blp)
    app.register_blueprint(public.pages)
    app.register_blueprint(workspace.pages)
    app.cli.add_command(cli.factors)
    app.cli.add_command(cli.footprints)
    upgrade.after_upgrade(app, datasets.publish_bundled)
