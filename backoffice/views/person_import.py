"""批量导入 of 专业技术人员 (helper fills this in)."""
VIEWS = []
