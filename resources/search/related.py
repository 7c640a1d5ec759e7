"""Related resources of a detail page: the facet index's passes where it is on, else the
SQL's, and the resources read for them."""

from .facetindex import related as facetindex_related
from .related_sql import RELATED_PASSES, related_pass_ids


def related_ids(pk, limit=5, version=None):
    """related()'s ids: from the in-memory facet index where it is on, else in SQL."""
    passes = facetindex_related.related_passes(pk, limit, version)
    if passes is None:
        passes = [
            lambda shared=shared: related_pass_ids(pk, shared, limit)
            for shared, _facets in RELATED_PASSES
        ]
    ids = []
    for found in passes:
        ids += [each for each in found() if each not in ids]
        if len(ids) >= limit:
            break
    return ids[:limit]


def related(resource, limit=5, version=None):
    """Other published resources sharing the most tags, countries and themes with
    resource, newest first among equals. Scored among the RELATED_WINDOW newest that share
    a tag, or failing that a country or theme, so the cost stays bounded at any size."""
    from ..models import Resource

    ids = related_ids(resource.pk, limit, version)
    found = Resource.objects.published().only("slug", "title", "year", "resource_type").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
