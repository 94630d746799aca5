"""Server-drawn charts: the SVG radar and the comparison's heatmap. No JavaScript,
nothing fetched at run time."""

import math

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

SCALE_MAX = 4  # scores run 1–4; the centre of the chart is 0
LINE_HEIGHT = 15  # px, for 13 px axis labels
# Okabe–Ito colours (safe for colour-blind readers), each with its own line
# pattern and marker so the series are told apart without colour too.
SERIES_STYLES = [
    {"colour": "#0072B2", "dash": "", "marker": "circle"},
    {"colour": "#D55E00", "dash": "9 4", "marker": "square"},
    {"colour": "#009E73", "dash": "2 4", "marker": "triangle"},
    {"colour": "#CC79A7", "dash": "12 4 3 4", "marker": "diamond"},
]


def _point(cx, cy, radius, angle):
    return round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1)


# Marker outlines as (dx, dy) corners in units of the marker size.
MARKER_SHAPES = {
    "square": [(-1, -1), (1, -1), (1, 1), (-1, 1)],
    "triangle": [(0, -1.2), (1.1, 0.8), (-1.1, 0.8)],
    "diamond": [(0, -1.3), (1.1, 0), (0, 1.3), (-1.1, 0)],
}


def _marker_path(shape, x, y, size=5.0):
    """An SVG path for a series marker centred on (x, y)."""
    if shape in MARKER_SHAPES:
        corners = [
            (round(x + dx * size, 1), round(y + dy * size, 1)) for dx, dy in MARKER_SHAPES[shape]
        ]
        return "M" + "L".join(f"{cx},{cy}" for cx, cy in corners) + "z"
    return f"M{x - size},{y}a{size},{size} 0 1,0 {2 * size},0a{size},{size} 0 1,0 {-2 * size},0"


@register.inclusion_tag("hiring/_radar.html")
def radar_chart(axes, series, size=500, label_room=110):
    """A radar (spider) chart: one axis per competency, one polygon per candidate.

    ``axes`` are the axis names; ``series`` are ``{"name", "values"}`` with one
    mean per axis (None when nobody assessed it: the outline leaves a gap there, rather
    than dipping to the centre as if it were a 0, and the description says so).
    """
    count = max(len(axes), 1)
    width = size + 2 * label_room  # axis labels sit left and right of the rim
    cx, cy = width / 2, size / 2
    radius = size * 0.36
    angles = [-math.pi / 2 + 2 * math.pi * i / count for i in range(count)]

    rings = []
    for level in range(1, SCALE_MAX + 1):
        points = [_point(cx, cy, radius * level / SCALE_MAX, a) for a in angles]
        rings.append(
            {
                "level": level,
                "points": " ".join(f"{x},{y}" for x, y in points),
                "label_x": round(cx + 4, 1),
                "label_y": round(cy - radius * level / SCALE_MAX - 3, 1),
            }
        )

    spokes = []
    for name, angle in zip(axes, angles, strict=True):
        x, y = _point(cx, cy, radius, angle)
        lx, ly = _point(cx, cy, radius + 16, angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        sin = math.sin(angle)
        lines = _wrap(name)
        if sin > 0.3:  # lower half: the label hangs below the rim
            ly += 14
        elif sin < -0.3:  # upper half: extra lines go up, away from the rim
            ly -= LINE_HEIGHT * (len(lines) - 1)
        spokes.append(
            {
                "x": x,
                "y": y,
                "label_x": lx,
                "label_y": round(ly, 1),
                "anchor": anchor,
                "lines": lines,
            }
        )

    drawn = []
    for index, item in enumerate(series):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        points, markers = [], []
        for value, angle in zip(item["values"], angles, strict=True):
            if value is None:
                points.append(None)
                continue
            scaled = min(max(value, 0), SCALE_MAX)
            x, y = _point(cx, cy, radius * scaled / SCALE_MAX, angle)
            points.append(f"{x},{y}")
            markers.append(_marker_path(style["marker"], x, y))
        gaps = None in points
        drawn.append(
            {
                **style,
                "name": item["name"],
                "points": "" if gaps else " ".join(points),
                "outline": _outline_with_gaps(points) if gaps else "",
                "markers": markers,
                "legend_marker": _marker_path(style["marker"], 30, 8, 4.5),
                "values": list(zip(axes, item["values"], strict=True)),
            }
        )
    return {
        "width": width,
        "height": size,
        "cx": cx,
        "cy": cy,
        "rings": rings,
        "spokes": spokes,
        "series": drawn,
    }


def _outline_with_gaps(points):
    """An SVG path joining each assessed axis to the next assessed one beside it, and
    no further: an axis nobody assessed stays a gap in the outline."""
    count = len(points)
    segments = []
    for i, point in enumerate(points):
        following = points[(i + 1) % count]
        if point is not None and following is not None and count > 1:
            segments.append(f"M{point}L{following}")
    return "".join(segments)


def _wrap(text, width=18):
    """Split a long axis label over lines of about ``width`` characters."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


_HEAT_CELLS = object()  # the page's rendered cells, in its render context


@register.simple_tag(takes_context=True)
def heat_cells(context, cells):
    """A heatmap row's cells (``hiring/_heat_cell.html``). The compare page has thousands
    of cells with few distinct values (they print only numbers), so each distinct cell is
    rendered once per page and reused."""
    rendered = context.render_context.setdefault(_HEAT_CELLS, {})
    cell_template = context.template.engine.get_template("hiring/_heat_cell.html")
    html = []
    for cell in cells:
        # The template sees these values and nothing else, so they are the key.
        key = (cell["mean"], cell["n"], cell["spread"], cell["disagreement"], cell["heat"])
        if key not in rendered:
            shown = dict(zip(("mean", "n", "spread", "disagreement", "heat"), key, strict=True))
            rendered[key] = cell_template.render(context.new({"cell": shown}))
        html.append(rendered[key])
    return mark_safe("".join(html))  # each rendered (and escaped) by the template
