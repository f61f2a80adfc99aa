"""Routes of /register."""
from . import bp  # noqa: F401
