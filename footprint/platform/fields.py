"""Strict JSON fields: no strings for numbers, no numbers for booleans, no NaN or Infinity."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from footprint.core.boundary import WellToTank
from footprint.core.quantities import plain, present
from footprint.platform.limits import MAX_INTEGER, MAX_INTEGER_DIGITS, MIN_INTEGER


class NotBlank(validate.Validator):
    """Text with something in it besides white space."""

    error = "Must not be blank."

    def __call__(self, value: str) -> str:
        if not value.strip():
            raise ma.ValidationError(self.error)
        return value


def text_of(longest: int) -> list[validate.Validator]:
    """Text of 1 to ``longest`` characters, not only white space (the OpenAPI document
    shows the lengths)."""
    return [validate.Length(1, longest), NotBlank()]


NAME = text_of(200)
"""Names of people, organisations and things: present and reasonably short."""


class StrictBoolean(fields.Boolean):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


INTEGER_COLUMN = validate.Range(MIN_INTEGER, MAX_INTEGER)
"""What an ``Integer`` column holds (`footprint.platform.limits`)."""
_DIGITS = re.compile(rf"^-?[0-9]{{1,{MAX_INTEGER_DIGITS}}}$")


class StrictInteger(fields.Integer):
    """A whole JSON number (``true`` and ``"3"`` are refused) that fits an ``Integer``
    column; with ``in_query=True``, the digits of one in a query string."""

    def __init__(self, *, in_query: bool = False, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)
        self.in_query = in_query
        self.validators.insert(0, INTEGER_COLUMN)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if self.in_query and isinstance(value, str) and _DIGITS.match(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Id(StrictInteger):
    """The id of a row: 1 to `footprint.platform.limits.MAX_ID`, checked before any query
    (the one field for ids in bodies and query strings)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.insert(0, validate.Range(min=1))


DECIMAL_PATTERN = r"^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$"
"""How every decimal is written in responses (`footprint.core.quantities.plain`)."""


class DecimalText(fields.Decimal):
    """An exact decimal served as a string in plain notation (``"0.5366"``, never
    ``"5.96E-8"`` or ``"4E+4"``); documented as ``string``, ``format: decimal``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(as_string=True, **kwargs)

    def _to_string(self, value: Decimal) -> str:
        return plain(value)


class Quantity(DecimalText):
    """A finite, non-negative JSON number read exactly as its shortest decimal form, and
    served back as a `DecimalText` (the OpenAPI document says both)."""

    def __init__(self, maximum: Decimal | int, *, positive: bool = False, **kwargs: Any) -> None:
        super().__init__(
            allow_nan=False,
            validate=validate.Range(min=0, max=maximum, min_inclusive=not positive),
            **kwargs,
        )

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ma.ValidationError("Not a valid number.")
        return super()._deserialize(value, attr, data, **kwargs)


class Kg(fields.Float):
    """kgCO2e presented once, rounded to grams."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> float | None:
        return None if value is None else present(Decimal(value))


class RangeApproach(fields.String):
    """How a result's range was found (`footprint.core.quantities.APPROACHES`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "metadata",
            {
                "description": "approach_1 (IPCC error propagation, symmetric) or monte_carlo "
                "(IPCC Approach 2, seeded, asymmetric), which the dataset's rules take where "
                "an input is too uncertain for Approach 1"
            },
        )
        super().__init__(**kwargs)


def gases_field(description: str) -> fields.Dict:
    """kg of each greenhouse gas, by its formula (CO2, CH4, N2O)."""
    return fields.Dict(keys=fields.String(), values=Kg(), metadata={"description": description})


class WellToTankSchema(ma.Schema):
    """A transport line's well-to-tank part (`footprint.core.boundary`)."""

    state = fields.String(
        metadata={"description": "priced, included (in the factor's own boundary) or not_available"}
    )
    kgco2e = Kg(metadata={"description": "part of the line's kgCO2e"})
    kgco2e_per_unit = Kg(
        metadata={"description": "a product footprint's line: the part per functional unit"}
    )
    factor_kgco2e_per_unit = fields.Float(allow_none=True)
    factor_unit = fields.String(allow_none=True)
    factor_id = fields.String(allow_none=True)
    factor_source = fields.String(allow_none=True)
    uncertainty = fields.Float(allow_none=True)
    note = fields.String(
        metadata={"description": "where it is not priced: included in the factor, or no factor"}
    )


def well_to_tank_field(description: str) -> fields.Nested:
    """A line's well-to-tank part, null where the dataset prices transport as published."""
    return fields.Nested(WellToTankSchema, allow_none=True, metadata={"description": description})


def present_well_to_tank(
    part: WellToTank | None, per_unit: Decimal | None = None
) -> dict[str, Any] | None:
    """A line's well-to-tank part as responses give it, its kg rounded here, once: of the
    line, or per functional unit of a batch of ``per_unit`` (a product footprint's)."""
    if part is None:
        return None
    factor = part.factor
    if per_unit is None:
        kg = {"kgco2e": present(part.kgco2e)}
    else:
        kg = {"kgco2e_per_unit": present(part.kgco2e / per_unit)}
    return {
        "state": part.state,
        **kg,
        "factor_kgco2e_per_unit": None if factor is None else float(factor.value),
        "factor_unit": None if factor is None else factor.unit,
        "factor_id": None if factor is None else factor.id,
        "factor_source": None if factor is None else factor.source.citation,
        "uncertainty": None if factor is None else float(factor.uncertainty),
        "note": part.note,
    }
