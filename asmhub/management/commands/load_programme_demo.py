"""Load the programme's own history: its dialogues, the Ghana and Tanzania learning
groups, a sample National ASM Outlook for each programme country and the news of the
workshop and the two action dialogues.

Dialogues and groups follow shared/data/programme.md; where a source gives no exact date
or time, the description says what was approximated. Outlook figures are sample figures
(marked so on every page) except the estimated number of miners, which comes from the
country's sourced headline figure. The programme's countries get a description, and
every text its Spanish, French, Portuguese and Swahili translation, from
asmhub/data/programme_texts.toml. Run after load_demo; running it again changes nothing.
"""

import datetime
import tomllib
import zoneinfo
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from dialogues.models import Dialogue, DialogueDocument, DialogueTranslation, Participation, Stage
from learning_groups.models import (
    Indicator,
    LearningGroup,
    LearningGroupTranslation,
    Meeting,
    Membership,
    OutlookIndicator,
    OutlookReport,
    OutlookReportTranslation,
    StakeholderGroup,
)
from network.models import News, NewsTranslation
from resources.models import Country, CountryTranslation, Organisation, Resource, Theme

TEXTS = Path(__file__).resolve().parents[2] / "data" / "programme_texts.toml"

LEARNING_GROUPS = [
    {
        "slug": "ghana-learning-and-leadership-group",
        "name": "Ghana Learning and Leadership Group",
        "country": "GH",
        "status": LearningGroup.Status.DORMANT,
        "started_on": datetime.date(2016, 1, 22),
        "convenors": ["FoN"],
        "description": (
            "The multi-stakeholder Learning and Leadership Group (LLG) nominated at the close "
            "of the Ghana action dialogue in Tarkwa, January 2016, to carry forward its "
            "reform roadmap on geological information, good practice, finance and licensing. "
            "Friends of the Nation convened the dialogue with IIED support. Thematic dialogues "
            "followed in 2017. Public sources name only the convening organisations, and no "
            "activity after 2017."
        ),
        "members": [
            ("FoN", StakeholderGroup.CIVIL_SOCIETY, Membership.Role.CONVENOR),
            ("IIED", StakeholderGroup.RESEARCH, Membership.Role.OBSERVER),
        ],
        "meetings": [
            {
                "date": datetime.date(2016, 1, 22),
                "place": "Tarkwa, Western Region",
                "purpose": "Nomination of the group at the close of the action dialogue",
                "summary": (
                    "The group's members met alongside about 60 other stakeholders at the "
                    "action dialogue (IIED press release, 28 January 2016). The day is the "
                    "dialogue's last; the sources do not give the hour."
                ),
                # The evidence report came out in August 2016, after this meeting.
                "documents": [],
            },
        ],
    },
    {
        "slug": "tanzania-learning-and-leadership-group",
        "name": "Tanzania Learning and Leadership Group",
        "country": "TZ",
        "status": LearningGroup.Status.DORMANT,
        "started_on": datetime.date(2017, 11, 10),
        "convenors": ["HakiMadini"],
        "description": (
            "The Learning and Leadership Group nominated at the Tanzania action dialogue in "
            "Geita, November 2017, convened by HakiMadini with MTL Consulting as the "
            "country dialogue researcher and IIED as global convenor."
        ),
        "members": [
            ("HakiMadini", StakeholderGroup.ASM, Membership.Role.CONVENOR),
            ("MTL", StakeholderGroup.RESEARCH, Membership.Role.MEMBER),
            ("IIED", StakeholderGroup.RESEARCH, Membership.Role.OBSERVER),
        ],
        "meetings": [
            {
                "date": datetime.date(2017, 11, 10),
                "place": "Geita",
                "purpose": "Nomination of the group at the close of the action dialogue",
                "summary": "Nominated on the last workshop day of the action dialogue.",
                "documents": [],
            },
        ],
    },
]

