"""Load the demo data set: real records of ASM publications and country figures."""

import csv
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from fpdf import FPDF

from resources.curation.imports import CREATED, import_csv
from resources.models import Commodity, Country, Organisation, Resource, Theme

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

PROGRAMME_COUNTRIES = {"TZ", "ET", "CO", "PE", "BO", "IN", "GH"}
EXTRA_REGIONS = {
    "PE": "Latin America & Caribbean",
    "JM": "Latin America & Caribbean",
    "CM": "Sub-Saharan Africa",
    "GN": "Sub-Saharan Africa",
    "ZM": "Sub-Saharan Africa",
    "FJ": "East Asia & Pacific",
}
# Ranges the sources give beside a headline figure (countries.csv notes).
RANGES = {"TZ": (1_000_000, 1_500_000), "CD": (1_500_000, 2_000_000)}

THEMES = {
    "governance": "Governance and policy",
    "livelihoods": "Livelihoods and poverty",
    "lsm_asm_relations": "ASM and large-scale mining",
    "formalisation": "Formalisation and licensing",
    "gender": "Gender and women in mining",
    "environment": "Environment",
    "market_access": "Markets and supply chains",
    "finance": "Finance",
    "conflict_minerals": "Conflict minerals and due diligence",
    "child_labour": "Child labour",
    "mercury": "Mercury",
    "health_safety": "Health and safety",
}
# slug: (name, parent slug)
COMMODITIES = {
    "gold": ("Gold", None),
    "gemstones": ("Gemstones", None),
    "diamonds": ("Diamonds", None),
    "three_t": ("3T minerals (tin, tantalum, tungsten)", None),
    "tin": ("Tin", "three_t"),
    "coltan": ("Coltan (tantalum)", "three_t"),
    "tungsten": ("Tungsten", "three_t"),
    "cobalt": ("Cobalt", None),
    "development_minerals": ("Development minerals", None),
    "construction_materials": (
        "Construction materials (sand, gravel, stone)",
        "development_minerals",
    ),
    "salt": ("Salt", "development_minerals"),
    "other": ("Other minerals", None),
}
ORGANISATIONS = [
    # name, acronym, kind, country
    ("International Institute for Environment and Development", "IIED", "research", "GB"),
    ("Alliance for Responsible Mining", "ARM", "ngo", "CO"),
    ("Pact", "", "ngo", None),
    ("Development Alternatives", "DA", "ngo", "IN"),
    ("Friends of the Nation", "FoN", "ngo", "GH"),
    ("HakiMadini", "", "asm", "TZ"),
    ("MTL Consulting Company Ltd", "MTL", "research", "TZ"),
    ("World Bank", "", "donor", None),
    ("United Nations Environment Programme", "UNEP", "international", None),
    ("Organisation for Economic Co-operation and Development", "OECD", "international", None),
    (
        "Intergovernmental Forum on Mining, Minerals, Metals and Sustainable Development",
        "IGF",
        "international",
        None,
    ),
    ("Ford Foundation", "", "donor", "US"),
    ("planetGOLD", "", "international", None),
]
# Title words that give a demo record a tag: (pattern, tag).
TAG_RULES = [
    (r"\bmercury\b", "mercury"),
    (r"\bwomen\b|\bgender\b", "women in mining"),
    (r"formali[sz]|formalizaci", "formalisation"),
    (r"\bdialogue", "dialogue"),
    (r"due diligence", "due diligence"),
    (r"minamata", "Minamata Convention"),
    (r"cooperativ", "cooperatives"),
    (r"\blicen[cs]", "licensing"),
    (r"supply chain|market", "supply chains"),
    (r"\bchild", "child labour"),
    (r"\bhealth\b|\bsafety\b", "occupational health"),
    (r"large-scale|lsm", "ASM-LSM relations"),
    (r"\bgold\b|\boro\b|\bouro\b", "gold"),
    (r"conflict", "conflict minerals"),
    (r"livelihood", "livelihoods"),
    (r"\bpolicy\b|\bpolicies\b|pol[ií]tica", "policy"),
]

LOCAL_ADMIN_USERNAME = "admin"
LOCAL_ADMIN_PASSWORD = "asmhub-local-admin"


