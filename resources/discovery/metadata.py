"""Machine-readable metadata embedded in pages: Highwire Press citation_* tags (Google
Scholar, Zotero), Dublin Core, Open Graph and schema.org JSON-LD.

Builders return plain data (lists of name/content pairs, dicts); templates render them.
"""

from django.conf import settings

from core.translations import language_tagged
from resources.discovery.citations import keywords, resource_url
from resources.models import Resource

T = Resource.Type

SCHEMA_TYPES = {
    T.REPORT: "Report",
    T.POLICY_BRIEF: "Report",
    T.WORKING_PAPER: "Report",
    T.CASE_STUDY: "Report",
    T.OUTLOOK: "Report",
    T.DIALOGUE_SUMMARY: "Report",
    T.TOOLKIT: "DigitalDocument",
    T.ARTICLE: "ScholarlyArticle",
    T.BOOK: "Book",
    T.DATASET: "Dataset",
    T.LAW_POLICY: "Legislation",
    T.PRESENTATION: "PresentationDigitalDocument",
    T.VIDEO: "VideoObject",
    T.BLOG: "BlogPosting",
}


def publication_date(resource, separator="-"):
    """The full date when known, else the year, else nothing."""
    if resource.date:
        return resource.date.strftime(f"%Y{separator}%m{separator}%d")
    return str(resource.year) if resource.year else ""


def highwire_tags(resource, absolute):
    """citation_* meta tags as (name, content) pairs, authors and keywords one tag each."""
    tags = [("citation_title", resource.title)]
    tags += [("citation_author", author.name) for author in resource.authors.all()]
    date = publication_date(resource, "/")
    if date:
        tags.append(("citation_publication_date", date))
    if resource.publisher:
        tags.append(("citation_publisher", resource.publisher))
        if resource.resource_type in (T.REPORT, T.WORKING_PAPER, T.POLICY_BRIEF, T.OUTLOOK):
            tags.append(("citation_technical_report_institution", resource.publisher))
    if resource.publisher_code:
        tags.append(("citation_technical_report_number", resource.publisher_code))
    if resource.file and resource.content_type == "application/pdf":
        tags.append(("citation_pdf_url", absolute(resource.get_download_url())))
    tags.append(("citation_language", resource.language))
    if resource.doi:
        tags.append(("citation_doi", resource.doi))
    if resource.isbn:
        tags.append(("citation_isbn", resource.isbn))
    tags += [("citation_keywords", word) for word in keywords(resource)]
    tags.append(("citation_abstract_html_url", absolute(resource.get_absolute_url())))
    return tags


def dublin_core(resource, absolute):
    """DC.* meta tags as (name, content) pairs."""
    tags = [("DC.title", resource.title)]
    tags += [("DC.creator", author.name) for author in resource.authors.all()]
    date = publication_date(resource)
    if date:
        tags.append(("DC.date", date))
    if resource.publisher:
        tags.append(("DC.publisher", resource.publisher))
    tags.append(("DC.type", resource.type_label))
    tags.append(("DC.language", resource.language))
    tags.append(("DC.identifier", resource_url(resource, absolute)))
    if resource.summary:
        tags.append(("DC.description", resource.summary))
    tags += [("DC.subject", word) for word in keywords(resource)]
    tags += [("DC.coverage", str(country.name)) for country in resource.countries.all()]
    if resource.licence:
        tags.append(("DC.rights", resource.licence))
    return tags


def open_graph(resource, absolute):
    """og:* properties as (property, content) pairs."""
    tags = [
        ("og:type", "article"),
        ("og:title", resource.title),
        ("og:url", absolute(resource.get_absolute_url())),
        ("og:site_name", settings.ASMHUB_SITE_NAME),
    ]
    if resource.summary:
        tags.append(("og:description", resource.summary[:300]))
    if resource.published_at:
        tags.append(("article:published_time", resource.published_at.isoformat()))
    tags += [("article:tag", word) for word in keywords(resource)]
    return tags


