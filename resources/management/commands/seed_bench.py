"""Fill a database with N realistic synthetic resources for the benchmark.

Countries, themes, commodities and about 2,000 tags are drawn from Zipf distributions
(the most common country holds about a quarter of the library, as Ghana or Tanzania would
in a real ASM collection); titles, summaries and document text are drawn from a weighted
vocabulary of the field, mostly English with Spanish, French and Portuguese records;
about 5% are not published. Rows go in with bulk inserts and the search index is built
once at the end, set-based, so a million resources take minutes, not hours.
"""

import itertools
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

from resources.management.commands.load_demo import THEMES
from resources.models import Commodity, Country, Resource, ResourceAuthor, Theme
from resources.search.backends import backend

COUNTRIES = (
    "GH TZ CD CO PE BO IN ET BF ML ZW ZM UG KE MZ MG SL GN CI NE SD NG CM TD CF ID PH MN "
    "EC BR GY SR VE NI HN GT MX PG LA MM KH VN CN PK AF NP LK RW BI MW AO"
).split()
# The demo data set's own themes, so a benchmark database reads like the real one.
COMMODITIES = {
    "gold": "Gold",
    "gemstones": "Gemstones",
    "diamonds": "Diamonds",
    "three_t": "3T minerals (tin, tantalum, tungsten)",
    "cobalt": "Cobalt",
    "development_minerals": "Development minerals",
    "salt": "Salt",
    "copper": "Copper",
    "lithium": "Lithium",
    "coal": "Coal",
}
# The field's own words first: "mining" and "gold" are in nearly every document.
WORDS = {
    "en": (
        "mining gold miners artisanal small-scale mineral minerals sector government policy "
        "formalisation licence licensing women community communities mercury health safety "
        "environment water land rights cooperative cooperatives market markets supply chain "
        "buyers traders price prices income livelihoods poverty rural district region local "
        "national law regulation tax revenue royalties finance credit equipment processing "
        "amalgamation cyanide tailings pits shafts concession concessions company companies "
        "large-scale conflict security child labour children education training association "
        "associations dialogue stakeholders donors programme project study survey data "
        "evidence report findings recommendations interviews households migration seasonal "
        "agriculture farming employment jobs youth decentralisation enforcement corruption "
        "smuggling export exports refinery refineries due diligence responsible sourcing "
        "certification fairmined traceability development minerals sand gravel stone "
        "diamonds gemstones cobalt copper tin tantalum tungsten coltan lithium salt quarry "
        "the of and to in for on with by from that this is are was were as at an be or"
    ).split(),
    "es": (
        "minería oro mineros artesanal pequeña escala formalización política gobierno mujeres "
        "comunidad mercurio salud ambiente agua tierra derechos cooperativa mercado cadena "
        "ingresos pobreza región ley regulación impuestos minera minerales el la de y en para "
        "con por los las del que una un es"
    ).split(),
    "fr": (
        "exploitation minière or orpailleurs artisanale petite échelle formalisation politique "
        "gouvernement femmes communauté mercure santé environnement eau terre droits "
        "coopérative marché chaîne revenus pauvreté région loi fiscalité le la de et en pour "
        "avec par les des du que une un est"
    ).split(),
    "pt": (
        "mineração ouro garimpo garimpeiros artesanal pequena escala formalização política "
        "governo mulheres comunidade mercúrio saúde ambiente água terra direitos cooperativa "
        "mercado cadeia renda pobreza região lei o a de e em para com por os as do da que uma "
        "um é"
    ).split(),
}
LANGUAGES = [("en", 0.80), ("es", 0.10), ("fr", 0.06), ("pt", 0.04)]
TYPES = [t for t, _label in Resource.Type.choices]
FAMILY = (
    "Hilson Maconachie Hentschel Veiga Siegel Spiegel Buss Fritz Lahiri-Dutt Jønsson Bryceson "
    "Banchirigah Teschner Verbrugge Persaud Tschakert Cortés-McPherson Geenen Vogel Marston"
).split()
GIVEN = "G. R. T. M. S. A. J. K. D. B. E. P. L. N.".split()
RARE_WORD = "cinnabar"  # in about one resource in a thousand: the benchmark's rare word


def zipf_weights(n, s):
    return list(itertools.accumulate(1 / (rank**s) for rank in range(1, n + 1)))