DIALOGUES = [
    {
        "slug": "asm-lsm-government-visioning-workshop-london-2015",
        "title": "Visioning workshop on ASM, large-scale mining and government",
        "scope": Dialogue.Scope.INTERNATIONAL,
        "country": None,
        "place": "London",
        "time_zone": "Europe/London",
        "start": (2015, 4, 29, 0, 0),
        "end": (2015, 4, 30, 23, 59),
        "status": Dialogue.Status.HELD,
        "themes": ["lsm_asm_relations", "governance"],
        "organisers": ["IIED"],
        "convenors": ["IIED"],
        "group": None,
        "participants": 40,
        "participant_note": "Sources say “40+ participants”.",
        "summary": (
            "A two-day global visioning workshop, funded by the Ford Foundation, that shaped "
            "the agenda of the multi-stakeholder dialogue series on ASM. Ghana was chosen "
            "for the first country dialogue after it."
        ),
        "stages": [
            (Stage.Kind.WORKSHOP, (2015, 4, 29), (2015, 4, 30), "London", ""),
        ],
        "participation": [],
        "documents": [(DialogueDocument.Role.BACKGROUND, "16592IIED")],
    },
    {
        "slug": "ghana-action-dialogue-tarkwa-2016",
        "title": "Ghana action dialogue on artisanal and small-scale mining",
        "scope": Dialogue.Scope.NATIONAL,
        "country": "GH",
        "place": "Tarkwa, Western Region",
        "time_zone": "Africa/Accra",
        "start": (2016, 1, 19, 0, 0),
        "end": (2016, 1, 22, 23, 59),
        "status": Dialogue.Status.HELD,
        "themes": ["formalisation", "finance", "governance"],
        "organisers": ["IIED"],
        "convenors": ["FoN"],
        "group": "ghana-learning-and-leadership-group",
        "participants": 55,
        "participant_note": (
            "About 55 according to Friends of the Nation and IIED summary G04053; IIED's "
            "press release of 28 January 2016 speaks of 60 other stakeholders."
        ),
        "summary": (
            "IIED's first country dialogue, convened by Friends of the Nation. Two days of "
            "field visits to three ASM sites were followed by two days of debate, which "
            "produced a reform roadmap on geological information, good practice, finance and "
            "licensing, and nominated a national Learning and Leadership Group. Sources give "
            "18 or 19 January as the first day."
        ),
        "stages": [
            (
                Stage.Kind.SCOPING,
                (2015, 10, 1),
                None,
                "Ghana",
                "Participatory country research began in autumn 2015 (month approximate).",
            ),
            (Stage.Kind.FIELD_VISITS, (2016, 1, 19), (2016, 1, 20), "Three ASM sites", ""),
            (Stage.Kind.WORKSHOP, (2016, 1, 21), (2016, 1, 22), "Tarkwa", ""),
            (
                Stage.Kind.FOLLOW_UP,
                (2017, 1, 1),
                None,
                "Ghana",
                "Thematic dialogues in 2017; the sources give the year only.",
            ),
        ],
        "participation": [
            StakeholderGroup.GOVERNMENT,
            StakeholderGroup.ASM,
            StakeholderGroup.LARGE_SCALE_MINING,
            StakeholderGroup.CIVIL_SOCIETY,
            StakeholderGroup.RESEARCH,
        ],
        "documents": [(DialogueDocument.Role.BACKGROUND, "16618IIED")],
    },
    {
        "slug": "tanzania-action-dialogue-geita-2017",
        "title": "Tanzania action dialogue on artisanal and small-scale mining",
        "scope": Dialogue.Scope.NATIONAL,
        "country": "TZ",
        "place": "Geita",
        "time_zone": "Africa/Dar_es_Salaam",
        "start": (2017, 11, 7, 0, 0),
        "end": (2017, 11, 10, 23, 59),
        "status": Dialogue.Status.HELD,
        "themes": ["formalisation", "lsm_asm_relations", "gender", "governance"],
        "organisers": ["IIED", "MTL"],
        "convenors": ["HakiMadini"],
        "group": "tanzania-learning-and-leadership-group",
        "participants": 90,
        "participant_note": ("About 70 were planned; IIED news later reported about 90."),
        "summary": (
            "IIED's second country dialogue, convened by HakiMadini with MTL Consulting as "
            "country dialogue researcher. Two days of visits to four small-scale mines were "
            "followed by two days of workshops, with experience-sharing from Mongolia."
        ),
        "stages": [
            (
                Stage.Kind.SCOPING,
                (2016, 9, 18),
                (2016, 9, 23),
                "Arusha, Dar es Salaam",
                "IIED scoping mission (report G04119).",
            ),
            (
                Stage.Kind.PRE_DIALOGUE,
                (2017, 5, 11),
                (2017, 5, 19),
                "Mererani, Geita, Dodoma, Dar es Salaam",
                "Stakeholder engagements by HakiMadini, MTL Consulting and IIED; the year is "
                "inferred from the surrounding timeline.",
            ),
            (Stage.Kind.FIELD_VISITS, (2017, 11, 7), (2017, 11, 8), "Four small-scale mines", ""),
            (Stage.Kind.WORKSHOP, (2017, 11, 9), (2017, 11, 10), "Geita", ""),
        ],
        "participation": [
            StakeholderGroup.GOVERNMENT,
            StakeholderGroup.ASM,
            StakeholderGroup.WOMEN_MINERS,
            StakeholderGroup.LARGE_SCALE_MINING,
            StakeholderGroup.CIVIL_SOCIETY,
            StakeholderGroup.RESEARCH,
        ],
        "documents": [
            (DialogueDocument.Role.BACKGROUND, "16635IIED"),
            (DialogueDocument.Role.RESEARCH, "16641IIED"),
            (DialogueDocument.Role.RESEARCH, "G04119"),
        ],
    },
]

