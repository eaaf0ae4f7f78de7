"""The registry API's marshmallow schemas: what its endpoints take and give."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from certify.services import imports
from footprint.platform.fields import NAME, Id, Quantity, StrictInteger, text_of
from footprint.platform.pagination import PageArgs

PROJECT_TYPES = (
    "afforestation",
    "reforestation",
    "forest_management",
    "bamboo",
    "forest_sink",
    "renewable_energy",
    "methane",
    "other",
)
SERIAL = validate.Length(1, 64)


class DocumentSchema(ma.Schema):
    title = fields.String(required=True, validate=NAME)
    url = fields.Url(required=True)


class ProjectSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(
        validate=validate.Regexp(r"^[A-Z0-9]{2,12}$"),
        metadata={"description": "serial prefix part; default P0001…"},
    )
    name = fields.String(required=True, validate=NAME)
    standard = fields.String(
        required=True,
        validate=validate.Length(1, 16),
        metadata={"description": "CCER, VCS, GS, WLY…"},
    )
    methodology = fields.String(
        required=True,
        validate=validate.Length(1, 64),
        metadata={"description": "e.g. CCER-14-001-V01"},
    )
    project_type = fields.String(required=True, validate=validate.OneOf(PROJECT_TYPES))
    region = fields.String(required=True, validate=text_of(64))
    area_ha = Quantity(10**7, positive=True, allow_none=True)
    crediting_start = fields.Date(allow_none=True)
    crediting_end = fields.Date(allow_none=True)
    documents = fields.List(
        fields.Nested(DocumentSchema), load_default=list, validate=validate.Length(max=50)
    )
    external_id = fields.String(validate=validate.Length(1, 64), allow_none=True)
    created_at = fields.DateTime(dump_only=True)

    @ma.validates_schema
    def period_in_order(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("crediting_start"), data.get("crediting_end")
        if start and end and end < start:
            raise ma.ValidationError("must not be before crediting_start", "crediting_end")


class StandardSchema(ma.Schema):
    code = fields.String()
    name = fields.String()
    registry_name = fields.String()


class ProjectArgs(PageArgs):
    standard = fields.String()
    project_type = fields.String(validate=validate.OneOf(PROJECT_TYPES))
    region = fields.String()


class IssuanceInSchema(ma.Schema):
    project_id = Id(required=True)
    vintage = StrictInteger(required=True, validate=validate.Range(1990, 2100))
    quantity = StrictInteger(
        required=True,
        validate=validate.Range(1, 10**8),
        metadata={
            "description": "the verified quantity, whole credits (tCO2e): the guide's buffer "
            "share is withheld from it, the rest goes to the holder"
        },
    )
    holder_org = fields.String(required=True, validate=NAME)


class IssuanceSchema(ma.Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    project_code = fields.String()
    vintage = fields.Integer()
    quantity = fields.Integer(metadata={"description": "the verified quantity"})
    holder_quantity = fields.Integer(
        metadata={"description": "what the holder received: quantity less the buffer's share"}
    )
    serial_start = fields.String(metadata={"description": "the holder's first serial"})
    serial_end = fields.String(metadata={"description": "the holder's last serial"})
    buffer_quantity = fields.Integer(metadata={"description": "withheld to the buffer pool"})
    buffer_serial_start = fields.String(allow_none=True)
    buffer_serial_end = fields.String(allow_none=True)
    issued_at = fields.DateTime()


class IssuanceArgs(PageArgs):
    project_id = Id(in_query=True)
    vintage = StrictInteger(in_query=True)


class RangeSchema(ma.Schema):
    serial_start = fields.String(required=True, validate=SERIAL)
    serial_end = fields.String(required=True, validate=SERIAL)


class RetirementInSchema(RangeSchema):
    beneficiary = fields.String(required=True, validate=NAME)
    purpose = fields.String(required=True, validate=text_of(1000))


class ProjectRefSchema(ma.Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    standard = fields.String()
    project_type = fields.String()
    region = fields.String()


class RetirementSchema(ma.Schema):
    id = fields.Integer()
    quantity = fields.Integer()
    serial_start = fields.String()
    serial_end = fields.String()
    beneficiary = fields.String()
    purpose = fields.String()
    retired_at = fields.DateTime()
    organisation = fields.String()
    issuance_id = fields.Integer()
    vintage = fields.Integer()
    project = fields.Nested(ProjectRefSchema)


class RetirementArgs(PageArgs):
    beneficiary = fields.String(validate=NAME)
    project_id = Id(in_query=True)
    serial = fields.String(validate=SERIAL)


class TransferInSchema(RangeSchema):
    to_org = fields.String(required=True, validate=NAME)


class TransferSchema(ma.Schema):
    id = fields.Integer()
    quantity = fields.Integer()
    serial_start = fields.String()
    serial_end = fields.String()
    from_org = fields.String()
    to_org = fields.String()
    transferred_at = fields.DateTime()


class HoldingSchema(ma.Schema):
    issuance_id = fields.Integer()
    project = fields.Nested(ProjectRefSchema)
    vintage = fields.Integer()
    serial_start = fields.String()
    serial_end = fields.String()
    quantity = fields.Integer()


class HoldingArgs(PageArgs):
    organisation_id = Id(in_query=True, metadata={"description": "admins: whose holdings"})


class SerialSchema(ma.Schema):
    serial = fields.String()
    status = fields.String(metadata={"description": "active, retired or cancelled"})
    project = fields.Nested(ProjectRefSchema)
    vintage = fields.Integer()
    issuance_id = fields.Integer()
    holder = fields.String()
    block_serial_start = fields.String()
    block_serial_end = fields.String()
    retirement = fields.Nested(RetirementSchema, allow_none=True)


class LedgerEventSchema(ma.Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    kind = fields.String()
    issuance_id = fields.Integer()
    quantity = fields.Integer()
    from_id = fields.Integer(allow_none=True)
    to_id = fields.Integer(allow_none=True)
    reference_id = fields.Integer(allow_none=True)
    detail = fields.Dict()


class ImportArgs(ma.Schema):
    format = fields.String(required=True, validate=validate.OneOf(imports.FORMATS))
    holder = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "who receives the credits (verra)"},
    )
    dry_run = fields.Boolean(load_default=False)


class ImportReportSchema(ma.Schema):
    rows = fields.Integer()
    created = fields.Integer()
    unchanged = fields.Integer()
    retired = fields.Integer()
    credits = fields.Integer()
    dry_run = fields.Boolean()
