"""The library as an OAI-PMH Static Repository: one XML file holding the Identify and
ListMetadataFormats answers and every published record in ``oai_dc``, which a Static
Repository Gateway serves to harvesters once the hub itself is gone (``export_site``).

The Static Repository rules differ from the live endpoint's (oai.py) in three ways:
datestamps are days (granularity YYYY-MM-DD), there are no sets and no deleted records,
so withdrawn resources are simply absent.
"""

from lxml import etree as ET

from resources.discovery.oai import NS_DC, NS_OAI, NS_OAI_DC, NS_XSI, Repository
from resources.discovery.records import records
from resources.models import Resource

NS_STATIC = "http://www.openarchives.org/OAI/2.0/static-repository"
SCHEMA_STATIC = "http://www.openarchives.org/OAI/2.0/static-repository.xsd"
CHUNK = 500


def day(element):
    """A datestamp element cut to its day."""
    element.text = element.text[:10]


def static_repository(url):
    """The Static Repository document (bytes) to be published at url."""
    repository = Repository(url)
    root = ET.Element(
        f"{{{NS_STATIC}}}Repository",
        nsmap={None: NS_STATIC, "oai": NS_OAI, "xsi": NS_XSI, "oai_dc": NS_OAI_DC, "dc": NS_DC},
    )
    root.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_STATIC} {SCHEMA_STATIC}")

    identify = ET.SubElement(root, f"{{{NS_STATIC}}}Identify")
    for child in repository.Identify({}):
        identify.append(child)
    day(identify.find(f"{{{NS_OAI}}}earliestDatestamp"))
    identify.find(f"{{{NS_OAI}}}deletedRecord").text = "no"
    identify.find(f"{{{NS_OAI}}}granularity").text = "YYYY-MM-DD"

    formats = ET.SubElement(root, f"{{{NS_STATIC}}}ListMetadataFormats")
    for child in repository.ListMetadataFormats({}):
        formats.append(child)

    listed = ET.SubElement(root, f"{{{NS_STATIC}}}ListRecords", metadataPrefix="oai_dc")
    published = Resource.objects.published().order_by("updated_at", "pk")
    pks = list(published.values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        chunk = published.filter(pk__in=pks[start : start + CHUNK])
        for resource in records(chunk, metadata=True):
            repository.add_record(listed, resource)
    for header in listed.iter(f"{{{NS_OAI}}}header"):
        day(header.find(f"{{{NS_OAI}}}datestamp"))
        for spec in header.findall(f"{{{NS_OAI}}}setSpec"):
            header.remove(spec)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
