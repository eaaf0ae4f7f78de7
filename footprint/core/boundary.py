"""Transport's system boundary: the well-to-tank part of a transport line.

Under the first edition's rules (``as_published``) each mode is priced on its source's
boundary: a flight's figure is its flight phase alone, high-speed rail's its full process.
Under ``well_to_wheel`` (`footprint.core.datasets.Method`, CN-2025 on) a transport line
also carries the upstream of its fuel or electricity — extracting, refining and
delivering it — priced per the line's own unit by the ``transport_wtt`` factor the rules
name for its transport factor. The flight with radiative forcing shares the flight's:
the multiplier is for the flight's non-CO2 effects at altitude, not the fuel's upstream.
A figure whose own boundary holds its upstream already (a full-process study) is marked
``included``; one for which no cited well-to-tank factor exists is ``not_available``,
and its line says so rather than pretending to the boundary.

A product footprint's energy lines (fuel burnt, electricity, heat, freight) take the same
boundary under the same rules (`energy_upstream`): the upstream of an energy factor is
what ``well_to_tank`` names for its id (``"freight.hgv_average" = "included"``: its
figure is well-to-wheel already), else the ``<group>_wtt`` factor of its key (a fuel's
``fuel_wtt``, per the unit that factor is stated in), else ``not_available`` (China's
grid electricity has no cited upstream factor yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from footprint.core import units
from footprint.core.datasets import (
    ENERGY_GROUPS,
    TRANSPORT_BOUNDARIES,
    WTT_INCLUDED,
    WTT_UNAVAILABLE,
    Dataset,
    Factor,
    Method,
)

PRICED = "priced"
ENERGY_BOUNDARIES = {
    "as_published": "Energy as each factor states it: fuel burnt by its combustion, "
    "electricity by generation, freight by the vehicle's direct emissions.",
    "well_to_wheel": "Energy with its upstream: each line of fuel, electricity, heat or "
    "freight adds producing and delivering that energy (well-to-tank, its own part of "
    "the line) where a cited factor exists, and says where none does.",
}
"""How a footprint's energy lines are bounded under each rule, as it states it."""


@dataclass(frozen=True, slots=True)
class WellToTank:
    """A transport line's well-to-tank part: priced by ``factor``, or (``state``) included
    in the line's own figure or not available."""

    state: str
    kgco2e: Decimal = Decimal(0)
    factor: Factor | None = None

    @property
    def note(self) -> str:
        if self.state == WTT_INCLUDED:
            return "well-to-tank included in the factor's own figure (its boundary holds it)"
        if self.state == WTT_UNAVAILABLE:
            return "well-to-tank not counted: no cited factor for its upstream"
        return ""


def well_to_tank(dataset: Dataset, key: str, quantity: Decimal) -> WellToTank | None:
    """The well-to-tank part of ``quantity`` (in the transport factor's unit) priced by
    the transport factor ``key``; ``None`` where the rules price transport as published."""
    method = dataset.method
    if method.transport_boundary != "well_to_wheel":
        return None
    named = method.well_to_tank[key]  # the parser checked every transport key has one
    if named in (WTT_INCLUDED, WTT_UNAVAILABLE):
        return WellToTank(named)
    factor = dataset.get("transport_wtt", named)
    assert factor is not None, named  # checked when the dataset was parsed
    return WellToTank(PRICED, quantity * factor.value, factor)


def energy_upstream(dataset: Dataset, factor: Factor, quantity: Decimal) -> WellToTank | None:
    """The well-to-tank part of a product line of ``quantity`` (in ``factor``'s unit) of
    energy priced by ``factor``; ``None`` where the rules price energy as published or
    the line is no energy use."""
    method = dataset.method
    if method.transport_boundary != "well_to_wheel" or factor.group not in ENERGY_GROUPS:
        return None
    named = method.well_to_tank.get(factor.id, factor.key)
    if named in (WTT_INCLUDED, WTT_UNAVAILABLE):
        return WellToTank(named)
    upstream = dataset.get(f"{factor.group}_wtt", named)
    if upstream is None:
        return WellToTank(WTT_UNAVAILABLE)
    per, upstream_per = (f.unit.split("/", 1)[1] for f in (factor, upstream))
    converted = units.convert(quantity, per, upstream_per)
    return WellToTank(PRICED, converted * upstream.value, upstream)


def boundary_text(method: Method) -> str:
    """The boundary a result's transport was priced on, in the words results state it."""
    return TRANSPORT_BOUNDARIES[method.transport_boundary]
