"""OAI-PMH 2.0 data provider for the library (https://www.openarchives.org/OAI/2.0/).

Records are published resources; withdrawn resources that were once published stay as
deleted records for ever (deletedRecord=persistent). The datestamp is the resource's
updated_at at second granularity, in UTC. Sets: country, theme, commodity and type, each
with one child per value (country:gh, theme:mercury, type:report…).

A resumption token carries the whole request plus a cursor on (datestamp, id) and a
snapshot of "now" taken when the list was first asked for: records published or changed
during a harvest fall after the snapshot, so pages never shift; the next incremental
harvest (from=last responseDate) picks them up.
"""

import datetime as dt
import re

from django.conf import settings
from django.core import signing
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from lxml import etree as ET

from core.xmlsafe import xml_safe
from resources.discovery.records import records
from resources.models import Commodity, Country, Resource, Theme
from resources.search.backends import backend

NS_OAI = "http://www.openarchives.org/OAI/2.0/"
NS_OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_XML = "http://www.w3.org/XML/1998/namespace"
SCHEMA_OAI = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
SCHEMA_OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

ET.register_namespace("oai_dc", NS_OAI_DC)
ET.register_namespace("dc", NS_DC)
ET.register_namespace("xsi", NS_XSI)

METADATA_FORMATS = {"oai_dc": (SCHEMA_OAI_DC, NS_OAI_DC)}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "resources.discovery.oai.resumption"
SET_KINDS = ("country", "theme", "commodity", "type")

_SPEC_CHARS = r"[A-Za-z0-9\-_.!~*'()]+"
SYNTAX = {
    "metadataPrefix": re.compile(_SPEC_CHARS),
    "set": re.compile(rf"{_SPEC_CHARS}(:{_SPEC_CHARS})*"),
    "identifier": re.compile(r"\S{1,300}"),
}

# verb: (required arguments, optional arguments, exclusive argument)
VERBS = {
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
}


class OAIError(Exception):
    """An OAI-PMH error condition: code is one of the specification's error codes."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def q(tag, ns=NS_OAI):
    return f"{{{ns}}}{tag}"


def sub(parent, tag, text=None, ns=NS_OAI, **attrs):
    element = ET.SubElement(parent, q(tag, ns), {k: xml_safe(str(v)) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_safe(str(text))
    return element


def datestamp(moment):
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def oai_identifier(resource):
    return f"oai:{settings.ASMHUB_OAI_REPOSITORY_ID}:resource/{resource.pk}"


def resource_pk(identifier):
    prefix = f"oai:{settings.ASMHUB_OAI_REPOSITORY_ID}:resource/"
    if not identifier.startswith(prefix) or not identifier[len(prefix) :].isdigit():
        return None
    return int(identifier[len(prefix) :])


def harvestable():
    """Every resource a harvester may know of: the published ones and the withdrawn ones
    that were once published (as deleted records)."""
    return Resource.objects.filter(
        Q(status=Resource.Status.PUBLISHED)
        | Q(status=Resource.Status.WITHDRAWN, published_at__isnull=False)
    )


# -- arguments --------------------------------------------------------------------------------


def parse_datestamp(value, name, *, upper):
    """A from/until value as an aware datetime: the first instant it names, or for
    until (upper=True) the first instant after it. Returns (moment, has_time)."""
    for pattern, has_time, step in (
        ("%Y-%m-%dT%H:%M:%SZ", True, dt.timedelta(seconds=1)),
        ("%Y-%m-%d", False, dt.timedelta(days=1)),
    ):
        try:
            moment = dt.datetime.strptime(value, pattern).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        return (moment + step if upper else moment), has_time
    raise OAIError("badArgument", f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")


def date_range(args):
    """The from and until arguments as [start, end) aware datetimes (None when absent)."""
    start = end = None
    if "from" in args:
        start, from_has_time = parse_datestamp(args["from"], "from", upper=False)
    if "until" in args:
        end, until_has_time = parse_datestamp(args["until"], "until", upper=True)
    if start and end:
        if from_has_time != until_has_time:
            raise OAIError("badArgument", "from and until must have the same granularity.")
        if start >= end:
            raise OAIError("badArgument", "from must not be later than until.")
    return start, end


def check_arguments(params):
    """Validate a request's arguments; returns (verb, {name: value})."""
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "The verb argument is missing, repeated or not legal.")
    verb = verbs[0]
    required, optional, exclusive = VERBS[verb]
    args = {}
    for name in params:
        if name == "verb":
            continue
        values = params.getlist(name)
        if len(values) > 1:
            raise OAIError("badArgument", f"The argument {name} is repeated.")
        if name not in required | optional | ({exclusive} if exclusive else set()):
            raise OAIError("badArgument", f"{verb} does not take the argument {name}.")
        args[name] = values[0]
    for name, pattern in SYNTAX.items():
        if name in args and not pattern.fullmatch(args[name]):
            raise OAIError("badArgument", f"{name} is not well formed.")
    if exclusive and exclusive in args:
        if len(args) > 1:
            raise OAIError("badArgument", f"{exclusive} is an exclusive argument.")
        return verb, args
    missing = required - set(args)
    if missing:
        raise OAIError("badArgument", f"{verb} needs {', '.join(sorted(missing))}.")
    date_range(args)
    return verb, args


