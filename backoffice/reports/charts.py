"""Charts as server-side SVG, drawn from the same `Table` the page and the export show: no CDN, no script,
only presentation attributes (the CSP allows neither remote code nor inline script; auth/headers.py).
"""
from markupsafe import Markup, escape

from .statistics import LABELS, Table

PALETTE = {"people": "#6c8ebf", "learners": "#f0ad4e", "passed": "#5cb85c"}
LEVEL_COLOURS = ["#9ecae1", "#6baed6", "#3182bd", "#08519c", "#bdbdbd"]
WIDTH, LABEL_W, BAR_H, GAP = 760, 130, 12, 10


def _text(x, y, content, anchor="start", size=12, fill="#333"):
    return (f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
            f"{escape(content)}</text>")


def region_bars(table: Table) -> Markup:
    """Bars per row: 专业技术人员, 学习人数 and 合格人数 side by side, on one scale."""
    figures = ("people", "learners", "passed")
    largest = max([getattr(row, name) for row in table.rows for name in figures] + [1])
    plot = WIDTH - LABEL_W - 60
    group_h = len(figures) * BAR_H + GAP
    height = 40 + group_h * len(table.rows)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" width="100%" viewBox="0 0 {WIDTH} {height}"'
             f' role="img" aria-label="{escape(table.heading)}">',
             f"<title>{escape(table.heading)}</title>"]
    for i, name in enumerate(figures):  # legend
        x = LABEL_W + i * 130
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[name]}"/>')
        parts.append(_text(x + 18, 17, LABELS[name]))
    for r, row in enumerate(table.rows):
        top = 30 + r * group_h
        parts.append(_text(LABEL_W - 8, top + group_h / 2, row.label, anchor="end"))
        for i, name in enumerate(figures):
            value = getattr(row, name)
            width = plot * value / largest
            y = top + i * BAR_H
            parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{width:.1f}" height="{BAR_H - 2}" fill="{PALETTE[name]}">'
                         f"<title>{escape(row.label)} {escape(LABELS[name])}：{value}</title></rect>")
            parts.append(_text(LABEL_W + width + 4, y + BAR_H - 3, str(value), size=10))
    parts.append("</svg>")
    return Markup("".join(parts))


def level_shares(table: Table) -> Markup:
    """Shares by 资格级别: one 100 % bar of the registered people, one of the learners."""
    rows = table.rows
    plot = WIDTH - LABEL_W - 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" width="100%" viewBox="0 0 {WIDTH} 120"'
             f' role="img" aria-label="{escape(table.heading)}">', f"<title>{escape(table.heading)}</title>"]
    for i, row in enumerate(rows):  # legend
        x = LABEL_W + i * 110
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{LEVEL_COLOURS[i % len(LEVEL_COLOURS)]}"/>')
        parts.append(_text(x + 18, 17, row.label))
    for b, name in enumerate(("people", "learners")):
        y = 34 + b * 40
        whole = sum(getattr(row, name) for row in rows)
        parts.append(_text(LABEL_W - 8, y + 18, LABELS[name], anchor="end"))
        if not whole:
            parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{plot}" height="28" fill="#eeeeee"/>')
            parts.append(_text(LABEL_W + plot / 2, y + 18, "无数据", anchor="middle", fill="#777"))
            continue
        x = LABEL_W
        for i, row in enumerate(rows):
            value = getattr(row, name)
            if not value:
                continue
            width = plot * value / whole
            share = f"{100 * value / whole:.1f}%"
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="28"'
                         f' fill="{LEVEL_COLOURS[i % len(LEVEL_COLOURS)]}">'
                         f"<title>{escape(row.label)} {escape(LABELS[name])}：{value}（{share}）</title></rect>")
            if width > 44:
                parts.append(_text(x + width / 2, y + 18, share, anchor="middle", size=11, fill="#fff"))
            x += width
    parts.append("</svg>")
    return Markup("".join(parts))


TYPE_COLOURS = {"public": "#6c8ebf", "professional": "#5cb85c", "elective": "#f0ad4e"}


def stacked_hours(table: Table, parts: tuple[str, ...] = ("public", "professional", "elective")) -> Markup:
    """One bar per row, its hours stacked by 科目类型, every bar on the scale of the largest row."""
    largest = max([sum(float(getattr(row, name)) for name in parts) for row in table.rows] + [1.0])
    plot = WIDTH - LABEL_W - 80
    height = 40 + (BAR_H * 2 + GAP) * len(table.rows)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" width="100%" viewBox="0 0 {WIDTH} {height}"'
           f' role="img" aria-label="{escape(table.heading)}">', f"<title>{escape(table.heading)}</title>"]
    for i, name in enumerate(parts):  # legend
        x = LABEL_W + i * 130
        svg.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{TYPE_COLOURS[name]}"/>')
        svg.append(_text(x + 18, 17, table.labels[name]))
    for r, row in enumerate(table.rows):
        top = 30 + r * (BAR_H * 2 + GAP)
        svg.append(_text(LABEL_W - 8, top + BAR_H + 4, row.label, anchor="end"))
        x = LABEL_W
        for name in parts:
            value = getattr(row, name)
            width = plot * float(value) / largest
            if width:
                svg.append(f'<rect x="{x:.1f}" y="{top}" width="{width:.1f}" height="{BAR_H * 2 - 2}"'
                           f' fill="{TYPE_COLOURS[name]}"><title>{escape(row.label)} {escape(table.labels[name])}：'
                           f"{value}</title></rect>")
            x += width
        svg.append(_text(x + 4, top + BAR_H + 4, str(sum(getattr(row, name) for name in parts)), size=10))
    svg.append("</svg>")
    return Markup("".join(svg))
