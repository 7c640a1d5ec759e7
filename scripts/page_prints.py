"""Fingerprints of what the hub answers on the demo data: pages, feeds, API JSON, OAI XML.

A reshaping of the code must leave every answer the same, byte for byte. Run this in two
checkouts against one copy of the same database, then compare the two outputs:

    python scripts/page_prints.py --database var/prints.sqlite3 --load > before.txt
    (in the other checkout)
    python scripts/page_prints.py --database /path/to/var/prints.sqlite3 > after.txt
    diff before.txt after.txt && echo same

`--load` migrates a fresh SQLite file and loads the demo data (`load_demo`,
`load_programme_demo`); without it the database is only read. Each line is a path, its
status, its content type and the SHA-256 of its body, with the only parts that change on
every request (OAI-PMH's responseDate, iCalendar's DTSTAMP) blanked first; `--show PATH`
prints one body.
"""

import argparse
import hashlib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PATHS = [
    "/",
    "/resources/",
    "/resources/?page=2",
    "/resources/?q=mercury",
    "/resources/?q=gold&sort=newest",
    "/resources/?q=formalisation&country=gh",
    "/resources/?country=gh&country=tz",
    "/resources/?theme=mercury",
    "/resources/?commodity=gold&type=report",
    "/resources/?language=es",
    "/resources/?year_from=2010&year_to=2016&sort=oldest",
    "/resources/?sort=title",
    "/resources/?tag=gold",
    "/resources/?country=zz&year_from=abc",
    "/resources/cite.bib?country=gh",
    "/resources/cite.ris?q=mercury",
    "/countries/",
    "/countries/gh/",
    "/countries/pe/",
    "/learning-groups/",
    "/outlooks/",
    "/dialogues/",
    "/dialogues/calendar.ics",
    "/feeds/resources.atom",
    "/feeds/resources.atom?q=mercury",
    "/feeds/dialogues.atom",
    "/search/?q=gold",
    "/alerts/subscribe/?country=gh",
    "/oai?verb=Identify",
    "/oai?verb=ListSets",
    "/oai?verb=ListMetadataFormats",
    "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
    "/oai?verb=ListRecords&metadataPrefix=oai_dc",
    "/oai?verb=ListRecords&metadataPrefix=oai_dc&set=country:gh",
    "/oai?verb=Bogus",
    "/api/",
    "/api/openapi.json",
    "/api/resources/",
    "/api/resources/?q=mercury&page_size=5",
    "/api/resources/?country=gh&page=2&page_size=3",
    "/api/resources/?bogus=1",
    "/api/countries/",
    "/api/countries/gh/",
    "/api/organisations/",
    "/api/learning-groups/",
    "/api/outlooks/",
    "/api/dialogues/",
    "/organisations/",
    "/organisations/?country=gh&kind=bogus",
    "/organisations/?q=mining&page=2",
    "/news/",
    "/news/?country=gh",
    "/voices/",
    "/voices/?country=gh&role=miner",
    "/voices/withdraw/not-a-token/",
    "/feeds/news.atom",
    "/feeds/voices.atom",
    "/api/news/",
    "/api/news/?country=gh&page_size=2",
    "/api/news/?country=zz",
    "/api/news/?page=99",
    "/api/voices/",
    "/api/voices/?role=miner&page_size=2&page=2",
    "/api/voices/?role=bogus",
    "/api/organisations/?page=2&page_size=3",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/no-such-page/",
]

VOLATILE = [
    re.compile(rb"<responseDate>[^<]*</responseDate>"),
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(rb"DTSTAMP:[0-9TZ]+"),
]


def setup(database, load):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(database).resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")
    os.environ.setdefault("ASMHUB_BASE_URL", "http://hub.test")
    import django

    django.setup()
    from django.core.management import call_command

    if load:
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        call_command("load_programme_demo", verbosity=0)


def detail_paths():
    """A few resources, dialogues and groups of the demo data, in a fixed order."""
    from dialogues.models import Dialogue
    from learning_groups.models import LearningGroup
    from resources.models import Resource

    slugs = (
        Resource.objects.filter(status="published")
        .order_by("pk")
        .values_list("slug", flat=True)[:12]
    )
    paths = []
    for slug in slugs:
        paths += [f"/resources/{slug}/", f"/resources/{slug}/cite.bib"]
        paths += [f"/resources/{slug}/cite.ris", f"/api/resources/{slug}/"]
    for slug in Dialogue.objects.order_by("pk").values_list("slug", flat=True)[:4]:
        paths += [f"/dialogues/{slug}/", f"/dialogues/{slug}/calendar.ics"]
        paths.append(f"/api/dialogues/{slug}/")
    for slug in LearningGroup.objects.order_by("pk").values_list("slug", flat=True)[:3]:
        paths += [f"/learning-groups/{slug}/", f"/api/learning-groups/{slug}/"]
    from network.models import News
    from resources.models import Organisation
    from voices.models import Voice

    for slug in Organisation.objects.order_by("pk").values_list("slug", flat=True)[:6]:
        paths += [f"/organisations/{slug}/", f"/api/organisations/{slug}/"]
    for slug in News.objects.order_by("pk").values_list("slug", flat=True)[:3]:
        paths += [f"/news/{slug}/", f"/api/news/{slug}/"]
    for pk in Voice.objects.order_by("pk").values_list("pk", flat=True)[:3]:
        paths += [f"/voices/{pk}/", f"/api/voices/{pk}/"]
    from django.conf import settings

    first = Resource.objects.filter(status="published").order_by("pk").first()
    if first:
        identifier = f"oai:{settings.ASMHUB_OAI_REPOSITORY_ID}:resource/{first.pk}"
        paths.append(f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={identifier}")
        paths.append(f"/resources/{first.slug}/download/")
    return paths


def fetch(client, path):
    response = client.get(path, HTTP_HOST="127.0.0.1")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for pattern in VOLATILE:
        body = pattern.sub(b"", body)
    return response, body


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="an SQLite file")
    parser.add_argument("--load", action="store_true", help="migrate and load the demo data")
    parser.add_argument("--show", help="print the body of this one path instead")
    args = parser.parse_args()
    setup(args.database, args.load)
    from django.test import Client

    client = Client()
    if args.show:
        sys.stdout.buffer.write(fetch(client, args.show)[1])
        return
    for path in PATHS + detail_paths():
        response, body = fetch(client, path)
        kind = response.get("Content-Type", "-")
        digest = hashlib.sha256(body).hexdigest()[:16]
        print(f"{path}\t{response.status_code}\t{kind}\t{len(body)}\t{digest}")


if __name__ == "__main__":
    main()
