"""师资信息维护 (helper fills this in)."""
VIEWS = []
