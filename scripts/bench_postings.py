"""The facet index's columns as NumPy arrays (as shipped) against pyroaring BitMaps.

An experiment, not part of `make test` or `make bench`: synthetic snapshots of the shapes
`seed_bench` makes (51 countries, 12 themes, 10 commodities, 2,000 tags, 15 types, 4
languages, Zipf-distributed; years 1990-2026), at 100,000 and 1,000,000 documents, and
the operations a library page costs on them, each measured in CPU time
(`time.process_time`) as the median of many repeats:

- facets: every facet counted under the mask of every filter but its own, for a state
  with a country, a theme and a type filter (NumPy: `query.Query.facet_counts`, the
  shipped code; BitMaps: one `intersection_cardinality` a value);
- intersect: the filters' masks made from the postings and combined;
- text build / text use: a search's matches (a word in 85% of the documents, and one in
  0.1%) made into a mask from resource ids, as a cache miss does, and used again, as
  a cache hit does (NumPy keeps it packed 8 to a byte, as `text.py` does);
- change: one document's facet values changed (NumPy: the positions no longer current,
  the row moved to the overlay, as `state._sync` does; BitMaps: the touched value
  bitmaps copied and edited, as an in-place update safe for requests in flight must);
- facets, 100 changed: the first measure once 100 documents have changed (NumPy: the
  overlay's rows counted in Python; BitMaps: nothing more, they were edited).

    pip install pyroaring        # not a dependency of the hub
    python scripts/bench_postings.py --sizes 100000 1000000

It checks that both give the same counts before timing them.
"""

import argparse
import array
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

SHAPES = {"country": 51, "theme": 12, "commodity": 10, "tag": 2000}
PER_DOC = {"country": (1, 2), "theme": (1, 3), "commodity": (0, 2), "tag": (1, 6)}
ZIPF = {"country": 1.2, "theme": 0.8, "commodity": 1.5, "tag": 1.0}
SCALARS = {"type": 15, "language": 4}


def zipf(n, s):
    weights = 1 / np.arange(1, n + 1) ** s
    return weights / weights.sum()


