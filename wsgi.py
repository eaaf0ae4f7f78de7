"""WSGI entry point: `flask --app wsgi …` for commands, `gunicorn wsgi:app` in production."""

from footprint.platform.app import create_app

app = create_app()
