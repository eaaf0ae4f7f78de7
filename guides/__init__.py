"""The carbon-neutral scenic area implementation guide (《碳中和景区实施指南》) as versioned data.

``guides/versions/<n>.toml`` are the published versions: the guide's text, the
standards it follows, its criteria (which drive the certification checklist), the
automatic rules they name and the offset-rule parameters. ``guides.core`` parses and
checks them (`load_guide`, `parse_guide`).
"""