# The programme's news, each published on the day of the press release or news item that
# shared/data/programme.md cites for it, and saying only what that file says.
NEWS = [
    {
        "slug": "visioning-workshop-shapes-a-dialogue-series",
        "title": "A visioning workshop shapes a dialogue series on ASM",
        "body": (
            "More than 40 participants met in London on 29 and 30 April 2015 for a global "
            "visioning workshop on relations between artisanal and small-scale mining, "
            "large-scale mining and government. The workshop, funded by the Ford "
            "Foundation, shaped the agenda of a multi-stakeholder dialogue series on ASM."
            "\n\nGhana was chosen for the first country dialogue."
        ),
        "published": datetime.date(2015, 6, 30),
        "organisation": "IIED",
        "countries": [],
        "dialogues": ["asm-lsm-government-visioning-workshop-london-2015"],
        "groups": [],
    },
    {
        "slug": "ghana-action-dialogue-agrees-a-reform-roadmap",
        "title": "Ghana action dialogue agrees a reform roadmap",
        "body": (
            "Friends of the Nation convened the Ghana action dialogue in Tarkwa, Western "
            "Region, in January 2016, with IIED support. Two days of field visits to three "
            "ASM sites were followed by two days of debate.\n\nThe participants agreed a "
            "reform roadmap on geological information, good practice, finance and "
            "licensing, and nominated a national Learning and Leadership Group."
        ),
        "published": datetime.date(2016, 1, 28),
        "organisation": "FoN",
        "countries": ["GH"],
        "dialogues": ["ghana-action-dialogue-tarkwa-2016"],
        "groups": ["ghana-learning-and-leadership-group"],
    },
    {
        "slug": "tanzania-action-dialogue-held-in-geita",
        "title": "Tanzania action dialogue held in Geita",
        "body": (
            "IIED's second country dialogue took place in Geita from 7 to 10 November 2017, "
            "convened by HakiMadini with MTL Consulting as country dialogue researcher. Two "
            "days of visits to four small-scale mines were followed by two days of "
            "workshops, with experience-sharing from Mongolia.\n\nAbout 90 people took "
            "part, according to IIED news. The dialogue nominated a national Learning and "
            "Leadership Group."
        ),
        "published": datetime.date(2018, 2, 5),
        "organisation": "HakiMadini",
        "countries": ["TZ"],
        "dialogues": ["tanzania-action-dialogue-geita-2017"],
        "groups": ["tanzania-learning-and-leadership-group"],
    },
]

