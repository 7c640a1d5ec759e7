"""Server-drawn charts: geometry computed here, drawn as inline SVG by a template, so a
chart reads without JavaScript and costs a few hundred bytes."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 700
LABEL_WIDTH = 170
VALUE_WIDTH = 200
ROW_HEIGHT = 30
BAR_HEIGHT = 16
TOP = 10
BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH


@dataclass
class Bar:
    label: str
    value_text: str
    description: str
    y: float
    text_y: float
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
        y = TOP + index * ROW_HEIGHT
        bar = Bar(
            label=label,
            value_text=value_text,
            description=description,
            y=y,
            text_y=y + BAR_HEIGHT - 3,
            mid_y=y + BAR_HEIGHT / 2,
            missing=value is None and low is None and high is None,
        )
        if value is not None:
            bar.width = round(float(value) * scale, 1)
        if low is not None or high is not None:
            bar.range_x1 = LABEL_WIDTH + round(float(low if low is not None else value) * scale, 1)
            bar.range_x2 = LABEL_WIDTH + round(
                float(high if high is not None else value) * scale, 1
            )
        bars.append(bar)
    return {
        "width": WIDTH,
        "height": TOP * 2 + ROW_HEIGHT * len(rows),
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "value_x": LABEL_WIDTH + BAR_AREA + 8,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }
