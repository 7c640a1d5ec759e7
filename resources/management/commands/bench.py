"""Server-side benchmark of the public pages, on whatever database DATABASE_URL names.

Each page state is requested through the whole Django stack (middleware, view, facets,
count, page, template) with the test client, warm: a few unmeasured requests first, then
--repeat measured ones. Printed per state: median and p95 milliseconds and the number of
SQL queries, as a table and as JSON, in these modes:

- "cached": as in production, a page seen before comes whole from the cache keyed by the
  content version;
- "parts": facet counts and result pages cached, the page rendered;
- "computed": no cache: every request does all its work on the in-memory facet index
  (resources/search/facetindex/), warm;
- "changed": before every measured request (untimed) one published resource is changed,
  as a curator's edit would: the cache is stale, and the facet index applies the change
  from the log before answering. This is the first request after a publish;
- "new query": as computed, with the facet index's memory of text matches emptied before
  every request: a search word nobody has asked for since the index was read;
- "sql": as computed with the facet index off: facets, counts and pages in SQL.

A state whose URL does not resolve yet (a page another branch adds) is listed as pending;
adding a state is one line in states(). Every human page is measured in English and again
in Spanish ("library · es"): the caches are keyed by language.
"""

import json
import random
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import translation
from taggit.models import Tag

from core import memory
from resources.models import Country, Resource, Theme
from resources.search.backends import backend
from resources.search.version import bump_version