def check_prefix(prefix):
    if prefix not in METADATA_FORMATS:
        raise OAIError("cannotDisseminateFormat", f"The metadata format {prefix} is not supported.")


def filter_by_set(queryset, spec):
    """Narrow to the records of setSpec spec; an unknown set matches nothing."""
    kind, _sep, value = spec.partition(":")
    if kind not in SET_KINDS or (_sep and not value):
        return queryset.none()
    if kind == "type":
        return queryset.filter(resource_type=value) if value else queryset
    if kind == "country":
        if not value:
            return queryset.filter(countries__isnull=False).distinct()
        return queryset.in_countries([value.upper()])
    if value:
        # A set is the records filed under that theme or commodity itself.
        return queryset.in_themes([value]) if kind == "theme" else queryset.in_commodities([value])
    through = {"theme": Resource.themes.through, "commodity": Resource.commodities.through}[kind]
    return queryset.filter(pk__in=through.objects.values("resource_id"))


def list_state(verb, args, now):
    """The state of a list request (fresh or resumed) as a dict that a token can carry."""
    if "resumptionToken" in args:
        try:
            state = signing.loads(args["resumptionToken"], salt=TOKEN_SALT)
        except signing.BadSignature:
            raise OAIError("badResumptionToken", "The resumption token is not valid.") from None
        if not isinstance(state, dict) or state.get("verb") != verb:
            raise OAIError("badResumptionToken", "The resumption token is for another list.")
        return state
    prefix = args["metadataPrefix"]
    check_prefix(prefix)
    start, end = date_range(args)
    # The snapshot: records changed after this instant belong to the next harvest.
    end = min(end, now) if end else now
    return {
        "verb": verb,
        "prefix": prefix,
        "set": args.get("set"),
        "from": start.isoformat() if start else None,
        "until": end.isoformat(),
        "after": None,
        "sent": 0,
    }


def list_queryset(state):
    queryset = harvestable().filter(updated_at__lt=dt.datetime.fromisoformat(state["until"]))
    if state["from"]:
        queryset = queryset.filter(updated_at__gte=dt.datetime.fromisoformat(state["from"]))
    if state["set"]:
        queryset = filter_by_set(queryset, state["set"])
    return queryset.order_by("updated_at", "pk")


def list_size(state, queryset, now):
    """completeListSize of a list. The whole repository's (no from, no set, until now) is
    the published resources, which the facet index counts in memory rather than
    PostgreSQL counting every index entry, plus the deleted records."""
    whole = not state["from"] and not state["set"] and state["until"] == now.isoformat()
    published = backend().published_count() if whole else None
    if published is None:
        return queryset.count()
    deleted = queryset.filter(status=Resource.Status.WITHDRAWN).count()
    return published + deleted


# -- responses ----------------------------------------------------------------------------------


