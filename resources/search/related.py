"""Related resources of a detail page: the first ids of the backend's passes (the SQL's,
related_sql.py, or the facet index's), and the resources read for them."""

from .related_sql import RELATED_PASSES, related_pass_ids


def sql_passes(pk, limit):
    """The related passes in SQL: each a function returning ids."""
    return [
        lambda shared=shared: related_pass_ids(pk, shared, limit)
        for shared, _facets in RELATED_PASSES
    ]


def first_ids(passes, limit):
    """The first limit ids the passes give, each once, a pass read only while needed."""
    ids = []
    for found in passes:
        ids += [each for each in found() if each not in ids]
        if len(ids) >= limit:
            break
    return ids[:limit]


def resources(ids):
    """The published resources of ids, in that order, with what a related list shows (their
    titles' translations too)."""
    from ..models import Resource

    found = (
        Resource.objects.published()
        .only("slug", "title", "language", "year", "resource_type")
        .with_translations()
        .in_bulk(ids)
    )
    return [found[pk] for pk in ids if pk in found]
