"""gunicorn's settings, read from the project root by `make run` and by production's gunicorn alike."""
import gc


def post_worker_init(worker):
    """The app is built: freeze what exists so far (~260,000 objects — modules, mappers, views — that live
    as long as the worker). Python's full garbage collection otherwise walks them all again each time it
    runs: 0.4 s measured on this machine, a stall of whichever request triggered it. Frozen objects are
    never collected; nothing built at start-up is garbage (docs/performance.md)."""
    gc.freeze()
