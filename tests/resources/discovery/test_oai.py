"""OAI-PMH 2.0 at /oai: a whole harvest with sickle (a client we did not write), deleted
records, stable resumption tokens, every error condition, and every response validated.

Validation uses tests/resources/data/oai/*.xsd: schemas written for these tests from the
OAI-PMH 2.0 specification, not the official OAI-PMH.xsd, which could not be downloaded
where they were written (see the comment at the top of OAI-PMH.xsd).
"""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from sickle import Sickle, oaiexceptions

from resources.discovery import oai
from resources.models import Resource
from tests.factories import CommodityFactory, CountryFactory, ResourceFactory, ThemeFactory

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data/oai/harvest.xsd")))
NS = {"o": oai.NS_OAI, "dc": oai.NS_DC, "oai_dc": oai.NS_OAI_DC}
URL = reverse("oai")


def identifier(resource):
    return f"oai:asmhub.example.org:resource/{resource.pk}"


def ask(client, **params):
    """GET /oai with params; the response must validate against the schema."""
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    document = etree.fromstring(response.content)
    SCHEMA.assertValid(document)
    return document


def error_codes(document):
    return [e.get("code") for e in document.findall("o:error", NS)]


@pytest.fixture
def small_pages(settings):
    settings.ASMHUB_OAI_PAGE_SIZE = 3


@pytest.fixture
def corpus(db):
    gh = CountryFactory(code="GH")
    mercury = ThemeFactory(slug="mercury", name="Mercury")
    gold = CommodityFactory(slug="gold", name="Gold")
    published = [
        ResourceFactory(
            title=f"Study {n}",
            countries=[gh] if n % 2 else [],
            themes=[mercury] if n < 3 else [],
            commodities=[gold] if n == 0 else [],
            resource_type=Resource.Type.DATASET if n == 6 else Resource.Type.REPORT,
            authors=["Hilson, Gavin", "IIED"] if n == 0 else [],
        )
        for n in range(7)
    ]
    withdrawn = ResourceFactory(title="Withdrawn study", countries=[gh])
    withdrawn.status = Resource.Status.WITHDRAWN
    withdrawn.save()
    never = ResourceFactory(title="Draft", status=Resource.Status.DRAFT, countries=[gh])
    return {"published": published, "withdrawn": withdrawn, "draft": never}


# -- the six verbs ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_identify(client, corpus):
    document = ask(client, verb="Identify")
    identify = document.find("o:Identify", NS)
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    earliest = min(r.updated_at for r in [*corpus["published"], corpus["withdrawn"]])
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == oai.datestamp(earliest)


@pytest.mark.django_db
def test_list_metadata_formats(client, corpus):
    for params in ({}, {"identifier": identifier(corpus["published"][0])}):
        document = ask(client, verb="ListMetadataFormats", **params)
        prefixes = document.xpath("//o:metadataPrefix/text()", namespaces=NS)
        assert prefixes == ["oai_dc"]


@pytest.mark.django_db
def test_list_sets_covers_every_kind(client, corpus):
    specs = ask(client, verb="ListSets").xpath("//o:setSpec/text()", namespaces=NS)
    for spec in ("country", "country:gh", "theme:mercury", "commodity:gold", "type:report"):
        assert spec in specs


@pytest.mark.django_db
def test_get_record_in_oai_dc(client, corpus):
    resource = corpus["published"][0]
    document = ask(
        client, verb="GetRecord", identifier=identifier(resource), metadataPrefix="oai_dc"
    )
    record = document.find("o:GetRecord/o:record", NS)
    assert record.findtext("o:header/o:identifier", namespaces=NS) == identifier(resource)
    assert record.findtext("o:header/o:datestamp", namespaces=NS) == oai.datestamp(
        resource.updated_at
    )
    assert set(record.xpath("o:header/o:setSpec/text()", namespaces=NS)) == {
        "theme:mercury",
        "commodity:gold",
        "type:report",
    }
    dc = record.find("o:metadata/oai_dc:dc", NS)
    assert dc.findtext("dc:title", namespaces=NS) == "Study 0"
    assert dc.xpath("dc:creator/text()", namespaces=NS) == ["Hilson, Gavin", "IIED"]
    assert f"http://testserver{resource.get_absolute_url()}" in dc.xpath(
        "dc:identifier/text()", namespaces=NS
    )
    assert dc.findtext("dc:language", namespaces=NS) == "en"


