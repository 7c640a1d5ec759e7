"""A small network: organisations of every sort, their resources, groups, dialogues, news."""

import pytest

from resources.models import Organisation, Resource
from tests.factories import (
    CountryFactory,
    DialogueFactory,
    LearningGroupFactory,
    MembershipFactory,
    NewsFactory,
    OrganisationFactory,
    ResourceFactory,
    ThemeFactory,
)

Kind = Organisation.Kind


@pytest.fixture
def network():
    gh, tz = CountryFactory(code="GH"), CountryFactory(code="TZ")
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    igf = OrganisationFactory(
        name="Intergovernmental Forum on Mining",
        slug="igf",
        acronym="IGF",
        kind=Kind.INTERNATIONAL,
        is_partner=True,
        description="A forum of governments.",
        website="https://www.igfmining.org/",
    )
    minerals = OrganisationFactory(
        name="Minerals Commission", slug="minerals-commission", kind=Kind.GOVERNMENT, country=gh
    )
    galamsey = OrganisationFactory(
        name="Small Miners Association", slug="sma", acronym="GNASSM", kind=Kind.ASM_ORGANISATION,
        country=gh, is_partner=True,
    )  # fmt: skip
    OrganisationFactory(name="Dar Research", slug="dar-research", kind=Kind.RESEARCH, country=tz)
    owned = [
        ResourceFactory(title=f"IGF guidance {n}", year=2010 + n, owner=igf, publisher="")
        for n in range(7)
    ]
    # Published under the commission's name, owned by no one: it counts for the commission.
    named = ResourceFactory(title="Licensing handbook", publisher="Minerals Commission")
    ResourceFactory(title="IGF draft", owner=igf, status=Resource.Status.DRAFT)
    group = LearningGroupFactory(country=gh, name="Ghana learning group", convenors=[galamsey])
    MembershipFactory(group=group, organisation=minerals)
    dialogue = DialogueFactory(title="Mercury dialogue", slug="mercury-dialogue")
    dialogue.convenors.add(igf)
    NewsFactory(
        title="IGF joins the hub", organisation=igf, countries=[gh], themes=[mercury],
        learning_groups=[group],
    )  # fmt: skip
    NewsFactory(title="Draft news", organisation=igf, status="draft", countries=[gh])
    return {
        "gh": gh,
        "tz": tz,
        "igf": igf,
        "minerals": minerals,
        "sma": galamsey,
        "owned": owned,
        "named": named,
        "group": group,
        "dialogue": dialogue,
        "mercury": mercury,
    }
