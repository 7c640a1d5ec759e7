"""Build the query strings of filter links: every page state is a plain GET URL."""

import functools
from urllib.parse import quote_plus


@functools.lru_cache(maxsize=8192)
def encoded_pair(key, value):
    """key=value as a query string writes it. Kept per process, the least recently used
    going first: the facets' values recur on every page (a library page encoded about
    120 pairs, twice quote_plus each)."""
    return f"{quote_plus(key)}={quote_plus(value)}"


class QueryStrings:
    """The links of one page: its query string, changed one way or another.

    A library page writes a hundred links from the same parameters (one a facet value);
    each pair is encoded once per process (encoded_pair) rather than once a link. Every
    link is what urllib.parse.urlencode would write for the changed pairs."""

    def __init__(self, params, drop=("page",)):
        self.values = {key: list(params.getlist(key)) for key in params if key not in drop}

    def __call__(self, *, set=None, add=None, remove=None):
        """Return "?…" changed as asked. set: {key: value} replaces a key (None deletes
        it); add: (key, value) appends a value; remove: (key, value) takes one value away
        (whatever its case)."""
        data = self.values
        if set or add or remove:
            data = dict(data)
        for key, value in (set or {}).items():
            if value is None or value == "":
                data.pop(key, None)
            else:
                data[key] = [str(value)]
        if add:
            key, value = add
            values = data.get(key, [])
            if str(value) not in values:
                data[key] = [*values, str(value)]
        if remove:
            key, value = remove
            data[key] = [v for v in data.get(key, []) if v.lower() != str(value).lower()]
        pairs = [
            encoded_pair(key, value)
            for key, values in data.items()
            for value in values
            if value != ""
        ]
        return "?" + "&".join(pairs) if pairs else "?"


def query_string(params, *, set=None, add=None, remove=None, drop=("page",)):
    """Return "?…" for params (a QueryDict) changed as asked (QueryStrings). Keys in drop
    go (the page, by default, since a new filter starts again at page one)."""
    return QueryStrings(params, drop)(set=set, add=add, remove=remove)