class Command(BaseCommand):
    help = "Fill the database with N synthetic resources for the benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--resources", type=int, required=True)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=6)
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="Do nothing when the library already holds exactly N resources.",
        )
        parser.add_argument("--replace", action="store_true", help="Delete every resource first.")

    def handle(self, *args, resources, batch, seed, if_needed, replace, **options):
        existing = Resource.objects.count()
        if if_needed and existing == resources:
            self.stdout.write(f"The library already holds {existing} resources.")
            return
        if existing and not (replace or if_needed):
            raise CommandError(f"The library holds {existing} resources: pass --replace.")
        started = time.monotonic()
        if existing:
            self.clear()
        self.rng = random.Random(seed)
        self.vocabularies()
        made = 0
        while made < resources:
            size = min(batch, resources - made)
            with transaction.atomic():
                self.insert_batch(made, size)
            made += size
            self.stdout.write(f"  {made} resources ({time.monotonic() - started:.0f}s)")
        indexed = backend().reindex(empty_first=True, workers=2)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Fresh statistics and visibility map, as a settled production database has.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"Seeded {resources} resources, indexed {indexed} published ones, "
            f"in {time.monotonic() - started:.0f}s."
        )

    def clear(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE resources_resource, resources_resourceauthor, "
                    "resources_resource_countries, resources_resource_themes, "
                    "resources_resource_commodities, resources_resourcesearch, "
                    "taggit_taggeditem CASCADE"
                )
        else:
            TaggedItem.objects.all().delete()
            Resource.objects.all().delete()

    def vocabularies(self):
        for code in COUNTRIES:
            Country.objects.get_or_create(code=code)
        self.themes = [
            Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0].pk
            for slug, name in THEMES.items()
        ]
        self.commodities = [
            Commodity.objects.get_or_create(slug=slug, defaults={"name": name})[0].pk
            for slug, name in COMMODITIES.items()
        ]
        words = WORDS["en"][:150]
        names = []
        rng = random.Random(2000)
        while len(names) < 2000:
            name = " ".join(rng.sample(words, rng.choice((1, 2, 2, 3))))
            if name not in names:
                names.append(name)
        known = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        Tag.objects.bulk_create(
            [Tag(name=n, slug=f"bench-tag-{i}") for i, n in enumerate(names) if n not in known],
            batch_size=1000,
        )
        by_name = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        self.tags = [by_name[n] for n in names]
        self.content_type = ContentType.objects.get_for_model(Resource)
        self.weights = {
            "country": zipf_weights(len(COUNTRIES), 1.2),
            "theme": zipf_weights(len(self.themes), 0.8),
            "commodity": zipf_weights(len(self.commodities), 1.5),
            "tag": zipf_weights(len(self.tags), 1.0),
            **{lang: zipf_weights(len(WORDS[lang]), 0.9) for lang in WORDS},
        }

    def pick(self, population, kind, k):
        return set(self.rng.choices(population, cum_weights=self.weights[kind], k=k))

    def text(self, language, words):
        vocabulary = WORDS[language]
        drawn = self.rng.choices(vocabulary, cum_weights=self.weights[language], k=words)
        return " ".join(drawn)

    def insert_batch(self, start, size):
        rng = self.rng
        rows, relations = [], []
        for number in range(start, start + size):
            language = rng.choices([lang for lang, _w in LANGUAGES], [w for _l, w in LANGUAGES])[0]
            year = min(2026, int(2026 - rng.expovariate(1 / 7)))
            status = (
                "published"
                if rng.random() >= 0.05
                else rng.choice(["draft", "in_review", "withdrawn"])
            )
            title = self.text(language, rng.randint(5, 12)).capitalize()
            summary = self.text(language, rng.randint(60, 120))
            body = self.text(language, rng.randint(300, 700))
            if rng.random() < 0.001:
                body += f" {RARE_WORD}"
            rows.append(
                Resource(
                    title=title,
                    slug=f"bench-{number}",
                    summary=summary,
                    full_text=body,
                    publisher=rng.choice(["IIED", "World Bank", "UNEP", "OECD", "Pact", "ARM"]),
                    year=max(year, 1990),
                    resource_type=rng.choice(TYPES),
                    language=language,
                    external_url=f"https://example.org/bench/{number}",
                    status=status,
                )
            )
            countries = set() if rng.random() < 0.08 else self.pick(COUNTRIES, "country", 1)
            if rng.random() < 0.3:
                countries |= self.pick(COUNTRIES, "country", 1)
            relations.append(
                (
                    countries,
                    self.pick(self.themes, "theme", rng.randint(1, 3)),
                    self.pick(self.commodities, "commodity", rng.randint(0, 2)),
                    self.pick(self.tags, "tag", rng.randint(1, 6)),
                    rng.randint(1, 3),
                )
            )
        Resource.objects.bulk_create(rows, batch_size=1000)
        through = Resource.countries.through, Resource.themes.through
        countries, themes, commodities, tags, authors = [], [], [], [], []
        for resource, (c, t, m, g, n) in zip(rows, relations, strict=True):
            countries += [through[0](resource_id=resource.pk, country_id=x) for x in c]
            themes += [through[1](resource_id=resource.pk, theme_id=x) for x in t]
            commodities += [
                Resource.commodities.through(resource_id=resource.pk, commodity_id=x) for x in m
            ]
            tags += [
                TaggedItem(content_type=self.content_type, object_id=resource.pk, tag_id=x)
                for x in g
            ]
            authors += [
                ResourceAuthor(
                    resource_id=resource.pk,
                    position=i,
                    name=f"{rng.choice(FAMILY)}, {rng.choice(GIVEN)}",
                )
                for i in range(n)
            ]
        for model, objects in (
            (through[0], countries),
            (through[1], themes),
            (Resource.commodities.through, commodities),
            (TaggedItem, tags),
            (ResourceAuthor, authors),
        ):
            model.objects.bulk_create(objects, batch_size=2000)
