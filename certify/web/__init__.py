"""The HTTP layer of certification: flask-smorest blueprints and marshmallow schemas."""