class Repository:
    """Answers one OAI-PMH request; base_url is the absolute URL of /oai."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.site_url = base_url.removesuffix(reverse("oai"))
        self.now = timezone.now()

    def response(self, params):
        """The response document (bytes) to a request with params (a QueryDict)."""
        # lxml keeps the tree in C (a page of 100 records is 30,000 elements, which
        # ElementTree made Python objects for the garbage collector to walk) and writes
        # it from C too; the OAI namespace is the document's default.
        root = ET.Element(
            q("OAI-PMH"),
            nsmap={None: NS_OAI, "xsi": NS_XSI, "oai_dc": NS_OAI_DC, "dc": NS_DC},
        )
        root.set(q("schemaLocation", NS_XSI), f"{NS_OAI} {SCHEMA_OAI}")
        sub(root, "responseDate", datestamp(self.now))
        request = sub(root, "request", self.base_url)
        try:
            verb, args = check_arguments(params)
        except OAIError as error:
            # After badVerb or badArgument the request element carries no attributes.
            self.error(root, error)
            return self.serialise(root)
        request.set("verb", verb)
        for name, value in args.items():
            request.set(name, xml_safe(value))
        try:
            element = getattr(self, verb)(args)
        except OAIError as error:
            self.error(root, error)
        else:
            root.append(element)
        return self.serialise(root)

    @staticmethod
    def error(root, error):
        sub(root, "error", error.message, code=error.code)

    @staticmethod
    def serialise(root):
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)

    # -- verbs --

    def Identify(self, args):  # noqa: N802 - the names are the protocol's verbs
        element = ET.Element(q("Identify"))
        sub(element, "repositoryName", settings.ASMHUB_SITE_NAME)
        sub(element, "baseURL", self.base_url)
        sub(element, "protocolVersion", "2.0")
        sub(element, "adminEmail", settings.ASMHUB_ADMIN_EMAIL)
        earliest = harvestable().aggregate(earliest=Min("updated_at"))["earliest"]
        sub(element, "earliestDatestamp", datestamp(earliest or self.now))
        sub(element, "deletedRecord", "persistent")
        sub(element, "granularity", GRANULARITY)
        return element

    def ListMetadataFormats(self, args):  # noqa: N802
        if "identifier" in args:
            self.get_resource(args["identifier"])
        element = ET.Element(q("ListMetadataFormats"))
        for prefix, (schema, namespace) in METADATA_FORMATS.items():
            fmt = sub(element, "metadataFormat")
            sub(fmt, "metadataPrefix", prefix)
            sub(fmt, "schema", schema)
            sub(fmt, "metadataNamespace", namespace)
        return element

    def ListSets(self, args):  # noqa: N802
        if "resumptionToken" in args:
            raise OAIError("badResumptionToken", "ListSets is never split; no token is valid.")
        element = ET.Element(q("ListSets"))
        names = {
            "country": "Countries",
            "theme": "Themes",
            "commodity": "Commodities",
            "type": "Resource types",
        }
        for kind in SET_KINDS:
            self.add_set(element, kind, names[kind])
            if kind == "country":
                for country in Country.objects.order_by("code"):
                    self.add_set(element, f"country:{country.slug}", str(country.name))
            elif kind == "type":
                for value, label in Resource.Type.choices:
                    self.add_set(element, f"type:{value}", str(label))
            else:
                model = {"theme": Theme, "commodity": Commodity}[kind]
                for term in model.objects.order_by("slug"):
                    self.add_set(element, f"{kind}:{term.slug}", term.name)
        return element

    @staticmethod
    def add_set(parent, spec, name):
        element = sub(parent, "set")
        sub(element, "setSpec", spec)
        sub(element, "setName", name)

    def GetRecord(self, args):  # noqa: N802
        check_prefix(args["metadataPrefix"])
        resource = self.get_resource(args["identifier"])
        element = ET.Element(q("GetRecord"))
        self.add_record(element, resource)
        return element

    def ListIdentifiers(self, args):  # noqa: N802
        return self.list(args, "ListIdentifiers", with_metadata=False)

    def ListRecords(self, args):  # noqa: N802
        return self.list(args, "ListRecords", with_metadata=True)

    # -- lists --

    def list(self, args, verb, *, with_metadata):
        state = list_state(verb, args, self.now)
        queryset = list_queryset(state)
        page_size = settings.ASMHUB_OAI_PAGE_SIZE
        page = queryset
        if state["after"]:
            moment, pk = dt.datetime.fromisoformat(state["after"][0]), state["after"][1]
            page = page.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
        rows = records(page[: page_size + 1], metadata=with_metadata)
        if not rows:
            raise OAIError("noRecordsMatch", "No records match the arguments.")
        has_more = len(rows) > page_size
        rows = rows[:page_size]
        element = ET.Element(q(verb))
        for resource in rows:
            if with_metadata:
                self.add_record(element, resource)
            else:
                self.add_header(element, resource)
        if has_more or state["after"]:
            # Counted once, on the first page; later pages carry it in their token.
            total = state.get("size")
            if total is None:
                total = list_size(state, queryset, self.now)
            cursor = state["sent"]
            token = sub(element, "resumptionToken", completeListSize=total, cursor=cursor)
            if has_more:
                last = rows[-1]
                token.text = signing.dumps(
                    {
                        **state,
                        "after": [last.updated_at.isoformat(), last.pk],
                        "sent": cursor + len(rows),
                        "size": total,
                    },
                    salt=TOKEN_SALT,
                    compress=True,
                )
        return element

    # -- records --

    def get_resource(self, identifier):
        pk = resource_pk(identifier)
        found = records(harvestable().filter(pk=pk)) if pk else []
        if not found:
            raise OAIError("idDoesNotExist", f"No item has the identifier {identifier}.")
        return found[0]

    def add_header(self, parent, resource):
        header = sub(parent, "header")
        if not resource.is_published:
            header.set("status", "deleted")
        sub(header, "identifier", oai_identifier(resource))
        sub(header, "datestamp", datestamp(resource.updated_at))
        for spec in set_specs(resource):
            sub(header, "setSpec", spec)
        return header

    def add_record(self, parent, resource):
        record = sub(parent, "record")
        self.add_header(record, resource)
        if resource.is_published:
            metadata = sub(record, "metadata")
            self.oai_dc(metadata, resource)

    def absolute(self, path):
        return self.site_url + path

    def oai_dc(self, parent, resource):
        """Simple Dublin Core of a resource."""
        dc = sub(parent, "dc", ns=NS_OAI_DC)
        dc.set(q("schemaLocation", NS_XSI), f"{NS_OAI_DC} {SCHEMA_OAI_DC}")

        def add(tag, text):
            if text:
                sub(dc, tag, text, ns=NS_DC)

        # Each version of the title in its language; "other" is no language tag.
        for code, title in [(resource.language, resource.title), *resource.translated_titles]:
            language = {} if code == "other" else {q("lang", NS_XML): code}
            sub(dc, "title", title, ns=NS_DC, **language)
        for name in resource.author_names:
            add("creator", name)
        for word in resource.keywords:
            add("subject", word)
        add("description", resource.summary)
        add("publisher", resource.publisher)
        if resource.date:
            add("date", resource.date.isoformat())
        elif resource.year:
            add("date", str(resource.year))
        add("type", "Dataset" if resource.resource_type == Resource.Type.DATASET else "Text")
        add("type", resource.type_label)
        if resource.file:
            add("format", resource.content_type)
        add("identifier", self.absolute(resource.get_absolute_url()))
        if resource.doi:
            add("identifier", f"https://doi.org/{resource.doi}")
        if resource.isbn:
            add("identifier", f"urn:isbn:{resource.isbn}")
        if resource.external_url:
            add("relation", resource.external_url)
        if resource.language != "other":
            add("language", resource.language)
        for name in resource.country_names:
            add("coverage", name)
        add("rights", resource.licence)
        return dc


def set_specs(record):
    """The leaf sets a record (records.Record) belongs to."""
    specs = [f"country:{code.lower()}" for code in record.country_codes]
    specs += [f"theme:{slug}" for slug, _name in record.themes]
    specs += [f"commodity:{slug}" for slug, _name in record.commodities]
    specs.append(f"type:{record.resource_type}")
    return specs
