"""Certification: the forest-sink credit registry, offset verification, verifiers,
applications through the guide's workflow, signed certificates and carbon labels, and
their verification online and offline.

- ``certify.core``      pure domain code: serials, ledger replay, offset eligibility,
                        the checklist, the workflow state machine, the hash chain, signing
- ``certify.models``    persistence, one module per domain
- ``certify.services``  use cases behind the views
- ``certify.pdf``       certificates, labels and print sheets as PDF
- ``certify.web``, ``certify.cli``  the API blueprints, pages and commands
- ``certify.keystore``, ``certify.offline``  the signing keys on disk; offline checks
- ``certify.demo``      the demo: a certified scenic area built through every service
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the certification API, pages and commands (imported here: see `footprint`)."""
    from certify import cli, demo, models  # noqa: F401  (models: on the metadata)
    from certify.services import assignments, sequestration
    from certify.services import keys as key_stores
    from certify.web import (
        admin,
        admin_publishing,
        admin_registry,
        application_pages,
        applications,
        certificates,
        credits,
        evidence,
        keys,
        label_pages,
        labels,
        offsets,
        open_data,
        progress,
        review,
        verifiers,
    )
    from certify.web.registry import api as registry_api
    from certify.web.registry import pages as registry_pages
    from footprint.platform import checks, openapi, upgrade
    from footprint.services import forest_sinks

    assignments.register()
    review.register_links()
    admin.register_links()
    openapi.register(
        registry_api.blp,
        offsets.blp,
        keys.blp,
        verifiers.blp,
        applications.blp,
        evidence.blp,
        certificates.blp,
        labels.blp,
        open_data.blp,
    )
    for pages in (
        admin.pages,
        admin_registry.pages,
        admin_publishing.pages,
        label_pages.pages,
        application_pages.pages,
        credits.pages,
        registry_pages.pages,
        offsets.pages,
        certificates.pages,
        open_data.pages,
        progress.pages,
        review.pages,
    ):
        app.register_blueprint(pages)
    for command in (cli.registry, cli.keys_group, cli.audit, cli.labels_group, demo.demo):
        app.cli.add_command(command)
    upgrade.after_upgrade(app, key_stores.ensure_signing_key)
    forest_sinks.provide(app, sequestration.verified_sink)
    checks.register(app, key_stores.signing_key_check)
