"""The public, searchable register of retirements at `/registry/retirements`."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from certify.services import registry
from certify.web.registry.present import present_retirement
from footprint.platform.pagination import page_asked
from footprint.platform.problems import Problem

pages = Blueprint("registry_pages", __name__)
PER_PAGE = 50


@pages.get("/registry/retirements")
def retirements() -> str:
    """Searchable by beneficiary, serial and project code."""
    args = {k: request.args.get(k, "").strip()[:200] for k in ("q", "serial", "project")}
    page = page_asked(request.args)
    filters: dict[str, object] = {"beneficiary": args["q"] or None}
    serial_error = ""
    if args["project"]:
        project = registry.project_by_code(args["project"].upper())
        filters["project_id"] = project.id if project else -1
    if args["serial"]:
        filters["serial"] = args["serial"]
    try:
        rows, total = registry.list_retirements(filters, page=page, per_page=PER_PAGE)
    except Problem as problem:  # only the serial can be refused
        rows, total = [], 0
        serial_error = (
            _("No issued credit has the serial %(serial)s.", serial=args["serial"])
            if problem.status == 404
            else _(
                "%(serial)s is not a serial: one looks like WLY-FS001-2024-000000123.",
                serial=args["serial"],
            )
        )

    def query(to_page: int) -> str:
        return "?" + urlencode({**{k: v for k, v in args.items() if v}, "page": to_page})

    return render_template(
        "registry/retirements.html",
        rows=[present_retirement(r) for r in rows],
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
        serial_error=serial_error,
        query=query,
    )
