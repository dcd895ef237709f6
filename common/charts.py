"""Server-rendered SVG bar charts: no script, readable without colour, each with a text alternative.

Pure functions that return markup already escaped. Pages put the data table beside the chart
(the table is the accessible form; the SVG is `role="img"` with a title and a description).
"""

import zlib

from django.utils.html import format_html, mark_safe
from django.utils.safestring import SafeString

ROW_HEIGHT = 26
LABEL_WIDTH = 290
BAR_WIDTH = 300
VALUE_WIDTH = 80


def _truncate(text: str, limit: int = 32) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart_svg(
    *, rows: list[dict], title: str, description: str, series: list[str], maximum: float | None = None
) -> SafeString:
    """Horizontal bars, one group per row: `rows` = [{"label", "values": [v1, v2…], "note": ""}], one value per
    entry of `series` (its legend names). Values of None draw no bar. `maximum` defaults to the largest value."""
    values = [value for row in rows for value in row["values"] if value is not None]
    top = maximum if maximum else max(values, default=0) or 1
    per_row = ROW_HEIGHT * len(series) + 8
    legend = 22 if len(series) > 1 else 0
    height = legend + per_row * len(rows) + 4
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = []
    if legend:
        for index, name in enumerate(series):
            x = LABEL_WIDTH + index * 150
            parts.append(
                format_html(
                    '<rect x="{}" y="4" width="14" height="14" class="chart-series-{}"/>'
                    '<text x="{}" y="16" class="chart-text">{}</text>',
                    x,
                    index,
                    x + 20,
                    name,
                )
            )
    for row_index, row in enumerate(rows):
        y = legend + row_index * per_row
        label = _truncate(row["label"])
        if row.get("note"):
            label = f"{row['note']} {label}"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-text">{}</text>',
                LABEL_WIDTH - 8,
                y + per_row / 2 + 4,
                _truncate(label, 34),
            )
        )
        for series_index, value in enumerate(row["values"]):
            bar_y = y + 4 + series_index * ROW_HEIGHT
            if value is None:
                shown = "—"
                length = 0
            else:
                shown = f"{value:g}" if isinstance(value, int) else f"{value:.1f}"
                length = max(2, round(BAR_WIDTH * max(value, 0) / top))
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="chart-series-{}"/>'
                    '<text x="{}" y="{}" class="chart-text">{}</text>',
                    LABEL_WIDTH,
                    bar_y,
                    length,
                    ROW_HEIGHT - 6,
                    series_index,
                    LABEL_WIDTH + length + 6,
                    bar_y + ROW_HEIGHT - 10,
                    shown,
                )
            )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        width,
        height,
        _chart_id(title),
        _chart_id(title),
        _chart_id(title),
        title,
        _chart_id(title),
        description,
        mark_safe("".join(str(part) for part in parts)),  # noqa: S308 - every part built by format_html
    )


def _chart_id(title: str) -> str:
    return f"chart-{zlib.crc32(title.encode()):08x}"
