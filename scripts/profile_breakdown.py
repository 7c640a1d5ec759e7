"""Where a load test's CPU went: py-spy's sampled stacks, summed by what the code does.

    LOADTEST_PROFILE=var/profile.txt make loadtest
    python scripts/profile_breakdown.py var/profile.txt [--top 25]

Each sample is given to the first kind of work found walking its stack from the innermost
frame outwards (so a database query made while a template renders counts as SQL, and a
template rendered for the page cache counts as rendering). Samples of threads waiting
(on a socket, a lock, the database's answer) are not in py-spy's output unless it was run
with --idle: what is left is CPU time in the Python processes. The database server's own
CPU is not here: scripts/cpu_sampler.py, which make loadtest runs, reports it.
"""

import argparse
import collections
import re

# (kind, pattern on "function (file:line)"), the first match from the innermost frame.
KINDS = [
    ("garbage collection", re.compile(r"^<gc>|gc\.collect|core/memory\.py")),
    ("logging", re.compile(r"\blogging/|pythonjsonlogger")),
    ("SQL: driver and ORM", re.compile(r"psycopg2|django/db/")),
    ("cache (Redis)", re.compile(r"django_redis|/redis/|django/core/cache")),
    ("facet counting", re.compile(r"resources/search/facetindex/(query|columns|postings)")),
    ("relevance and text matches", re.compile(r"resources/search/facetindex/(text|rank)|ranking")),
    ("facet index: changes, overlay", re.compile(r"resources/search/facetindex/")),
    ("search: other", re.compile(r"resources/search/")),
    ("template rendering", re.compile(r"django/template/|templatetags/")),
    (
        "page building (views, filters, facets to links)",
        re.compile(
            r"resources/(views|filters|listing|labels|sorts)\.py|core/querystrings|django_filters/"
        ),
    ),
    ("translation", re.compile(r"django/utils/translation|gettext")),
    ("URL reversing and resolving", re.compile(r"django/urls/")),
    (
        "middleware and request handling",
        re.compile(
            r"django/(middleware|contrib|core/handlers|http)/|whitenoise|csp/|axes|corsheaders"
        ),
    ),
    ("gzip and response writing", re.compile(r"gzip|zlib")),
    ("gunicorn and the socket", re.compile(r"gunicorn/|socket|selectors|ssl\.py")),
]


def kind_of(frames):
    for frame in reversed(frames):
        for kind, pattern in KINDS:
            if pattern.search(frame):
                return kind
    return "other"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=0, help="also list the N hottest leaves")
    args = parser.parse_args()
    kinds, leaves = collections.Counter(), collections.Counter()
    total = 0
    with open(args.profile) as handle:
        for line in handle:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
            n = int(count)
            total += n
            kinds[kind_of(frames)] += n
            if frames:
                leaves[frames[-1]] += n
    print(f"{total} samples")
    for kind, n in kinds.most_common():
        print(f"{100 * n / total:5.1f} %  {kind}")
    for frame, n in leaves.most_common(args.top):
        print(f"{100 * n / total:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
