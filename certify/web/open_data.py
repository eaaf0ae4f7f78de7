"""Open data (public): the Frictionless Data Package of the programme's records, its
detached signature, its CSV files, and the page `/open-data` that explains them.

`certify.services.open_data` makes the package; here it is served: the descriptor and
its JWS as exact bytes (with an ETag, so a client revalidates cheaply), each CSV
streamed as it is read, and the page, whose column lists come from the same Table
Schema the descriptor states.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import marshmallow as ma
from flask import Blueprint as PageBlueprint
from flask import Response, render_template, request, stream_with_context
from flask_babel import gettext
from marshmallow import fields

from certify.services import open_data
from certify.services.open_data import Resource
from footprint.platform.api_blueprint import Blueprint

blp = Blueprint(
    "open_data",
    __name__,
    url_prefix=open_data.PREFIX,
    description="Open data (public): a Frictionless Data Package of the programme's records "
    "(CC BY 4.0), its CSV files, and the district's signature over the descriptor.",
)
pages = PageBlueprint("open_data_pages", __name__)

CSV = {"type": "string", "format": "binary"}
JWS = {"type": "string", "description": "BASE64URL(header) '..' BASE64URL(signature)"}

VERIFY_SHELL = """\
BASE={base}/api/v1/open-data
curl -sfO "$BASE/datapackage.json" -sfO "$BASE/datapackage.json.jws"
curl -sf {base}/api/v1/keys -o keys.json
for name in {names}; do curl -sfO "$BASE/$name.csv"; done
# {files}
python3 -c 'import json
for r in json.load(open("datapackage.json"))["resources"]:
    print(r["hash"].removeprefix("sha256:") + "  " + r["name"] + ".csv")' | sha256sum -c
# {schemas}
frictionless validate datapackage.json"""

VERIFY_PYTHON = """\
import base64, json
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

descriptor = open("datapackage.json", "rb").read()
header, empty, signature = open("datapackage.json.jws").read().strip().split(".")
kid = json.loads(unb64url(header))["kid"]
jwk = next(k for k in json.load(open("keys.json"))["keys"] if k["kid"] == kid)
key = Ed25519PublicKey.from_public_bytes(unb64url(jwk["x"]))
key.verify(unb64url(signature), (header + "." + b64url(descriptor)).encode("ascii"))
print("datapackage.json is the district's, signed with key", kid)"""
"""What the page gives downloaders to run: it raises InvalidSignature on a forgery."""


class LicenceSchema(ma.Schema):
    name = fields.String()
    path = fields.String()
    title = fields.String()


class TableFieldSchema(ma.Schema):
    name = fields.String()
    type = fields.String(metadata={"description": "string, integer, number, date or datetime"})
    description = fields.String()
    constraints = fields.Dict()


class TableSchemaSchema(ma.Schema):
    columns = fields.List(fields.Nested(TableFieldSchema), data_key="fields")
    primary_key = fields.List(fields.String(), data_key="primaryKey")
    foreign_keys = fields.List(fields.Dict(), data_key="foreignKeys")


class DataResourceSchema(ma.Schema):
    name = fields.String()
    title = fields.String()
    description = fields.String()
    profile = fields.String()
    path = fields.String(metadata={"description": "URL of the CSV"})
    format = fields.String()
    mediatype = fields.String()
    encoding = fields.String()
    bytes = fields.Integer(metadata={"description": "size of the CSV served"})
    hash = fields.String(metadata={"description": "sha256:<hex> of the CSV served"})
    schema = fields.Nested(TableSchemaSchema)


class DataPackageSchema(ma.Schema):
    """A Frictionless (Tabular) Data Package descriptor."""

    profile = fields.String()
    name = fields.String()
    title = fields.String()
    description = fields.String()
    version = fields.String(
        metadata={"description": "layout version, + build metadata naming the data"}
    )
    created = fields.String(metadata={"description": "time of the newest record (UTC)"})
    homepage = fields.String()
    licenses = fields.List(fields.Nested(LicenceSchema))
    contributors = fields.List(fields.Dict())
    sources = fields.List(fields.Dict())
    citation = fields.String()
    signature = fields.Dict(metadata={"description": "where the detached JWS and keys are"})
    keywords = fields.List(fields.String())
    resources = fields.List(fields.Nested(DataResourceSchema))


def _exact(body: bytes, mimetype: str, etag: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.cache_control.no_cache = True
    response.cache_control.public = True
    return response.make_conditional(request)


@blp.get("/datapackage.json")
@blp.response(200, DataPackageSchema)
def descriptor() -> Response:
    """The package descriptor: every resource's URL, size, SHA-256 and Table Schema.

    Its bytes are what `datapackage.json.jws` signs; they stay the same while the data
    does."""
    made = open_data.release()
    return _exact(made.descriptor, "application/json", made.sha256)


@blp.get("/datapackage.json.jws")
@blp.response(200, JWS, content_type="application/jose")
def descriptor_signature() -> Response:
    """The district's detached JWS (RFC 7515 appendix F, EdDSA, `kid` from
    `/api/v1/keys`) over the exact bytes of `datapackage.json` as served now."""
    made = open_data.release()
    return _exact(open_data.signature(made).encode("ascii"), "application/jose", made.sha256)


def _csv_view(found: Resource) -> Callable[[], Response]:
    def view() -> Response:
        body = stream_with_context(open_data.stream(found.name, today=date.today()))
        return Response(
            body,
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="{found.name}.csv"',
                "Cache-Control": "no-cache",
            },
        )

    view.__name__ = f"{found.name}_csv"
    view.__doc__ = (
        f"{found.title} (CSV, UTF-8, header row).\n\n{found.description} The columns are "
        "the descriptor's Table Schema for this resource; the file is streamed as it is read."
    )
    return view


for _resource in open_data.RESOURCES:
    blp.route(f"/{_resource.name}.csv", methods=["GET"])(
        blp.response(200, CSV, content_type="text/csv")(_csv_view(_resource))
    )


@pages.get("/open-data")
def page() -> str:
    """What can be downloaded, each file's columns, the licence, citing, checking."""
    made = open_data.release()
    package = made.package
    described = {item["name"]: item for item in package["resources"]}
    base = package["homepage"].removesuffix("/open-data")
    return render_template(
        "open_data/index.html",
        package=package,
        release=made,
        resources=[(found, described[found.name]) for found in open_data.RESOURCES],
        title=open_data.TITLE,
        description=open_data.DESCRIPTION,
        prefix=open_data.PREFIX,
        shell=VERIFY_SHELL.format(
            base=base,
            names=" ".join(found.name for found in open_data.RESOURCES),
            files=gettext("each file against the size and SHA-256 that the descriptor states"),
            schemas=gettext(
                "the whole package, as Frictionless reads it (pip install frictionless)"
            ),
        ),
        python=VERIFY_PYTHON,
    )