@pytest.mark.django_db
def test_withdrawn_resource_is_a_deleted_record(client, corpus):
    document = ask(
        client,
        verb="GetRecord",
        identifier=identifier(corpus["withdrawn"]),
        metadataPrefix="oai_dc",
    )
    record = document.find("o:GetRecord/o:record", NS)
    assert record.find("o:header", NS).get("status") == "deleted"
    assert record.find("o:metadata", NS) is None


@pytest.mark.django_db
def test_list_identifiers_pages_with_resumption_tokens(client, corpus, small_pages):
    seen, token, cursors = [], None, []
    while True:
        params = {"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}
        document = ask(client, verb="ListIdentifiers", **params)
        seen += document.xpath("//o:header/o:identifier/text()", namespaces=NS)
        element = document.find("o:ListIdentifiers/o:resumptionToken", NS)
        assert element.get("completeListSize") == "8"
        cursors.append(element.get("cursor"))
        token = element.text
        if not token:
            break
    assert cursors == ["0", "3", "6"]
    expected = [*corpus["published"], corpus["withdrawn"]]
    assert sorted(seen) == sorted(identifier(r) for r in expected)


@pytest.mark.django_db
def test_the_list_size_follows_publishing_and_withdrawing(
    client, corpus, small_pages, warm_facet_index
):
    # On PostgreSQL the whole list's size comes from the facet index (kept current from
    # the change log), any narrower list's from a count.
    warm_facet_index()

    def size(**params):
        document = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
        return int(document.find("o:ListIdentifiers/o:resumptionToken", NS).get("completeListSize"))

    assert size() == 8
    extra = ResourceFactory()
    assert size() == 9
    extra.status = Resource.Status.WITHDRAWN
    extra.save()
    assert size() == 9, "a deleted record now"
    ResourceFactory(status=Resource.Status.DRAFT)
    assert size() == 9
    assert size(**{"from": "2000-01-01"}) == 9


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("set_spec", "titles"),
    [
        ("country:gh", {"Study 1", "Study 3", "Study 5", "Withdrawn study"}),
        ("theme:mercury", {"Study 0", "Study 1", "Study 2"}),
        ("commodity:gold", {"Study 0"}),
        ("type:dataset", {"Study 6"}),
        ("country", {"Study 1", "Study 3", "Study 5", "Withdrawn study"}),
    ],
)
def test_selective_harvest_by_set(client, corpus, set_spec, titles):
    document = ask(client, verb="ListRecords", metadataPrefix="oai_dc", set=set_spec)
    ids = set(document.xpath("//o:header/o:identifier/text()", namespaces=NS))
    everything = [*corpus["published"], corpus["withdrawn"]]
    assert ids == {identifier(r) for r in everything if r.title in titles}


@pytest.mark.django_db
def test_from_and_until_at_second_granularity(client, corpus):
    old = corpus["published"][0]
    Resource.objects.filter(pk=old.pk).update(
        updated_at=dt.datetime(2020, 5, 1, 12, 0, 0, tzinfo=dt.UTC)
    )
    document = ask(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-05-01T12:00:00Z"
    )
    assert document.xpath("//o:identifier/text()", namespaces=NS) == [identifier(old)]
    document = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-05-01")
    assert document.xpath("//o:identifier/text()", namespaces=NS) == [identifier(old)]
    later = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2020-05-01T12:00:01Z"}
    document = ask(client, **later)
    assert identifier(old) not in document.xpath("//o:identifier/text()", namespaces=NS)
    assert len(document.xpath("//o:identifier", namespaces=NS)) == 7


# -- error conditions -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Dance"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2020-01-01",
                "until": "2020-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2021-01-01",
                "until": "2020-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a b"}, "badArgument"),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "mods",
                "identifier": "oai:asmhub.example.org:resource/1",
            },
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere:1"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListMetadataFormats", "identifier": "oai:asmhub.example.org:resource/0"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "theme:nothing"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "1990-01-01"},
            "noRecordsMatch",
        ),
    ],
)
def test_error_conditions(client, corpus, params, code):
    document = ask(client, **params)
    assert error_codes(document) == [code]
    request = document.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}  # the specification: no attributes after these
    assert request.text == "http://testserver/oai"


@pytest.mark.django_db
def test_drafts_never_appear(client, corpus):
    document = ask(
        client, verb="GetRecord", identifier=identifier(corpus["draft"]), metadataPrefix="oai_dc"
    )
    assert error_codes(document) == ["idDoesNotExist"]
    document = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifier(corpus["draft"]) not in document.xpath("//o:identifier/text()", namespaces=NS)


