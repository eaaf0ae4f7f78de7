"""What a carbon neutrality certificate states, checked before it is printed.

Quantities are exact ``Decimal`` tonnes of CO2e (credits are whole tonnes, one per
credit). The total is Scope 1 + Scope 2 market-based + Scope 3, the figure that retired
credits offset (GHG Protocol Scope 2 Guidance: dual reporting, with the market-based
figure used for claims); the location-based Scope 2 figure is shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

SubjectKind = Literal["scenic_area", "venue"]
KINDS: dict[str, tuple[str, str]] = {
    "scenic_area": ("景区", "Scenic area"),
    "venue": ("场馆", "Venue"),
}


def _quantity(name: str, value: object, *, signed: bool = False) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError(f"{name} must be a finite Decimal (tCO2e), not {value!r}")
    if value < 0 and not signed:
        raise ValueError(f"{name} may not be negative: {value}")


def _text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be non-empty text, not {value!r}")


@dataclass(frozen=True)
class RetiredCreditsLine:
    """One block of credits retired for the certificate: serials first to last inclusive."""

    registry: str
    project_name: str
    standard: str
    vintage: int
    serial_start: str
    serial_end: str
    quantity: int

    def __post_init__(self) -> None:
        for name in ("registry", "project_name", "standard", "serial_start", "serial_end"):
            _text(name, getattr(self, name))
        if (
            isinstance(self.quantity, bool)
            or not isinstance(self.quantity, int)
            or self.quantity < 1
        ):
            raise ValueError(
                f"quantity must be a whole number of credits ≥ 1, not {self.quantity!r}"
            )


@dataclass(frozen=True)
class CertificateContent:
    """Everything printed on one certificate; ``status_note`` (say ``"REVOKED 已撤销"``)
    is stamped across the page when set."""

    number: str
    subject_name_zh: str
    subject_name_en: str
    subject_kind: SubjectKind
    period_start: date
    period_end: date
    boundary_zh: str
    boundary_en: str
    scope1: Decimal
    scope2_location: Decimal
    scope2_market: Decimal
    scope3: Decimal
    reductions_tco2e: Decimal
    """Reduction against the baseline; negative if emissions rose."""
    credits: tuple[RetiredCreditsLine, ...]
    guide_version: int
    guide_title_zh: str
    guide_title_en: str
    verifier_organisation: str
    verifier_person: str
    signature_kid: str
    signature_fingerprint: str
    issued_on: date
    valid_until: date
    verification_url: str
    status_note: str | None = None

    def __post_init__(self) -> None:
        for name in (
            "number",
            "subject_name_zh",
            "subject_name_en",
            "boundary_zh",
            "boundary_en",
            "guide_title_zh",
            "guide_title_en",
            "verifier_organisation",
            "verifier_person",
            "signature_kid",
            "signature_fingerprint",
            "verification_url",
        ):
            _text(name, getattr(self, name))
        if self.subject_kind not in KINDS:
            raise ValueError(
                f"subject_kind must be one of {', '.join(KINDS)}, not {self.subject_kind!r}"
            )
        for name in ("scope1", "scope2_location", "scope2_market", "scope3"):
            _quantity(name, getattr(self, name))
        _quantity("reductions_tco2e", self.reductions_tco2e, signed=True)
        if not isinstance(self.credits, tuple) or not all(
            isinstance(line, RetiredCreditsLine) for line in self.credits
        ):
            raise ValueError("credits must be a tuple of RetiredCreditsLine")
        if self.period_end < self.period_start:
            raise ValueError(
                f"the period ends ({self.period_end}) before it starts ({self.period_start})"
            )
        if self.valid_until < self.issued_on:
            raise ValueError(
                f"valid_until ({self.valid_until}) is before issued_on ({self.issued_on})"
            )
        if (
            isinstance(self.guide_version, bool)
            or not isinstance(self.guide_version, int)
            or self.guide_version < 1
        ):
            raise ValueError(
                f"guide_version must be a version number ≥ 1, not {self.guide_version!r}"
            )
        if self.status_note is not None:
            _text("status_note", self.status_note)

    @property
    def total_tco2e(self) -> Decimal:
        """Scope 1 + Scope 2 (market-based) + Scope 3."""
        return self.scope1 + self.scope2_market + self.scope3

    @property
    def credits_tco2e(self) -> Decimal:
        """Credits retired, one tonne each."""
        return Decimal(sum(line.quantity for line in self.credits))

    @property
    def net_tco2e(self) -> Decimal:
        """The total less the credits retired."""
        return self.total_tco2e - self.credits_tco2e
