"""Build the query strings of filter links: every page state is a plain GET URL."""

from urllib.parse import urlencode


def query_string(params, *, set=None, add=None, remove=None, drop=("page",)):
    """Return "?…" for params (a QueryDict) changed as asked.

    set: {key: value} replaces a key (None deletes it); add: (key, value) appends a value;
    remove: (key, value) takes one value away. Keys in drop go (the page, by default,
    since a new filter starts again at page one).
    """
    data = {key: list(params.getlist(key)) for key in params}
    for key in drop:
        data.pop(key, None)
    for key, value in (set or {}).items():
        if value is None or value == "":
            data.pop(key, None)
        else:
            data[key] = [str(value)]
    if add:
        key, value = add
        values = data.setdefault(key, [])
        if str(value) not in values:
            values.append(str(value))
    if remove:
        key, value = remove
        data[key] = [v for v in data.get(key, []) if v.lower() != str(value).lower()]
    pairs = [(key, value) for key, values in data.items() for value in values if value != ""]
    return "?" + urlencode(pairs) if pairs else "?"