@pytest.mark.django_db
def test_token_of_another_verb_is_refused(client, corpus, small_pages):
    document = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = document.findtext("o:ListIdentifiers/o:resumptionToken", namespaces=NS)
    assert error_codes(ask(client, verb="ListRecords", resumptionToken=token)) == [
        "badResumptionToken"
    ]


@pytest.mark.django_db
def test_post_requests_are_answered_like_get(client, corpus):
    response = client.post(URL, {"verb": "Identify"})
    SCHEMA.assertValid(etree.fromstring(response.content))


@pytest.mark.django_db
def test_control_characters_are_left_out_of_the_xml(client):
    # ask() parses the response and checks it against the schema: raw control characters
    # would make it unparsable.
    resource = ResourceFactory(title="Gold\x0bfields", summary="Tailings\x01 and water")
    document = ask(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier(resource)
    )
    assert document.find(".//dc:title", NS).text == "Goldfields"
    assert document.find(".//dc:description", NS).text == "Tailings and water"
    document = ask(client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:x\x01")
    assert document.find(".//o:error", NS).get("code") == "idDoesNotExist"


@pytest.mark.django_db
def test_list_records_query_count_is_fixed(
    client, corpus, small_pages, django_assert_num_queries, warm_facet_index
):
    ask(client, verb="Identify")  # Django reads the tags' content type once a process
    warm_facet_index()
    # The list's size on the first of several pages: a count, or on PostgreSQL the facet
    # index's published total (the content version) and a count of the deleted records.
    sized = 2 if connection.vendor == "postgresql" else 1
    # A page of records + 6 prefetches (authors, countries, themes, commodities, tags,
    # translated titles).
    with django_assert_num_queries(7 + sized):
        first = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = first.find(".//o:resumptionToken", NS).text
    with django_assert_num_queries(7):
        ask(client, verb="ListRecords", resumptionToken=token)
    # Headers: the page + countries, themes, commodities.
    with django_assert_num_queries(4 + sized):
        ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")


# -- a real harvest ---------------------------------------------------------------------------


def harvest(base_url, **params):
    sickle = Sickle(base_url, max_retries=1, timeout=10)
    return sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False, **params)


@pytest.mark.django_db(transaction=True)
def test_sickle_harvests_the_whole_repository(live_server, corpus, small_pages):
    published = corpus["published"]
    records = list(harvest(f"{live_server.url}/oai"))
    live = {r.header.identifier: r for r in records if not r.header.deleted}
    assert set(live) == {identifier(r) for r in published}
    assert live[identifier(published[0])].metadata["title"] == ["Study 0"]
    assert live[identifier(published[0])].metadata["creator"] == ["Hilson, Gavin", "IIED"]
    deleted = [r.header.identifier for r in records if r.header.deleted]
    assert deleted == [identifier(corpus["withdrawn"])]

    # A withdrawal after the harvest: the next harvest sees the record as deleted.
    published[2].status = Resource.Status.WITHDRAWN
    published[2].save()
    again = {r.header.identifier: r.header.deleted for r in harvest(f"{live_server.url}/oai")}
    assert again[identifier(published[2])] is True
    assert sum(again.values()) == 2
    assert len(again) == 8


@pytest.mark.django_db(transaction=True)
def test_records_published_mid_harvest_do_not_shift_pages(live_server, corpus, small_pages):
    started = timezone.now().replace(microsecond=0)
    records = harvest(f"{live_server.url}/oai")
    harvested = [next(records).header.identifier]  # the first page is fetched
    newcomers = [ResourceFactory(title=f"Newcomer {n}") for n in range(4)]
    harvested += [record.header.identifier for record in records]
    before = [*corpus["published"], corpus["withdrawn"]]
    assert sorted(harvested) == sorted(identifier(r) for r in before)  # none twice, none lost

    since = oai.datestamp(started)
    incremental = {
        r.header.identifier for r in harvest(f"{live_server.url}/oai", **{"from": since})
    }
    assert {identifier(r) for r in newcomers} <= incremental


@pytest.mark.django_db(transaction=True)
def test_sickle_raises_the_protocol_errors(live_server, corpus):
    sickle = Sickle(f"{live_server.url}/oai", max_retries=1, timeout=10)
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        list(sickle.ListRecords(metadataPrefix="marc21"))
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        sickle.GetRecord(
            identifier="oai:asmhub.example.org:resource/999999", metadataPrefix="oai_dc"
        )
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(sickle.ListRecords(metadataPrefix="oai_dc", set="theme:nothing"))
