"""Server-drawn charts: geometry computed here, drawn as inline SVG by a template, so a
chart reads without JavaScript and costs a few hundred bytes. Each row is its label, its
value and its bar one above the other, so a chart narrows without shrinking its text."""

from dataclasses import dataclass
from decimal import Decimal

# Bars are drawn on a 0-100 scale stretched to the chart's width, while the text stays at
# the page's own size: the labels read the same on a 320 px phone as on a desktop.
BAR_AREA = 98
ROW_HEIGHT = 62
LABEL_BASELINE = 16
VALUE_BASELINE = 34
BAR_TOP = 41
BAR_HEIGHT = 14
TOP = 4


@dataclass
class Bar:
    label: str
    value_text: str
    description: str
    y: float
    text_y: float
    value_y: float
    mid_y: float
    missing: bool
    width: float = 0
    range_x1: float | None = None
    range_x2: float | None = None


def bar_chart(rows):
    """Lay out a horizontal bar chart of rows: (label, value, low, high, short text for
    the bar, full text for the description).

    A missing value gets no bar at all (never a zero-length one) and is labelled as
    missing; an uncertain one gets a whisker from its low to its high end.
    """
    numbers = [n for row in rows for n in row[1:4] if n is not None]
    top = max(numbers, default=Decimal(0)) or Decimal(1)
    scale = BAR_AREA / float(top)
    bars = []
    for index, (label, value, low, high, value_text, description) in enumerate(rows):
        row_top = TOP + index * ROW_HEIGHT
        y = row_top + BAR_TOP
        bar = Bar(
            label=label,
            value_text=value_text,
            description=description,
            y=y,
            text_y=row_top + LABEL_BASELINE,
            value_y=row_top + VALUE_BASELINE,
            mid_y=y + BAR_HEIGHT / 2,
            missing=value is None and low is None and high is None,
        )
        if value is not None:
            bar.width = round(float(value) * scale, 1)
        if low is not None or high is not None:
            bar.range_x1 = round(float(low if low is not None else value) * scale, 1)
            bar.range_x2 = round(float(high if high is not None else value) * scale, 1)
        bars.append(bar)
    return {
        "height": TOP * 2 + ROW_HEIGHT * len(rows),
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }
