"""The HTTP layer: flask-smorest blueprints and the marshmallow schemas they validate with."""
