"""`make bench-downloads`: throughput and latency of the hub on a local two-server cluster.

Starts the same cluster as the tests (PostgreSQL, SeaweedFS, Redis, gunicorn A and B,
plus C with signed-URL downloads), fills it with 300 resources, and measures, with a
fixed number of concurrent clients for a few seconds each:

- the library page and a detail page, on one server and spread over two;
- a 5 MB download streamed through an app server, and the same download by redirect to
  a signed URL of the bucket (the app only counts and signs; the bucket sends the bytes).

The client runs on the same machine as the servers, so the numbers are a floor and a
comparison between modes, not a capacity figure for real hardware.

Environment: BENCH_SECONDS (5) each measurement lasts, BENCH_CLIENTS (8) concurrent
clients, BENCH_WORKERS (2) gunicorn workers per app server.
"""

import os
import shutil
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from .servers import AppServer, Cluster

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
FILL = """
import random
from django.core.files.base import ContentFile
from tests.factories import ResourceFactory, ThemeFactory, CommodityFactory
from resources.models import Country
countries = [Country.objects.get_or_create(code=c)[0] for c in ['TZ','GH','PE','CO','ET','BO','IN']]
themes = [ThemeFactory(slug=f't{n}', name=f'Theme {n}') for n in range(8)]
commodities = [CommodityFactory(slug=f'c{n}', name=f'Commodity {n}') for n in range(6)]
random.seed(7)
for n in range(300):
    ResourceFactory(slug=f'bench-{n}', year=1995 + n % 30,
        countries=random.sample(countries, 2), themes=random.sample(themes, 2),
        commodities=random.sample(commodities, 1), tags=['gold', f'tag{n % 12}'],
        authors=['Hilson, Gavin', 'IIED'])
big = ContentFile(b'%PDF' + bytes(5 * 1024 * 1024), 'big.pdf')
ResourceFactory(slug='big', external_url='', file=big)
"""


def measure(name, urls, *, follow=True, clients=CLIENTS, seconds=SECONDS):
    """Requests per second, latency percentiles and bytes/s of GETs to urls."""
    deadline = time.monotonic() + seconds
    latencies, errors, received = [], 0, 0

    def worker(offset):
        nonlocal errors, received
        session, n, mine = requests.Session(), offset, []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = session.get(urls[n % len(urls)], allow_redirects=follow, timeout=30)
            body = response.content
            mine.append(time.perf_counter() - started)
            if response.status_code >= 400:
                errors += 1
            received += len(body)
            n += 1
        return mine

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for mine in pool.map(worker, range(clients)):
            latencies.extend(mine)
    elapsed = time.monotonic() - started
    latencies.sort()
    row = {
        "name": name,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "MB_s": received / elapsed / 1e6,
        "errors": errors,
    }
    print(
        f"| {name} | {row['requests']} | {row['rps']:.0f} | {row['p50_ms']:.0f} | "
        f"{row['p95_ms']:.0f} | {row['MB_s']:.1f} | {errors} |",
        flush=True,
    )
    return row


def main():
    cluster = Cluster(workers=int(os.environ.get("BENCH_WORKERS", "2")))
    extra = None
    try:
        cluster.start()
        cluster.manage("shell", "-c", FILL)
        extra = AppServer(
            "c",
            cluster.root,
            cluster.app_ports["b"] + 1,
            {**cluster.env(), "ASMHUB_DOWNLOAD_REDIRECT": "true"},
        )
        extra.start()
        a, b = cluster.a.url, cluster.b.url
        print(
            f"{os.cpu_count()} CPUs, {CLIENTS} clients, {SECONDS:.0f} s each, "
            f"{cluster.workers} gthread workers x 4 threads per server\n"
        )
        print("| what | requests | req/s | p50 ms | p95 ms | MB/s | errors |")
        print("|---|---|---|---|---|---|---|")
        measure("library page, server A", [f"{a}/resources/"])
        measure("library page, A and B", [f"{a}/resources/", f"{b}/resources/"])
        measure(
            "library, filtered, A and B",
            [f"{a}/resources/?country=tz&theme=t1", f"{b}/resources/?country=tz&theme=t1"],
        )
        measure("detail page, A and B", [f"{a}/resources/bench-1/", f"{b}/resources/bench-1/"])
        measure(
            "5 MB download streamed, A and B",
            [f"{a}/resources/big/download/", f"{b}/resources/big/download/"],
        )
        measure("5 MB download, signed-URL redirect (C)", [f"{extra.url}/resources/big/download/"])
        measure(
            "signed-URL redirect alone, app side (C)",
            [f"{extra.url}/resources/big/download/"],
            follow=False,
        )
        measure("readiness probe, A", [f"{a}/readyz"])
    finally:
        if extra:
            extra.stop()
        cluster.stop()
        shutil.rmtree(cluster.root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
