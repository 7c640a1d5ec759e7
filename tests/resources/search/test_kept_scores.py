"""The relevance scores a snapshot keeps per search (facetindex/text.scores): each
candidate's score as the index table gives it, read once, whatever order and overlap the
states ask them in; kept as ids in order, each once."""

import random
import threading
from collections import OrderedDict
from types import SimpleNamespace

import numpy as np

from resources.search.facetindex import text


def test_scores_are_read_once_and_kept_in_order(monkeypatch):
    rng = random.Random(5)
    truth = {pk: rng.random() for pk in range(1, 5000)}
    absent = {17, 4242}  # no row in the index table: scored 0, never kept
    asked = []

    def read_scores(q, ids):
        asked.extend(ids)
        return {pk: truth[pk] for pk in ids if pk not in absent}

    monkeypatch.setattr(text, "read_scores", read_scores)
    snapshot = SimpleNamespace(rank_scores=OrderedDict(), lock=threading.Lock())
    for _ in range(40):
        candidates = np.array(rng.sample(sorted(truth), rng.randint(1, 400)), dtype=np.int64)
        found = text.scores(snapshot, "gold", candidates)
        expected = [0.0 if pk in absent else truth[pk] for pk in candidates.tolist()]
        assert found.tolist() == expected
    ids, scores = snapshot.rank_scores["gold"]
    assert ids.tolist() == sorted(set(asked) - absent)
    assert scores.tolist() == [truth[pk] for pk in ids.tolist()]
    read_once = [pk for pk in asked if pk not in absent]
    assert len(read_once) == len(set(read_once))
