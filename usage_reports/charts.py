"""Server-drawn charts of the hub's use: a line of months and bars of a breakdown. The
geometry is computed here and drawn as inline SVG by templates (usage_reports/_line.html,
_bars.html); each chart has a text alternative and the table beside it holds its numbers.
"""

from dataclasses import dataclass

from learning_groups.charts import bar_chart

HEIGHT = 160  # of the plot, in px; the month labels are drawn below it
PLOT = 100  # the plot's own coordinates: 0-100 across and down


@dataclass
class Series:
    name: str
    css: str
    points: str
    values: list


def line_chart(rows, series):
    """Lines across the months of rows for each (attribute, name, css class) in series,
    on one scale from zero to the largest value."""
    count = len(rows)
    top = max((getattr(row, attr) for row in rows for attr, _n, _c in series), default=0) or 1
    step = PLOT / max(count - 1, 1)
    lines = []
    for attr, name, css in series:
        values = [getattr(row, attr) for row in rows]
        points = " ".join(
            f"{round(i * step, 2)},{round(PLOT - value / top * (PLOT - 4), 2)}"
            for i, value in enumerate(values)
        )
        lines.append(Series(name=name, css=css, points=points, values=values))
    ticks = [
        {"x": round(i * step, 2), "label": row.label.split(" ")[0][:3]}
        for i, row in enumerate(rows)
    ]
    return {"height": HEIGHT, "series": lines, "ticks": ticks, "top": top}


def bars(rows, attr, describe, limit=10):
    """A horizontal bar chart of the first limit rows' attr (see learning_groups.charts)."""
    return bar_chart(
        [
            (row.label, getattr(row, attr), None, None, f"{getattr(row, attr):,}", describe(row))
            for row in rows[:limit]
        ]
    )
