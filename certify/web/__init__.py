"""Certification's web layer: the API blueprints (`applications`, `certificates`, `keys`,
`labels`, `offsets`, `verifiers`, `registry`) with their marshmallow schemas, and the
public pages (verification at `/v/…`, the register, claims, retirements)."""