def demo_pdf(title, source_note):
    """A one-page PDF saying it stands in for the real publication."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, _latin1("ASM Hub demo file"))
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 12)
    pdf.multi_cell(0, 7, _latin1(title))
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        0,
        6,
        _latin1(
            "This PDF is a placeholder generated for the ASM Hub demo data set. It is not "
            "the publication itself. Where the record came from: " + (source_note or "-")
        ),
    )
    return bytes(pdf.output())


def _latin1(text):
    """The core PDF fonts only know Latin-1: replace what they cannot draw."""
    text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("‘", "'")
    text = text.replace("“", '"').replace("”", '"')
    return text.encode("latin-1", "replace").decode("latin-1")


class Command(BaseCommand):
    help = "Load the demo data set (idempotent: running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-local-admin",
            action="store_true",
            help="Also create a local admin account (refused when DJANGO_DEBUG is off).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the library already holds resources.",
        )

    def handle(self, *args, with_local_admin=False, if_empty=False, **options):
        if with_local_admin and not settings.DEBUG:
            raise CommandError("A local admin account is only for development (DJANGO_DEBUG on).")
        if if_empty and Resource.objects.exists():
            self.stdout.write("The library already holds resources; demo data not loaded.")
        else:
            with transaction.atomic():
                self.load_vocabularies()
                self.load_countries()
                created = self.load_resources()
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({created} new resources)."))
        if with_local_admin:
            self.ensure_local_admin()

    def load_vocabularies(self):
        for slug, name in THEMES.items():
            Theme.objects.update_or_create(slug=slug, defaults={"name": name})
        for slug, (name, parent) in COMMODITIES.items():
            Commodity.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "parent": Commodity.objects.get(slug=parent) if parent else None,
                },
            )

    def load_countries(self):
        with open(DEMO_DIR / "countries.csv", newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                code = row["iso2"].upper()
                low, high = RANGES.get(code, (None, None))
                Country.objects.update_or_create(
                    code=code,
                    defaults={
                        "region": row["region"],
                        "is_programme_country": code in PROGRAMME_COUNTRIES,
                        "est_asm_miners": int(row["est_asm_miners"])
                        if row["est_asm_miners"]
                        else None,
                        "est_asm_miners_low": low,
                        "est_asm_miners_high": high,
                        "figures_year": int(row["est_year"]) if row["est_year"] else None,
                        "figures_source": row["source"],
                    },
                )
        for code in PROGRAMME_COUNTRIES | set(EXTRA_REGIONS) | {"GB", "US"}:
            country, _created = Country.objects.get_or_create(
                code=code, defaults={"region": EXTRA_REGIONS.get(code, "")}
            )
            if code in PROGRAMME_COUNTRIES and not country.is_programme_country:
                country.is_programme_country = True
                country.save(update_fields=["is_programme_country"])
        for name, acronym, kind, country in ORGANISATIONS:
            Organisation.objects.update_or_create(
                name=name,
                defaults={"acronym": acronym, "kind": kind, "country_id": country},
            )

    def load_resources(self):
        """Through the bulk importer: rows match on identifier, else title and year, so a
        second run changes nothing. The demo adds owners, placeholder PDFs and tags."""
        iied = Organisation.objects.get(acronym="IIED")
        arm = Organisation.objects.get(acronym="ARM")

        def complete(resource, values):
            if values["publisher"].startswith("IIED"):
                resource.owner = iied
            elif values["publisher"].startswith("Alliance for Responsible Mining"):
                resource.owner = arm
            if not resource.external_url and not resource.file:
                resource.file.save(
                    f"{resource.slug}.pdf",
                    ContentFile(demo_pdf(values["title"], values["source_note"])),
                    save=False,
                )

        path = DEMO_DIR / "resources.csv"
        with open(path, newline="", encoding="utf-8") as handle:
            report = import_csv(handle, status=Resource.Status.PUBLISHED, before_save=complete)
        if not report.ok:
            raise CommandError("\n".join([f"{path}:", *report.errors]))
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                year = int(row["year"]) if row["year"] else None
                resource = Resource.objects.filter(title=row["title"], year=year).first()
                title = row["title"].lower()
                tags = sorted({tag for pattern, tag in TAG_RULES if re.search(pattern, title)})
                if resource is not None and sorted(resource.tags.names()) != tags:
                    resource.tags.set(tags)
        return report.count(CREATED)

    def ensure_local_admin(self):
        User = get_user_model()
        if User.objects.filter(username=LOCAL_ADMIN_USERNAME).exists():
            return
        User.objects.create_superuser(LOCAL_ADMIN_USERNAME, "admin@localhost", LOCAL_ADMIN_PASSWORD)
        self.stdout.write(f"Local admin created: {LOCAL_ADMIN_USERNAME} / {LOCAL_ADMIN_PASSWORD}")