def synthetic(size, seed=6):
    """(ids, {facet: [(value, ids)]}, {facet: [(value, ids)]}, years) like seed_bench's."""
    rng = np.random.default_rng(seed)
    ids = np.sort(rng.choice(size * 21 // 20, size, replace=False)).astype(np.int64) + 1
    arrays = {}
    for name, n in SHAPES.items():
        low, high = PER_DOC[name]
        k = rng.integers(low, high + 1, size)
        docs = np.repeat(np.arange(size), k)
        values = rng.choice(n, len(docs), p=zipf(n, ZIPF[name]))
        pairs = np.unique(values.astype(np.int64) * size + docs)
        values, docs = pairs // size, pairs % size
        bounds = np.searchsorted(values, np.arange(n + 1))
        arrays[name] = [
            (f"{name}-{v:04d}", ids[docs[bounds[v] : bounds[v + 1]]])
            for v in range(n)
            if bounds[v + 1] > bounds[v]
        ]
    scalars = {}
    for name, n in SCALARS.items():
        codes = rng.choice(n, size, p=zipf(n, 1.0))
        scalars[name] = [
            (f"{name}-{v:02d}", ids[codes == v]) for v in range(n) if (codes == v).any()
        ]
    years = np.minimum(2026, 2026 - rng.exponential(7, size).astype(np.int64))
    years = np.maximum(years, 1990).astype(np.int16)
    years[rng.random(size) < 0.02] = 0
    return ids, arrays, scalars, years


def bitmap(positions):
    """A BitMap of positions, through array.array (ten times faster than from NumPy)."""
    from pyroaring import BitMap

    return BitMap(array.array("I", np.asarray(positions, dtype=np.uint32).tobytes()))


class Roaring:
    """The same snapshot as BitMaps of positions: one a facet value, one a year."""

    def __init__(self, snapshot):
        self.size = snapshot.size
        self.alive = bitmap(np.arange(snapshot.size))
        self.values = {}
        for name, postings in snapshot.postings.items():
            self.values[name] = {
                value: bitmap(postings.docs[postings.offsets[i] : postings.offsets[i + 1]])
                for i, value in enumerate(postings.values)
            }
        for name, codes in snapshot.codes.items():
            self.values[name] = {
                value: bitmap(np.flatnonzero(codes.codes == i))
                for i, value in enumerate(codes.values)
            }
        self.years = {
            int(y): bitmap(np.flatnonzero(snapshot.years == y))
            for y in np.unique(snapshot.years)
            if y
        }

    def filter_masks(self, library):
        from pyroaring import BitMap

        masks = {
            name: BitMap.union(*(self.values[name][v] for v in wanted if v in self.values[name]))
            for name, wanted in library.filters.items()
        }
        if library.year_from is not None or library.year_to is not None:
            low, high = library.year_from or 0, library.year_to or 9999
            masks["year"] = BitMap.union(*(m for y, m in self.years.items() if low <= y <= high))
        return masks

    def facet_counts(self, library, masks=None):
        masks = self.filter_masks(library) if masks is None else masks

        def without(name):
            mask = self.alive
            for other, each in masks.items():
                if other != name:
                    mask = mask & each
            return mask

        facets = {}
        for name, values in self.values.items():
            mask = without(name)
            tally = [(v, m.intersection_cardinality(mask)) for v, m in values.items()]
            tally = [item for item in tally if item[1]]
            if name == "tag":
                tally = sorted(tally, key=lambda item: (-item[1], item[0]))[: library.top_tags]
            facets[name] = tally
        mask = without("year")
        decades = {}
        for year, m in self.years.items():
            n = m.intersection_cardinality(mask)
            if n:
                key = str(year // 10 * 10)
                decades[key] = decades.get(key, 0) + n
        facets["year"] = list(decades.items())
        return facets, len(without(None))

    def change(self, position, old, new):
        """A copy of the value bitmaps this document's change touches, edited; the rest
        shared (requests in flight keep reading the ones they hold)."""
        values = dict(self.values)
        for name in new:
            values[name] = dict(values[name])
            for value in old[name] - new[name]:
                values[name][value] = values[name][value].copy()
                values[name][value].discard(position)
            for value in new[name] - old[name]:
                values[name][value] = values[name][value].copy()
                values[name][value].add(position)
        self.values = values


def median_ms(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def normalised(facets):
    return {name: sorted(items) for name, items in facets.items()}


def run(size, repeats):
    import django

    django.setup()
    from resources.search.facetindex import query
    from resources.search.facetindex.overlay import Row
    from resources.search.facetindex.snapshot import Snapshot

    ids, arrays, scalars, years = synthetic(size)
    snapshot = Snapshot.build(
        ids=ids,
        arrays=arrays,
        scalars=scalars,
        years=years,
        orders=[("newest", ids)],
        generation=0,
        low_water=0,
        seen=(),
        started=0.0,
    )
    roaring = Roaring(snapshot)
    library = SimpleNamespace(
        filters={
            "country": [arrays["country"][0][0]],
            "theme": [arrays["theme"][1][0]],
            "type": [scalars["type"][0][0], scalars["type"][2][0]],
        },
        q="",
        year_from=2005,
        year_to=None,
        top_tags=15,
    )

    def view(overlay=None, alive=None):
        alive = np.ones(size, dtype=bool) if alive is None else alive
        return SimpleNamespace(snapshot=snapshot, alive=alive, overlay=overlay or {}, version=1)

    def numpy_facets(v=None):
        return query.Query(library, v or view()).facet_counts()

    numpy_result = numpy_facets()
    roaring_result = roaring.facet_counts(library)
    assert numpy_result[1] == roaring_result[1], (numpy_result[1], roaring_result[1])
    assert normalised(numpy_result[0]) == normalised(roaring_result[0])

    def numpy_intersect():
        return query.Query(library, view()).mask_without(None)

    def roaring_intersect():
        masks = roaring.filter_masks(library)
        mask = roaring.alive
        for each in masks.values():
            mask = mask & each
        return mask

    assert int(numpy_intersect().sum()) == len(roaring_intersect())

    rng = np.random.default_rng(1)
    searches = {
        "common word": np.sort(ids[rng.random(size) < 0.85]),
        "rare word": np.sort(ids[rng.random(size) < 0.001]),
    }

    def matching_positions(found):
        # text.matches_by_id's read (a bitmap over ids), then text_matches's gather.
        present = np.zeros(int(found.max()) + 1, dtype=bool)
        present[found] = True
        packed = np.packbits(present).tobytes()
        present = np.unpackbits(np.frombuffer(packed, dtype=np.uint8)).view(bool)
        known = np.searchsorted(snapshot.ids, len(present))
        matching = np.zeros(size, dtype=bool)
        matching[:known] = present[snapshot.ids[:known]]
        return matching

    def numpy_text_build(found):
        return np.packbits(matching_positions(found))

    def roaring_text_build(found):
        return bitmap(np.flatnonzero(matching_positions(found)))

    built = {name: (numpy_text_build(f), roaring_text_build(f)) for name, f in searches.items()}

    everything = np.ones(size, dtype=bool)

    def numpy_text_use(packed):
        return everything & np.unpackbits(packed, count=size).view(bool)

    def roaring_text_use(bitmap):
        return roaring.alive & bitmap

    # 100 changed documents: each gets another tag and loses one of its own.
    changed_positions = rng.choice(size, 100, replace=False)
    tag_values = [value for value, _ids in arrays["tag"]]
    old_rows, new_rows = {}, {}
    for position in changed_positions.tolist():
        old = {
            name: frozenset(v for v, m in roaring.values[name].items() if position in m)
            for name in (*SHAPES, *SCALARS)
        }
        extra = tag_values[int(rng.integers(len(tag_values)))]
        new = dict(old, tag=frozenset(sorted(old["tag"])[1:]) | {extra})
        old_rows[position], new_rows[position] = old, new

    def row(position, values):
        pk = int(snapshot.ids[position])
        (kind,) = values["type"]
        (language,) = values["language"]
        year = int(snapshot.years[position]) or None
        return Row(pk, year, None, "", kind, language, *(values[n] for n in SHAPES))

    def numpy_change(position, alive, overlay):
        alive = alive.copy()
        alive[snapshot.positions([snapshot.ids[position]])] = False
        overlay = dict(overlay)
        overlay[int(snapshot.ids[position])] = row(position, new_rows[position])
        return alive, overlay

    first = int(changed_positions[0])
    timings = {
        "facets": (
            median_ms(numpy_facets, repeats),
            median_ms(lambda: roaring.facet_counts(library), repeats),
        ),
        "intersect": (median_ms(numpy_intersect, repeats), median_ms(roaring_intersect, repeats)),
    }
    for name, found in searches.items():
        timings[f"text build, {name}"] = (
            median_ms(lambda f=found: numpy_text_build(f), repeats),
            median_ms(lambda f=found: roaring_text_build(f), repeats),
        )
        packed, matches = built[name]
        timings[f"text use, {name}"] = (
            median_ms(lambda p=packed: numpy_text_use(p), repeats),
            median_ms(lambda b=matches: roaring_text_use(b), repeats),
        )
    base_values = roaring.values

    def roaring_one_change():
        roaring.values = base_values
        roaring.change(first, old_rows[first], new_rows[first])

    timings["change (one document)"] = (
        median_ms(lambda: numpy_change(first, np.ones(size, dtype=bool), {}), repeats),
        median_ms(roaring_one_change, repeats),
    )
    alive, overlay = np.ones(size, dtype=bool), {}
    roaring.values = base_values
    for position in changed_positions.tolist():
        alive, overlay = numpy_change(position, alive, overlay)
        roaring.change(position, old_rows[position], new_rows[position])
    changed_view = view(overlay, alive)
    numpy_result = numpy_facets(changed_view)
    roaring_result = roaring.facet_counts(library)
    assert numpy_result[1] == roaring_result[1]
    assert normalised(numpy_result[0]) == normalised(roaring_result[0])
    timings["facets, 100 changed"] = (
        median_ms(lambda: numpy_facets(changed_view), repeats),
        median_ms(lambda: roaring.facet_counts(library), repeats),
    )
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=0, help="default: 3,000,000 / size")
    args = parser.parse_args()
    print("| size | operation | NumPy ms | BitMaps ms | BitMaps / NumPy |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        repeats = args.repeats or max(15, 3_000_000 // size)
        for operation, (numpy_ms, roaring_ms) in run(size, repeats).items():
            ratio = roaring_ms / numpy_ms if numpy_ms else float("inf")
            print(f"| {size:,} | {operation} | {numpy_ms:.3f} | {roaring_ms:.3f} | {ratio:.2f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
