"""What is in the applications assigned to a verifier: the records a verifier may read
(`footprint.accounts.access`), plugged into the access rules when certification starts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from certify.models.applications import Application
from footprint.accounts import access
from footprint.accounts.models import User
from footprint.models import ProductFootprint


def _applications(user: User) -> Select[Any]:
    return select(Application.id).where(Application.verifier_id == user.id)


def _venues(user: User) -> Select[Any]:
    return select(Application.venue_id).where(Application.verifier_id == user.id)


def _inventories(user: User) -> Select[Any]:
    return select(Application.inventory_id).where(Application.verifier_id == user.id)


def _footprints(user: User) -> Select[Any]:
    return select(Application.product_footprint_id).where(Application.verifier_id == user.id)


def _products(user: User) -> Select[Any]:
    return (
        select(ProductFootprint.product_id)
        .join(Application, Application.product_footprint_id == ProductFootprint.id)
        .where(Application.verifier_id == user.id)
    )


def register() -> None:
    """Tell the access rules which records each verifier's assignments bring."""
    access.assign_through("application", _applications)
    access.assign_through("venue", _venues)
    access.assign_through("inventory", _inventories)
    access.assign_through("product_footprint", _footprints)
    access.assign_through("product", _products)
