"""Server-side benchmark of the public pages, on whatever database DATABASE_URL names.

Each page state is requested through the whole Django stack (middleware, view, facets,
count, page, template) with the test client, warm: a few unmeasured requests first, then
--repeat measured ones. Printed per state: median and p95 milliseconds and the number of
SQL queries, as a table and as JSON, in three modes: "cached" (as in production: a page
seen before comes whole from the cache keyed by the content version), "parts" (facet
counts and result pages cached, the page rendered) and "computed" (no cache: every request
does all its work, as the first request after a publish does).

A state whose URL does not resolve yet (a page another branch adds) is listed as pending;
adding a state is one line in states().
"""

import json
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from taggit.models import Tag

from resources.models import Country, Resource, Theme


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
    return [
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
        ("atom feed", "/feeds/resources.atom"),
        ("oai-pmh ListRecords", "/oai?verb=ListRecords&metadataPrefix=oai_dc"),
        ("api list", "/api/resources/"),
    ]


# What each mode turns off: nothing; the whole-page cache; every cache.
MODES = {
    "cached": {},
    "parts": {"ASMHUB_SEARCH_PAGE_CACHE": False},
    "computed": {"ASMHUB_SEARCH_PAGE_CACHE": False, "ASMHUB_SEARCH_CACHE_SECONDS": 0},
}


def resolves(url):
    try:
        resolve(url.split("?")[0])
    except Resolver404:
        return False
    return True


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(client, url, repeat, warmup):
    for _ in range(warmup):
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read now: later requests reset the connection's query log this slice points into.
    query_count = len(queries)
    timings = []
    for _ in range(repeat):
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
        parser.add_argument("--mode", choices=["cached", "parts", "computed", "all"], default="all")
        parser.add_argument("--only", nargs="*", help="Measure only these states (by name).")
        parser.add_argument(
            "--list-paths", action="store_true", help="Print the paths of the states and stop."
        )

    def handle(self, *args, repeat, warmup, json_path, mode, only=None, **options):
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
        modes = ["cached", "parts", "computed"] if mode == "all" else [mode]
        for name, url in states():
            if only and name not in only:
                continue
            row = {"state": name, "url": url}
            if not resolves(url):
                row["pending"] = "not in this branch yet"
                results["states"].append(row)
                continue
            for each in modes:
                with override_settings(**MODES[each]):
                    row[each] = measure(client, url, repeat, warmup)
            results["states"].append(row)
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
            f"{m + ' median':>17}{'p95':>9}{'queries':>9}" for m in modes
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
