"""Product carbon footprints (ISO 14067:2018 / GB/T 24067-2024), per functional unit.

A footprint study states its system boundary and the activity data of each life-cycle
stage for a batch of ``output_units`` functional units (1 when the data are already per
unit). Each line names the factor it uses (``group.key`` in the dataset) and how good
its activity figure is (``data_quality``). Each line's kgCO2e is quantity × factor,
converted to the unit the factor is stated per; the result is the total and each stage
inside the boundary per functional unit, with an uncertainty combining each factor's
and each activity figure's relative half-widths in quadrature (IPCC Approach 1). Under
edition 2's rules an energy line adds its energy's upstream (`footprint.core.boundary`).

Which factor groups a stage may use is fixed here (packaging materials in the packaging
stage, freight in distribution...), so that a line in the wrong stage, or a unit that
does not fit its factor, is refused with the field named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from footprint.core import units
from footprint.core.boundary import ENERGY_BOUNDARIES, WellToTank, energy_upstream
from footprint.core.datasets import Dataset, Factor
from footprint.core.errors import FieldError
from footprint.core.quantities import (
    CONTEXT,
    DATA_QUALITY,
    MAX_ACTIVITY_QUANTITY,
    combine_uncertainty,
)

STAGES = ("raw_material", "processing", "packaging", "distribution", "use", "end_of_life")
STAGE_NAMES = {
    "raw_material": ("原料与种植", "Raw material and cultivation"),
    "processing": ("加工", "Processing"),
    "packaging": ("包装", "Packaging"),
    "distribution": ("运输分销", "Distribution"),
    "use": ("使用", "Use"),
    "end_of_life": ("废弃处置", "End of life"),
}
BOUNDARIES: Mapping[str, tuple[str, ...]] = {
    "cradle_to_gate": ("raw_material", "processing", "packaging"),
    "cradle_to_grave": STAGES,
}
_ENERGY = frozenset({"electricity", "fuel", "heat"})
STAGE_GROUPS: Mapping[str, frozenset[str]] = {
    "raw_material": frozenset({"fertiliser", "field", "material", "water", "freight"}) | _ENERGY,
    "processing": _ENERGY | frozenset({"water", "refrigerant", "material"}),
    "packaging": frozenset({"packaging", "freight"}) | _ENERGY,
    "distribution": frozenset({"freight"}) | _ENERGY,
    "use": _ENERGY | frozenset({"water"}),
    "end_of_life": frozenset({"waste", "freight"}),
}
"""The factor groups each stage may draw on (inbound freight may sit with its stage)."""
MAX_OUTPUT_UNITS = Decimal(10) ** 9
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ProductActivity:
    stage: str
    factor: str
    quantity: Decimal
    unit: str
    data_quality: str = "calculated"


@dataclass(frozen=True, slots=True)
class ProductLine:
    stage: str
    factor: Factor
    quantity: Decimal
    unit: str
    converted: Decimal
    data_quality: str
    kg: Decimal
    """kgCO2e of the whole batch."""
    uncertainty: Decimal
    """Relative half-width of this line: factor and activity combined."""
    well_to_tank: WellToTank | None = None
    """An energy line's upstream, where the rules price energy well-to-wheel
    (`footprint.core.boundary`): part of ``kg``."""
    activity_uncertainty: Decimal = ZERO

    def parts(self) -> list[tuple[Decimal, Decimal]]:
        """(kg, relative half-width) of each part of the line, for the total's range: an
        upstream part by its own factor's uncertainty and the same activity figure's."""
        wtt = self.well_to_tank
        if wtt is None or wtt.factor is None:
            return [(self.kg, self.uncertainty)]
        own = CONTEXT.sqrt(wtt.factor.uncertainty**2 + self.activity_uncertainty**2)
        return [(self.kg - wtt.kgco2e, self.uncertainty), (wtt.kgco2e, own)]

    @property
    def gases_kg(self) -> dict[str, Decimal]:
        """kg of each greenhouse gas of the whole batch, where the factor states them."""
        return {gas: self.converted * kg for gas, kg in self.factor.by_gas().items()}


@dataclass(frozen=True)
class ProductResult:
    dataset: str
    boundary: str
    output_units: Decimal
    lines: tuple[ProductLine, ...]
    by_stage: Mapping[str, Decimal]
    """kgCO2e per functional unit for every stage inside the boundary (zero if none)."""
    per_unit: Decimal
    half_width_per_unit: Decimal
    energy_boundary: str = "as_published"
    """Whether energy lines count their upstream (`footprint.core.boundary`)."""
    energy_boundary_text: str = ""

    @property
    def relative_uncertainty(self) -> Decimal:
        return CONTEXT.divide(self.half_width_per_unit, self.per_unit) if self.per_unit else ZERO


def _factor(dataset: Dataset, reference: str, stage: str, where: str) -> Factor:
    group, _, key = reference.partition(".")
    factor = dataset.factors.get(reference) if key else None
    if factor is None:
        raise FieldError(
            f"{where}.factor", f"no factor {reference!r} in dataset {dataset.code} (give group.key)"
        )
    if group not in STAGE_GROUPS[stage]:
        allowed = ", ".join(sorted(STAGE_GROUPS[stage]))
        raise FieldError(
            f"{where}.factor",
            f"a {group} factor does not belong to the {stage} stage (it takes: {allowed})",
        )
    return factor


def _line(
    activity: ProductActivity, boundary: tuple[str, ...], dataset: Dataset, where: str
) -> ProductLine:
    if activity.stage not in STAGES:
        raise FieldError(f"{where}.stage", f"one of {', '.join(STAGES)}")
    if activity.stage not in boundary:
        raise FieldError(
            f"{where}.stage", f"{activity.stage} lies outside the boundary ({', '.join(boundary)})"
        )
    if activity.data_quality not in DATA_QUALITY:
        raise FieldError(f"{where}.data_quality", f"one of {', '.join(DATA_QUALITY)}")
    if not activity.quantity.is_finite() or not ZERO <= activity.quantity <= MAX_ACTIVITY_QUANTITY:
        raise FieldError(f"{where}.quantity", f"must be between 0 and {MAX_ACTIVITY_QUANTITY}")
    factor = _factor(dataset, activity.factor, activity.stage, where)
    per = factor.unit.split("/", 1)[1]
    try:
        converted = units.convert(activity.quantity, activity.unit, per)
    except units.UnitError as error:
        raise FieldError(f"{where}.unit", f"{error} (factor {factor.id} is per {per})") from error
    quality = DATA_QUALITY[activity.data_quality]
    uncertainty = CONTEXT.sqrt(factor.uncertainty**2 + quality**2)
    kg = CONTEXT.multiply(converted, factor.value)
    upstream = energy_upstream(dataset, factor, converted)
    return ProductLine(
        activity.stage,
        factor,
        activity.quantity,
        activity.unit,
        converted,
        activity.data_quality,
        kg + upstream.kgco2e if upstream is not None else kg,
        uncertainty,
        upstream,
        quality,
    )


def calculate_product(
    activities: Sequence[ProductActivity], dataset: Dataset, boundary: str, output_units: Decimal
) -> ProductResult:
    """Price every line and give the footprint per functional unit, by stage."""
    if boundary not in BOUNDARIES:
        raise FieldError("boundary", f"one of {', '.join(BOUNDARIES)}")
    if not output_units.is_finite() or not 0 < output_units <= MAX_OUTPUT_UNITS:
        raise FieldError(
            "output_units",
            f"the batch must hold at least one functional unit and at most {MAX_OUTPUT_UNITS}",
        )
    stages = BOUNDARIES[boundary]
    lines = tuple(
        _line(activity, stages, dataset, f"lines[{i}]") for i, activity in enumerate(activities)
    )
    by_stage = {stage: ZERO for stage in stages}
    for line in lines:
        by_stage[line.stage] += line.kg
    per_stage = {stage: CONTEXT.divide(kg, output_units) for stage, kg in by_stage.items()}
    half_width = combine_uncertainty([part for line in lines for part in line.parts()])
    return ProductResult(
        dataset.code,
        boundary,
        output_units,
        lines,
        per_stage,
        CONTEXT.divide(sum(by_stage.values(), ZERO), output_units),
        CONTEXT.divide(half_width, output_units),
        dataset.method.transport_boundary,
        ENERGY_BOUNDARIES[dataset.method.transport_boundary],
    )
