"""The columns of a snapshot: for an array facet, the documents of every value (postings);
for a single-valued facet, one small integer per document (codes); and the decoding of
the packed ids PostgreSQL sends them in."""

from dataclasses import dataclass, field

import numpy as np


def int8s(data):
    """A bytea of big-endian int8s (string_agg of int8send) as an int64 array."""
    if data is None:
        return np.zeros(0, dtype=np.int64)
    return np.frombuffer(bytes(data), dtype=">i8").astype(np.int64)


def int16s(data):
    if data is None:
        return np.zeros(0, dtype=np.int16)
    return np.frombuffer(bytes(data), dtype=">i2").astype(np.int16)


@dataclass
class Postings:
    """The documents of every value of one array facet: docs[offsets[i]:offsets[i+1]]
    are the positions of the documents that carry values[i]."""

    values: list
    offsets: np.ndarray
    docs: np.ndarray
    index: dict = field(init=False)

    def __post_init__(self):
        self.index = {value: i for i, value in enumerate(self.values)}

    def mask(self, wanted, size):
        mask = np.zeros(size, dtype=bool)
        for value in wanted:
            i = self.index.get(value)
            if i is not None:
                mask[self.docs[self.offsets[i] : self.offsets[i + 1]]] = True
        return mask

    def counts(self, mask):
        """The number of documents under mask carrying each value, for all values: one
        gather and one segmented sum (every value has at least one document)."""
        if not len(self.docs):
            return np.zeros(len(self.values), dtype=np.int64)
        return np.add.reduceat(mask[self.docs], self.offsets[:-1], dtype=np.int64)


@dataclass
class Codes:
    """One small integer per document for a single-valued facet."""

    values: list
    codes: np.ndarray
    index: dict = field(init=False)

    def __post_init__(self):
        self.index = {value: i for i, value in enumerate(self.values)}

    def mask(self, wanted, size):
        chosen = [self.index[v] for v in wanted if v in self.index]
        return np.isin(self.codes, np.array(chosen, dtype=self.codes.dtype))

    def counts(self, mask):
        return np.bincount(self.codes[mask], minlength=len(self.values))
