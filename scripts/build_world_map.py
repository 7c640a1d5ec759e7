"""Build the hub's world map from Natural Earth's public-domain boundaries.

Run once when the boundaries change, and commit both outputs:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world_map.py package/countries-110m.json

world-atlas (ISC licence) is Natural Earth's 1:110m Admin 0 countries (public domain) as
TopoJSON. This reads it without a TopoJSON library (arcs are delta-encoded integer
points under a linear transform), projects it equirectangularly onto a WIDTH-wide plane
cut at the latitudes below, simplifies every ring (Douglas-Peucker at TOLERANCE pixels),
and writes:

- static/img/world.svg: every country as one grey path, the map's background (a static
  file, cached by the browser like the stylesheet);
- asmhub/data/world_shapes.json: each country's path by ISO 3166-1 alpha-2 code, which
  asmhub/worldmap.py draws in the page as links for the programme's countries.
"""

import json
import sys
from pathlib import Path

from django_countries import countries as iso_countries

WIDTH = 960
NORTH, SOUTH = 84.0, -57.0  # Antarctica left out: no programme there, much ink
SCALE = WIDTH / 360
HEIGHT = round((NORTH - SOUTH) * SCALE)
TOLERANCE = 0.7
ROOT = Path(__file__).resolve().parent.parent


def decoded_arcs(topology):
    """Every arc as a list of (longitude, latitude)."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for step_x, step_y in arc:
            x, y = x + step_x, y + step_y
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    """A ring (indices of arcs; ~i is arc i reversed) as one list of points."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def unwrapped(points):
    """A ring that crosses the antimeridian (Russia's far east, Fiji) kept whole: its
    western longitudes moved past 180, outside the map's right edge, instead of a line
    across the whole world."""
    crosses = any(abs(b[0] - a[0]) > 180 for a, b in zip(points, points[1:], strict=False))
    if not crosses:
        return points
    return [
        (longitude + 360 if longitude < 0 else longitude, latitude)
        for longitude, latitude in points
    ]


def project(longitude, latitude):
    latitude = max(SOUTH, min(NORTH, latitude))
    return ((longitude + 180) * SCALE, (NORTH - latitude) * SCALE)


def simplified(points, tolerance=TOLERANCE):
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            x0, y0 = points[index]
            if length:
                d = abs((y2 - y1) * x0 - (x2 - x1) * y0 + x2 * y1 - y2 * x1) / length
            else:
                d = ((x0 - x1) ** 2 + (y0 - y1) ** 2) ** 0.5
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep.add(farthest)
            stack += [(first, farthest), (farthest, last)]
    return [points[index] for index in sorted(keep)]


def path_data(polygons, arcs):
    """SVG path data of polygons (lists of rings), in relative whole pixels; rings
    smaller than a pixel or two left out."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            ring = unwrapped(ring_points(ring, arcs))
            points = simplified([project(*point) for point in ring])
            xs, ys = [x for x, _y in points], [y for _x, y in points]
            if len(points) < 3 or (max(xs) - min(xs)) + (max(ys) - min(ys)) < 2:
                continue
            rounded = [(round(x), round(y)) for x, y in points]
            steps = [f"M{rounded[0][0]} {rounded[0][1]}"]
            for (x0, y0), (x1, y1) in zip(rounded, rounded[1:], strict=False):
                if (x1, y1) != (x0, y0):
                    steps.append(f"{x1 - x0} {y1 - y0}")
            if len(steps) > 2:
                parts.append(steps[0] + "l" + " ".join(steps[1:]) + "z")
    return "".join(parts)


def main(source):
    topology = json.loads(Path(source).read_text())
    arcs = decoded_arcs(topology)
    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = iso_countries.alpha2(geometry.get("id", "")) if geometry.get("id") else ""
        if code == "AQ":
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        data = path_data(polygons, arcs)
        if data and code:
            shapes[code] = shapes.get(code, "") + data
        elif data:
            shapes[f"_{len(shapes)}"] = data  # a territory without a code: background only
    background = "".join(shapes.values())
    (ROOT / "static/img/world.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}">'
        f'<path fill="#d9d4cc" stroke="#fff" stroke-width=".5" d="{background}"/></svg>\n'
    )
    coded = {code: data for code, data in sorted(shapes.items()) if not code.startswith("_")}
    (ROOT / "asmhub/data/world_shapes.json").write_text(
        json.dumps({"width": WIDTH, "height": HEIGHT, "shapes": coded}, separators=(",", ":"))
        + "\n"
    )
    print(f"{len(coded)} countries, {WIDTH}x{HEIGHT}")


if __name__ == "__main__":
    import django

    sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")
    django.setup()
    main(sys.argv[1])