def states():
    """(name, URL) of every page state measured, built from what the data holds."""
    published = Resource.objects.published()
    countries = list(
        Country.objects.annotate(n=Count("resources")).filter(n__gt=0).order_by("-n", "code")
    )
    common = countries[0].code.lower() if countries else "gh"
    rare = countries[-1].code.lower() if countries else "gh"
    theme = Theme.objects.annotate(n=Count("resources")).order_by("-n").first()
    theme = theme.slug if theme else "mercury"
    tag = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n").first()
    tag = tag.slug if tag else "mercury"
    pages = max(1, -(-published.count() // settings.ASMHUB_PAGE_SIZE))
    deep = min(pages, 200)
    some = published.order_by("pk").values_list("slug", flat=True).first() or "none"
    pages = [
        ("library", "/resources/"),
        ("common filter", f"/resources/?country={common}"),
        ("rare filter", f"/resources/?country={rare}"),
        ("three filters", f"/resources/?country={common}&theme={theme}&type=report"),
        ("tag", f"/resources/?tag={tag}"),
        ("common word", "/resources/?q=mining"),
        ("rare word", "/resources/?q=cinnabar"),
        ("search + filters", f"/resources/?q=gold+women&country={common}&theme={theme}"),
        ("deep page", f"/resources/?page={deep}"),
        ("detail", f"/resources/{some}/"),
        ("country profile", f"/countries/{common}/"),
        ("site search", "/search/?q=mercury"),
    ]
    # The human pages again in a second language, whose caches are keyed apart; machine
    # endpoints have one URL.
    second = [(f"{name} · es", f"/es{path}") for name, path in pages]
    return (
        pages
        + second
        + [
            ("atom feed", "/feeds/resources.atom"),
            ("oai-pmh ListRecords", "/oai?verb=ListRecords&metadataPrefix=oai_dc"),
            ("api list", "/api/resources/"),
        ]
    )


def varied_states(count, seed=1):
    """count random library URLs: filters, words, sorts and pages drawn from the data, as
    many different visitors would ask, so few of them repeat."""
    rng = random.Random(seed)
    countries = [c.lower() for c in Country.objects.values_list("code", flat=True)]
    themes = list(Theme.objects.values_list("slug", flat=True))
    tags = list(Tag.objects.order_by("pk").values_list("slug", flat=True)[:500])
    words = ["mining", "gold", "mercury", "women", "cooperatives", "price", "water"]
    words += ["formalización"]
    words += ["child labour", "licence", "cyanide", "tailings", "royalties", "smuggling"]
    sorts = ["", "", "", "newest", "oldest", "title"]
    urls = []
    for _ in range(count):
        params = []
        if rng.random() < 0.5 and countries:
            params.append(("country", rng.choice(countries[:20])))
        if rng.random() < 0.3 and themes:
            params.append(("theme", rng.choice(themes)))
        if rng.random() < 0.25 and tags:
            params.append(("tag", rng.choice(tags)))
        if rng.random() < 0.35:
            params.append(("q", " ".join(rng.sample(words, rng.choice([1, 1, 2])))))
        if rng.random() < 0.2:
            params.append(("year_from", rng.randint(1995, 2020)))
        sort = rng.choice(sorts)
        if sort:
            params.append(("sort", sort))
        if not params and rng.random() < 0.5:
            # Deep pages of the whole library (a page past the last one is a 404).
            params.append(("page", rng.randint(2, 200)))
        urls.append("/resources/" + (f"?{urlencode(params)}" if params else ""))
    return urls


# What each mode turns off: nothing; the whole-page cache; every cache.
NO_CACHE = {"ASMHUB_SEARCH_PAGE_CACHE": False, "ASMHUB_SEARCH_CACHE_SECONDS": 0}
MODES = {
    "cached": {},
    "parts": {"ASMHUB_SEARCH_PAGE_CACHE": False},
    "computed": NO_CACHE,
    "changed": {**NO_CACHE, "ASMHUB_FACET_INDEX_BACKGROUND": False},
    "new query": NO_CACHE,
    "sql": {**NO_CACHE, "ASMHUB_FACET_INDEX": False},
}
DEFAULT_MODES = ["cached", "parts", "computed", "new query", "changed"]


def change_one(ids):
    """What a curator's edit does to the index: one row rebuilt, logged, version bumped."""
    with transaction.atomic():
        backend().refresh([random.choice(ids)])
        bump_version()


BEFORE = {"changed": "change", "new query": "forget"}


def resolves(url):
    path = url.split("?")[0]
    # A language prefix resolves only while its language is active.
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            resolve(path)
    except Resolver404:
        return False
    return True


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(client, url, repeat, warmup, before=lambda: None):
    for _ in range(warmup):
        client.get(url)
    before()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read now: later requests reset the connection's query log this slice points into.
    query_count = len(queries)
    timings = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "queries": query_count,
    }


class Command(BaseCommand):
    help = "Time every public page state; print a table and JSON."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--json", dest="json_path", help="Also write the JSON here.")
        parser.add_argument(
            "--mode",
            nargs="*",
            choices=[*MODES, "all"],
            default=["all"],
            help=f"Modes to measure (all: {', '.join(DEFAULT_MODES)}).",
        )
        parser.add_argument("--only", nargs="*", help="Measure only these states (by name).")
        parser.add_argument(
            "--list-paths", action="store_true", help="Print the paths of the states and stop."
        )
        parser.add_argument(
            "--varied",
            type=int,
            default=0,
            metavar="N",
            help="With --list-paths: print N random states of the library instead (for a "
            "load test that mostly misses the page cache).",
        )

    def handle(self, *args, repeat, warmup, json_path, mode, only=None, **options):
        if options.get("list_paths") and options.get("varied"):
            for url in varied_states(options["varied"]):
                self.stdout.write(url)
            return
        if options.get("list_paths"):
            for _name, url in states():
                if resolves(url):
                    self.stdout.write(url)
            return
        client = Client()
        results = {
            "vendor": connection.vendor,
            "resources": Resource.objects.count(),
            "published": Resource.objects.published().count(),
            "repeat": repeat,
            "states": [],
        }
        mode = [mode] if isinstance(mode, str) else mode
        modes = (
            [*DEFAULT_MODES, *(m for m in mode if m not in DEFAULT_MODES and m != "all")]
            if "all" in mode
            else mode
        )
        ids = list(Resource.objects.published().values_list("pk", flat=True)[:5000])
        befores = {"change": lambda: change_one(ids), "forget": backend().forget_searches}
        rows = []
        for name, url in states():
            if only and name not in only:
                continue
            row = {"state": name, "url": url}
            if not resolves(url):
                row["pending"] = "not in this branch yet"
            rows.append(row)
        # A served process settles its garbage collector once, after its first requests
        # (core/memory.py): so does this one, before it measures, rather than in the
        # middle of whichever state its twentieth request falls in.
        for row in rows:
            if "pending" not in row:
                client.get(row["url"])
        memory.settle(final=True)
        # Mode by mode, so the changes the "changed" mode makes (it comes last) do not
        # leave the other modes measuring an index with changes patched in.
        for each in sorted(modes, key=lambda m: m == "changed"):
            before = befores.get(BEFORE.get(each), lambda: None)
            for row in rows:
                if "pending" not in row:
                    with override_settings(**MODES[each]):
                        row[each] = measure(client, row["url"], repeat, warmup, before)
        results["states"] = rows
        self.print_table(results, modes)
        text = json.dumps(results, indent=2)
        self.stdout.write(text)
        if json_path:
            with open(json_path, "w") as handle:
                handle.write(text + "\n")

    def print_table(self, results, modes):
        self.stdout.write(
            f"{results['vendor']}: {results['resources']} resources "
            f"({results['published']} published), {results['repeat']} requests per state"
        )
        header = f"{'state':<22}" + "".join(
            f"{m[:10] + ' median':>17}{'p95':>9}{'queries':>9}" for m in modes
        )
        self.stdout.write(header)
        for row in results["states"]:
            if "pending" in row:
                self.stdout.write(f"{row['state']:<22}  pending: {row['pending']}")
                continue
            cells = "".join(
                f"{row[m]['median_ms']:>17}{row[m]['p95_ms']:>9}{row[m]['queries']:>9}"
                for m in modes
            )
            status = "" if all(row[m]["status"] == 200 for m in modes) else "  (not 200!)"
            self.stdout.write(f"{row['state']:<22}{cells}{status}")
