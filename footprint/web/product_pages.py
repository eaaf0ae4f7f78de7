"""The operators' products at ``/workspace/products``: a tea maker's products, their
life-cycle footprints (the stages form) and the category's range."""

from __future__ import annotations

from footprint.web.workspace import pages  # noqa: F401  (these pages are on the workspace's)
