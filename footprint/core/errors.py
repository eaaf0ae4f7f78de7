"""The one error the core raises for input it cannot price, naming the offending field."""

from __future__ import annotations


class FieldError(ValueError):
    """``field`` (a path such as ``lines[2].unit``) cannot be used, and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
