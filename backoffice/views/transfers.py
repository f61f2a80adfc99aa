"""人员调出 / 人员调入 / 调转记录 (helper fills this in)."""
VIEWS = []
