"""A PostgreSQL tsquery's text, read into a tree and written back with what the rest of
the query makes redundant left out.

A search's thesaurus groups say a concept both as single words and as phrases that hold
one of them: "gold" is (… | 'gold' | 'garimpo' <2> 'ouro' | 'ouro' | …) and "women"
(… | 'muj' <-> 'min' | 'muj' | 'wom' <-> 'in' <-> 'mining' | 'wom' | …). A phrase that
holds a word its group also lists alone finds nothing the word does not (absorption:
a | (a <-> b) is a), but the text index reads every word's postings, and 'min', 'in' and
'de' are in most documents: at a million resources "gold women" took 680 ms of the
index, 560 without them (docs/performance.md). Matching only: ts_rank scores by the
words, which absorbed() leaves out.
"""

import re

_TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*'(?::[*A-Da-d]+)?)|(<->|<\d+>)|([&|!()]))")


def _tokens(text):
    at, tokens = 0, []
    text = text.rstrip()
    while at < len(text):
        found = _TOKEN.match(text, at)
        if not found:
            raise ValueError(f"not a tsquery's text at {at}: {text[at : at + 20]!r}")
        leaf, phrase, operator = found.groups()
        tokens.append(("leaf", leaf) if leaf else ("phrase", phrase) if phrase else (operator,))
        at = found.end()
    return tokens


def parse(text):
    """The tree of a tsquery's text as PostgreSQL writes it: ("leaf", text),
    ("not", node), ("and", (nodes)), ("or", (nodes)), ("phrase", operator, left, right).
    Precedence as PostgreSQL's: ! binds tightest, then <->, &, |. None for an empty query."""
    tokens = _tokens(text)
    if not tokens:
        return None
    at = 0

    def peek():
        return tokens[at] if at < len(tokens) else (None,)

    def take(kind):
        nonlocal at
        if peek()[0] != kind:
            raise ValueError(f"a tsquery's text: {kind!r} expected at token {at}")
        at += 1
        return tokens[at - 1]

    def unary():
        kind = peek()[0]
        if kind == "!":
            take("!")
            return ("not", unary())
        if kind == "(":
            take("(")
            node = either()
            take(")")
            return node
        return ("leaf", take("leaf")[1])

    def phrase():
        node = unary()
        while peek()[0] == "phrase":
            operator = take("phrase")[1]
            node = ("phrase", operator, node, unary())
        return node

    def joined(kind, operand):
        nodes = [operand()]
        while peek()[0] == kind:
            take(kind)
            nodes.append(operand())
        if len(nodes) == 1:
            return nodes[0]
        return ("and" if kind == "&" else "or", tuple(nodes))

    def both():
        return joined("&", phrase)

    def either():
        return joined("|", both)

    tree = either()
    if at != len(tokens):
        raise ValueError(f"a tsquery's text: unexpected token {at}")
    return tree


def written(node):
    """A tree's text, each operator's operands in parentheses but leaves and negations."""
    if node is None:
        return ""
    kind = node[0]
    if kind == "leaf":
        return node[1]

    def operand(child):
        # ! binds tightest: a leaf or a negation needs no parentheses.
        return written(child) if child[0] in ("leaf", "not") else f"( {written(child)} )"

    if kind == "not":
        return f"!{operand(node[1])}"
    if kind == "phrase":
        return f"{operand(node[2])} {node[1]} {operand(node[3])}"
    return f" {'&' if kind == 'and' else '|'} ".join(operand(child) for child in node[1])


def _required(node):
    """The leaves every document node finds must hold (as written: same prefix and
    weights), where that is plain: a leaf, every operand of an AND or a phrase."""
    kind = node[0]
    if kind == "leaf":
        return {node[1]}
    if kind == "and":
        return set().union(*(_required(child) for child in node[1]))
    if kind == "phrase":
        return _required(node[2]) | _required(node[3])
    return set()


def _absorbing(node, in_phrase=False):
    kind = node[0]
    if kind == "leaf":
        return node
    if kind == "not":
        return ("not", _absorbing(node[1], in_phrase))
    if kind == "phrase":
        # Inside a phrase an OR's operands also say where they match, not only whether:
        # nothing there is left out.
        return ("phrase", node[1], _absorbing(node[2], True), _absorbing(node[3], True))
    children = [_absorbing(child, in_phrase) for child in node[1]]
    if kind == "or" and not in_phrase:
        alone = {child[1] for child in children if child[0] == "leaf"}
        children = [
            child for child in children if child[0] == "leaf" or not _required(child) & alone
        ]
    unique = tuple(dict.fromkeys(children))
    return unique[0] if len(unique) == 1 else (kind, unique)


def absorbed(text):
    """A tsquery's text finding the same documents, without the OR's operands that hold a
    word the same OR also lists alone (outside phrases, where position matters)."""
    tree = parse(text)
    return written(_absorbing(tree)) if tree is not None else ""
