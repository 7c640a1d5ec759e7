"""The backend of a database with no index table (SQLite, the embedded database of small
libraries): filters.py filters, counts and orders querysets itself, so this backend has
only related resources to give; snippets and suggestions are the base class's none."""

from .base import SearchBackend


class OrmBackend(SearchBackend):
    def related(self, resource, limit=5, version=None):
        from ...models import Resource

        return Resource.objects.related_to(resource, limit)