def _person_or_organisation(author):
    if author.is_organisation or "," not in author.name:
        return {"@type": "Organization", "name": author.name}
    return {
        "@type": "Person",
        "name": f"{author.given_names} {author.family_name}".strip(),
        "familyName": author.family_name,
        "givenName": author.given_names,
    }


def resource_jsonld(resource, absolute):
    """schema.org description of a resource, typed by its resource type."""
    url = absolute(resource.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(resource.resource_type, "CreativeWork"),
        "@id": url,
        "url": url,
        "name": resource.title,
        "inLanguage": resource.language,
        "isAccessibleForFree": resource.is_open_access,
    }
    if data["@type"] in ("ScholarlyArticle", "BlogPosting"):
        data["headline"] = resource.title[:110]
    # Every version of the title, each tagged with its language (JSON-LD value objects).
    data["name"] = language_tagged(resource, "title")
    authors = [_person_or_organisation(a) for a in resource.authors.all()]
    if authors:
        data["author"] = authors
    date = publication_date(resource)
    if date:
        data["datePublished"] = date
    if resource.updated_at:
        data["dateModified"] = resource.updated_at.isoformat()
    if resource.publisher:
        data["publisher"] = {"@type": "Organization", "name": resource.publisher}
    if resource.summary:
        data["description"] = resource.summary
        data["abstract"] = resource.summary
    words = keywords(resource)
    if words:
        data["keywords"] = words
    countries = [
        {"@type": "Country", "name": str(c.name), "identifier": c.code}
        for c in resource.countries.all()
    ]
    if countries:
        data["spatialCoverage"] = countries
    if resource.doi:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": resource.doi,
        }
        data["sameAs"] = f"https://doi.org/{resource.doi}"
    if resource.isbn:
        data["isbn"] = resource.isbn
    if resource.licence:
        data["license"] = resource.licence
    if resource.file:
        encoding = {
            "@type": "MediaObject",
            "contentUrl": absolute(resource.get_download_url()),
            "encodingFormat": resource.content_type,
        }
        if resource.file_size:
            encoding["contentSize"] = f"{resource.file_size} B"
        data["distribution" if data["@type"] == "Dataset" else "encoding"] = (
            {**encoding, "@type": "DataDownload"} if data["@type"] == "Dataset" else encoding
        )
    if resource.external_url:
        data.setdefault("sameAs", resource.external_url)
    return data


def breadcrumbs_jsonld(items, absolute):
    """A schema.org BreadcrumbList from (name, path) pairs, outermost first: the page's
    visible breadcrumbs (under Home) then the page itself, named as the reader sees it."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": str(name), "item": absolute(path)}
            for n, (name, path) in enumerate(items, start=1)
        ],
    }


def country_crumb(country):
    """The crumb of the country a page belongs to, as its visible breadcrumbs name it
    (none when the page belongs to no country): a list to unpack into the trail."""
    return [] if country is None else [(country.name, country.get_absolute_url())]


def site_jsonld(absolute):
    """The hub itself as a schema.org Organization with its search action."""
    return {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": settings.ASMHUB_SITE_NAME,
        "url": absolute("/"),
        "email": settings.ASMHUB_ADMIN_EMAIL,
    }


def event_jsonld(
    *,
    name,
    url,
    start,
    end=None,
    place="",
    country=None,
    organisers=(),
    description="",
    cancelled=False,
    attendance_online=False,
):
    """A schema.org Event (a dialogue or meeting) from plain values, so apps that hold
    events (dialogues, learning groups) describe them the same way. start and end are
    dates or datetimes; country a Country or None; organisers names of organisations."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": name,
        "url": url,
        "startDate": start.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"
        if attendance_online
        else "https://schema.org/OfflineEventAttendanceMode",
    }
    if end:
        data["endDate"] = end.isoformat()
    if description:
        data["description"] = description
    if place or country:
        address = {"@type": "PostalAddress"}
        if place:
            address["addressLocality"] = place
        if country:
            address["addressCountry"] = country.code
        data["location"] = {
            "@type": "Place",
            "name": place or str(country.name),
            "address": address,
        }
    if organisers:
        data["organizer"] = [{"@type": "Organization", "name": name} for name in organisers]
    return data
