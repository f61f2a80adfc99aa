"""Entry point: `flask --app app run`, `gunicorn 'app:create_app()'`."""
from backoffice import create_app

__all__ = ["create_app"]
