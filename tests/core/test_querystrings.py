"""The links a page writes from its query string: each pair encoded once, the same bytes
as encoding the changed parameters afresh."""

from urllib.parse import urlencode

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from core.querystrings import QueryStrings, query_string

TEXT = st.lists(st.sampled_from(["a", "B", "é", " ", "&", "=", "+", "%", "ñ", "页", ""])).map(
    "".join
)
KEYS = st.sampled_from(["q", "country", "theme", "page", "sort", "tag", "year_from", "x y"])


def reference(params, *, set=None, add=None, remove=None, drop=("page",)):
    """The links as written before QueryStrings: the changed pairs, urlencoded."""
    data = {key: list(params.getlist(key)) for key in params}
    for key in drop:
        data.pop(key, None)
    for key, value in (set or {}).items():
        if value is None or value == "":
            data.pop(key, None)
        else:
            data[key] = [str(value)]
    if add:
        values = data.setdefault(add[0], [])
        if str(add[1]) not in values:
            values.append(str(add[1]))
    if remove:
        data[remove[0]] = [
            v for v in data.get(remove[0], []) if v.lower() != str(remove[1]).lower()
        ]
    pairs = [(key, value) for key, values in data.items() for value in values if value != ""]
    return "?" + urlencode(pairs) if pairs else "?"


@given(
    pairs=st.lists(st.tuples(KEYS, TEXT), max_size=8),
    changes=st.lists(
        st.one_of(
            st.fixed_dictionaries({"set": st.dictionaries(KEYS, st.one_of(st.none(), TEXT))}),
            st.fixed_dictionaries({"add": st.tuples(KEYS, TEXT)}),
            st.fixed_dictionaries({"remove": st.tuples(KEYS, TEXT)}),
        ),
        max_size=6,
    ),
)
def test_every_link_is_the_changed_query_string_encoded_afresh(pairs, changes):
    params = QueryDict(mutable=True)
    for key, value in pairs:
        params.appendlist(key, value)
    links = QueryStrings(params)
    for change in changes:
        # One maker serves every link of a page: earlier links must not leak into later.
        assert links(**change) == reference(params, **change)
    assert links() == reference(params)


def test_a_facet_link_adds_a_value_and_starts_again_at_page_one():
    params = QueryDict("q=gold+mining&country=gh&page=3")
    assert query_string(params, add=("country", "tz")) == "?q=gold+mining&country=gh&country=tz"
    assert query_string(params, remove=("country", "GH")) == "?q=gold+mining"
    assert query_string(params, set={"page": 4}, drop=()) == "?q=gold+mining&country=gh&page=4"
