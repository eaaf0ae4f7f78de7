"""The carbon-neutral scenic area implementation guide (《碳中和景区实施指南》) as versioned data.

``guides/versions/<n>.toml`` are the bundled versions (later ones the district publishes
are stored in the database, `guides.store`): the guide's text, the
standards it follows, its criteria (which drive the certification checklist), the
automatic rules they name and the offset-rule parameters. ``guides.core`` parses and
checks them (`load_guide`, `parse_guide`); ``guides.store`` finds a version in either
source and publishes new ones; ``guides.diff`` compares two versions; ``guides.pdf`` prints
them; ``guides.web`` serves them at `/guide` and `/api/v1/guides`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the guide's API and pages (imported here: see `footprint`)."""
    from footprint.platform import openapi
    from guides import store, web  # noqa: F401  (store: its model on the metadata)

    openapi.register(web.blp)
    app.register_blueprint(web.pages)