# Sample Outlook figures: country → year → {indicator: (value, low, high) or text}.
# Deliberately uneven: countries report different indicators, as real ones would.
SAMPLE_OUTLOOKS = {
    "GH": {
        2017: {
            Indicator.WOMEN_SHARE: (Decimal(30), Decimal(20), Decimal(45)),
            Indicator.MAIN_COMMODITIES: "Gold, diamonds, sand and gravel",
            Indicator.GOLD_OUTPUT: (Decimal(30), None, None),
        },
        2018: {
            Indicator.WOMEN_SHARE: (Decimal(32), Decimal(20), Decimal(45)),
            Indicator.MAIN_COMMODITIES: "Gold, diamonds, sand and gravel",
            Indicator.FORMALISED_SHARE: (Decimal(15), Decimal(10), Decimal(25)),
            Indicator.GOLD_OUTPUT: (Decimal(35), Decimal(25), Decimal(45)),
            Indicator.MERCURY_USE: (Decimal(60), None, None),
            Indicator.MINAMATA_NAP: "Party since 2017; National Action Plan in preparation",
        },
    },
    "TZ": {
        2017: {
            Indicator.MAIN_COMMODITIES: "Gold, gemstones, diamonds, construction materials",
        },
        2018: {
            Indicator.WOMEN_SHARE: (Decimal(25), None, None),
            Indicator.MAIN_COMMODITIES: "Gold, gemstones, diamonds, construction materials",
            Indicator.FORMALISED_SHARE: (Decimal(20), Decimal(10), Decimal(30)),
            Indicator.MERCURY_USE: (Decimal(25), Decimal(15), Decimal(40)),
            Indicator.LEGAL_FRAMEWORK: "Mining Act with primary mining licences for ASM",
        },
    },
    "ET": {2018: {Indicator.MAIN_COMMODITIES: "Gold, gemstones, salt"}},
    "CO": {
        2018: {
            Indicator.FORMALISED_SHARE: (Decimal(35), None, None),
            Indicator.MAIN_COMMODITIES: "Gold, emeralds, coal",
            Indicator.MERCURY_USE: (Decimal(50), Decimal(30), Decimal(80)),
        }
    },
    "PE": {
        2018: {
            Indicator.GOLD_OUTPUT: (Decimal(40), Decimal(30), Decimal(50)),
            Indicator.MAIN_COMMODITIES: "Gold",
        }
    },
    "BO": {2018: {Indicator.WOMEN_SHARE: (Decimal(10), None, None)}},
    "IN": {2018: {Indicator.MAIN_COMMODITIES: "Construction materials, gemstones, coal"}},
}


