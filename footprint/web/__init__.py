"""The footprint API: flask-smorest blueprints and their marshmallow schemas for
`factors`, `trips`, `venues` (with inventories) and `products`."""
