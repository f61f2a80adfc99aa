"""Statistics (查询统计, issue 12): the figures in SQL (`statistics.py`), their charts as server-side SVG
(`charts.py`), CSV / XLSX writers (`export.py`) and the screens (`views.py`)."""
