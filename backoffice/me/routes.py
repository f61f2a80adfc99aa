"""Routes of /me. Every route here needs a signed-in user but no acting organisation."""
from . import bp  # noqa: F401