class Command(BaseCommand):
    help = "Load the programme demo: dialogues, learning groups, sample Outlooks (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            self.missing = set()
            for data in LEARNING_GROUPS:
                self.load_group(data)
            for data in DIALOGUES:
                self.load_dialogue(data)
            outlooks = self.load_outlooks()
            for data in NEWS:
                self.load_news(data)
            self.load_texts(tomllib.loads(TEXTS.read_text(encoding="utf-8")))
        if self.missing:
            self.stdout.write(
                self.style.WARNING(
                    "Not in the library (run load_demo first): " + ", ".join(sorted(self.missing))
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Programme demo loaded: {len(LEARNING_GROUPS)} learning groups, "
                f"{len(DIALOGUES)} dialogues, {outlooks} Outlooks, {len(NEWS)} news items."
            )
        )

    def organisation(self, key):
        return Organisation.objects.filter(acronym=key).first() or Organisation.objects.get(
            name=key
        )

    def resources(self, codes):
        found = []
        for code in codes:
            resource = Resource.objects.filter(publisher_code__iexact=code).first()
            if resource is None:
                self.missing.add(code)
            else:
                found.append(resource)
        return found

    def load_group(self, data):
        group, _created = LearningGroup.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "country": Country.objects.get(code=data["country"]),
                "status": data["status"],
                "started_on": data["started_on"],
                "description": data["description"],
            },
        )
        group.convenors.set([self.organisation(key) for key in data["convenors"]])
        group.memberships.all().delete()
        Membership.objects.bulk_create(
            Membership(
                group=group, organisation=self.organisation(key), stakeholder_group=sg, role=r
            )
            for key, sg, r in data["members"]
        )
        group.meetings.all().delete()
        for meeting in data["meetings"]:
            documents = meeting["documents"]
            created = Meeting.objects.create(
                group=group, **{k: v for k, v in meeting.items() if k != "documents"}
            )
            created.documents.set(self.resources(documents))

    def load_dialogue(self, data):
        tz = zoneinfo.ZoneInfo(data["time_zone"])
        dialogue, _created = Dialogue.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "scope": data["scope"],
                "country_id": data["country"],
                "place": data["place"],
                "time_zone": data["time_zone"],
                "starts_at": datetime.datetime(*data["start"], tzinfo=tz),
                "ends_at": datetime.datetime(*data["end"], tzinfo=tz),
                # The sources give days, not hours.
                "times_known": False,
                "status": data["status"],
                "summary": data["summary"],
                "learning_group": LearningGroup.objects.filter(slug=data["group"]).first(),
                "participant_count": data["participants"],
                "participant_note": data["participant_note"],
            },
        )
        dialogue.full_clean()
        dialogue.themes.set(Theme.objects.filter(slug__in=data["themes"]))
        dialogue.organisers.set([self.organisation(key) for key in data["organisers"]])
        dialogue.convenors.set([self.organisation(key) for key in data["convenors"]])
        dialogue.stages.all().delete()
        Stage.objects.bulk_create(
            Stage(
                dialogue=dialogue,
                kind=kind,
                starts_on=datetime.date(*start),
                ends_on=datetime.date(*end) if end else None,
                place=place,
                description=description,
            )
            for kind, start, end, place, description in data["stages"]
        )
        dialogue.participation.all().delete()
        Participation.objects.bulk_create(
            Participation(dialogue=dialogue, stakeholder_group=group)
            for group in data["participation"]
        )
        dialogue.documents.all().delete()
        for position, (role, code) in enumerate(data["documents"]):
            for resource in self.resources([code]):
                DialogueDocument.objects.create(
                    dialogue=dialogue, resource=resource, role=role, position=position
                )

    def load_outlooks(self):
        count = 0
        for code, years in SAMPLE_OUTLOOKS.items():
            country = Country.objects.get(code=code)
            for year, values in years.items():
                report, _created = OutlookReport.objects.update_or_create(
                    country=country,
                    year=year,
                    defaults={
                        "title": f"National ASM Outlook: {country.name} {year} (sample)",
                        "is_sample": True,
                        "summary": "Sample figures for the demonstration of the Outlooks.",
                    },
                )
                report.indicators.all().delete()
                indicators = [self.miners_indicator(report, country)]
                for indicator, value in values.items():
                    row = OutlookIndicator(report=report, indicator=indicator, is_sample=True)
                    if isinstance(value, str):
                        row.text_value = value
                    else:
                        row.value, row.low, row.high = value
                    indicators.append(row)
                for row in filter(None, indicators):
                    row.full_clean()
                    row.save()
                count += 1
        return count

    def load_news(self, data):
        item, _created = News.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "body": data["body"],
                "language": "en",
                "status": News.Status.PUBLISHED,
                "published_at": datetime.datetime.combine(
                    data["published"], datetime.time(12), tzinfo=datetime.UTC
                ),
                "organisation": self.organisation(data["organisation"]),
            },
        )
        item.countries.set(Country.objects.filter(code__in=data["countries"]))
        item.dialogues.set(Dialogue.objects.filter(slug__in=data["dialogues"]))
        item.learning_groups.set(LearningGroup.objects.filter(slug__in=data["groups"]))

    def load_texts(self, texts):
        """The countries' descriptions, and every text's translations."""
        for slug, languages in texts["learning_groups"].items():
            group = LearningGroup.objects.get(slug=slug)
            for language, fields in languages.items():
                LearningGroupTranslation.objects.update_or_create(
                    group=group, language=language, defaults=fields
                )
        for slug, languages in texts["dialogues"].items():
            dialogue = Dialogue.objects.get(slug=slug)
            for language, fields in languages.items():
                DialogueTranslation.objects.update_or_create(
                    dialogue=dialogue, language=language, defaults=fields
                )
        for slug, languages in texts["news"].items():
            item = News.objects.get(slug=slug)
            for language, fields in languages.items():
                NewsTranslation.objects.update_or_create(
                    news=item, language=language, defaults=fields
                )
        for code, years in SAMPLE_OUTLOOKS.items():
            for report in OutlookReport.objects.filter(country=code, year__in=years):
                for language, fields in texts["outlooks"].items():
                    with translation.override(language):
                        country = str(report.country.name)
                    title = fields["title"].format(country=country, year=report.year)
                    OutlookReportTranslation.objects.update_or_create(
                        report=report,
                        language=language,
                        defaults={"title": title, "summary": fields["summary"]},
                    )
        for code, languages in texts["countries"].items():
            country = Country.objects.get(code=code)
            country.description = languages.pop(settings.LANGUAGE_CODE)
            country.save(update_fields=["description"])
            for language, description in languages.items():
                CountryTranslation.objects.update_or_create(
                    country=country, language=language, defaults={"description": description}
                )

    def miners_indicator(self, report, country):
        """The sourced headline estimate of miners, where the country has one."""
        if country.est_asm_miners is None:
            return None
        return OutlookIndicator(
            report=report,
            indicator=Indicator.ASM_MINERS,
            value=country.est_asm_miners,
            low=country.est_asm_miners_low,
            high=country.est_asm_miners_high,
            source=country.figures_source[:400],
            year=country.figures_year,
        )
