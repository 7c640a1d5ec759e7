"""factory_boy factories for the tests: published, valid objects unless told otherwise."""

import datetime
import zoneinfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from resources.curation import services
from resources.curation.roles import CURATORS, PARTNERS
from resources.models import (
    Commodity,
    Country,
    Organisation,
    PartnerProfile,
    Resource,
    ResourceAuthor,
    Theme,
)

# A tiny but valid PDF, enough for content-type sniffing and download tests.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(["GH", "TZ", "ET", "CO", "PE", "BO", "IN", "MG", "CD", "UG"])
    region = "Sub-Saharan Africa"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.CIVIL_SOCIETY


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class CommodityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commodity
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Commodity {n}")
    slug = factory.Sequence(lambda n: f"commodity-{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    """A published resource with an external URL; pass file=… or use with_file=True."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    class Params:
        with_file = factory.Trait(
            external_url="",
            file=factory.LazyAttribute(lambda o: ContentFile(PDF_BYTES, name="report.pdf")),
        )

    title = factory.Sequence(lambda n: f"Resource number {n} on small-scale mining")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    summary = "A study of artisanal and small-scale mining."
    publisher = "IIED"
    year = 2020
    resource_type = Resource.Type.REPORT
    language = "en"
    external_url = factory.Sequence(lambda n: f"https://example.org/pubs/{n}")
    status = Resource.Status.PUBLISHED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the admin saves an upload: the file's words read first."""
        resource = model_class(*args, **kwargs)
        if resource.file:
            services.file_extract_text(resource=resource)
        resource.save()
        return resource

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def commodities(self, create, extracted, **kwargs):
        if create and extracted:
            self.commodities.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for position, name in enumerate(extracted):
                ResourceAuthor.objects.create(
                    resource=self, position=position, name=name, is_organisation="," not in name
                )


# -- learning groups, Outlooks and dialogues ---------------------------------------------


class LearningGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning_groups.LearningGroup"
        skip_postgeneration_save = True

    country = factory.SubFactory(CountryFactory)
    name = factory.LazyAttribute(lambda o: f"{o.country.name} learning group")
    slug = factory.Sequence(lambda n: f"learning-group-{n}")
    status = "active"
    description = "A national multi-stakeholder learning group."

    @factory.post_generation
    def convenors(self, create, extracted, **kwargs):
        if create and extracted:
            self.convenors.set(extracted)

    @factory.post_generation
    def outputs(self, create, extracted, **kwargs):
        if create and extracted:
            self.outputs.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning_groups.Membership"

    group = factory.SubFactory(LearningGroupFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    stakeholder_group = "civil_society"
    role = "member"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning_groups.Meeting"
        skip_postgeneration_save = True

    group = factory.SubFactory(LearningGroupFactory)
    date = datetime.date(2017, 3, 1)
    place = "Accra"
    purpose = "Quarterly meeting"

    @factory.post_generation
    def documents(self, create, extracted, **kwargs):
        if create and extracted:
            self.documents.set(extracted)


class OutlookReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning_groups.OutlookReport"

    country = factory.SubFactory(CountryFactory)
    year = 2018


class OutlookIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning_groups.OutlookIndicator"

    report = factory.SubFactory(OutlookReportFactory)
    indicator = "asm_miners"
    value = 1000
    source = "A survey"


class DialogueFactory(factory.django.DjangoModelFactory):
    """A held international dialogue in London in 2015; pass scope/country for others."""

    class Meta:
        model = "dialogues.Dialogue"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Dialogue number {n}")
    slug = factory.Sequence(lambda n: f"dialogue-{n}")
    scope = "international"
    place = "London"
    time_zone = "Europe/London"
    starts_at = datetime.datetime(2015, 4, 29, 9, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(days=1, hours=8))
    status = "held"

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


def ghana_action_dialogue(country, **fields):
    """The Ghana action dialogue, Tarkwa, 19-22 January 2016 (Accra time), in country:
    the programme's first national dialogue, as several tests build it."""
    accra = zoneinfo.ZoneInfo("Africa/Accra")
    return DialogueFactory(
        **{
            "title": "Ghana action dialogue",
            "slug": "ghana-action-dialogue",
            "scope": "national",
            "country": country,
            "place": "Tarkwa",
            "time_zone": "Africa/Accra",
            "starts_at": datetime.datetime(2016, 1, 19, 8, tzinfo=accra),
            "ends_at": datetime.datetime(2016, 1, 22, 17, tzinfo=accra),
            "participant_count": 55,
            **fields,
        }
    )


class DialogueDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dialogues.DialogueDocument"

    dialogue = factory.SubFactory(DialogueFactory)
    resource = factory.SubFactory(ResourceFactory)
    role = "background"


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dialogues.Stage"

    dialogue = factory.SubFactory(DialogueFactory)
    kind = "workshop"
    starts_on = datetime.date(2015, 4, 29)


PASSWORD = "a-long-test-password-4711"


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user with a known password (PASSWORD)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    is_staff = True
    password = factory.django.Password(PASSWORD)


class CuratorFactory(UserFactory):
    """A member of the Curators group the migration creates."""

    @factory.post_generation
    def curator_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=CURATORS))


class PartnerFactory(UserFactory):
    """A member of the Partners group, attached to an organisation."""

    @factory.post_generation
    def organisation(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=PARTNERS))
            PartnerProfile.objects.create(
                user=self, organisation=extracted or OrganisationFactory()
            )


def pdf_with_text(*lines):
    """A real one-page PDF whose text layer holds lines (for the search index tests)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.multi_cell(0, 8, line)
    return bytes(pdf.output())
