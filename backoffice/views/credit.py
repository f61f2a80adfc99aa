"""失信信息录入 / 单位失信信息查看 / 失信信息查看 (helper fills this in)."""
VIEWS = []
