"""The columns of a snapshot: for an array facet, the documents of every value (postings);
for a single-valued facet, one small integer per document (codes); and the decoding of
the packed ids PostgreSQL sends them in.

A facet of few values (themes, commodities, countries, types, languages) also keeps a
bitmap per value, a bit a document: its counts under a mask are then an AND and a
popcount per value, where gathering each posting under the mask took 2–5 ms a facet at a
million documents (docs/performance.md). A facet of many values (tags) also keeps its
postings by document, to count a mask of few documents (or of all but a few) from their
values rather than from every posting."""

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


# Up to this many values a facet keeps a bitmap per value: at most 8 bytes a document.
BITMAP_VALUES = 64
# A facet of more values (tags) counts a mask holding under one document in SPARSE (or
# all but one in SPARSE) from each chosen document's values: reading a document's values
# costs about four times a posting gathered.
SPARSE = 8


def packed(mask):
    """A boolean mask as 64-bit words, a bit a document (the last word padded with 0)."""
    bits = np.packbits(mask, bitorder="little")
    words = np.zeros(-(-len(mask) // 64) * 8, dtype=np.uint8)
    words[: len(bits)] = bits
    return words.view(np.uint64)


def _bitmaps(masks, size):
    """One packed bitmap a value (a row each), from a mask a value."""
    rows = [packed(mask) for mask in masks]
    return np.stack(rows) if rows else np.zeros((0, -(-size // 64)), dtype=np.uint64)


def _bitmap_counts(bitmaps, mask):
    """The documents under mask set in each bitmap."""
    return np.bitwise_count(bitmaps & packed(mask)).sum(axis=1, dtype=np.int64)


@dataclass
class Postings:
    """The documents of every value of one array facet: docs[offsets[i]:offsets[i+1]]
    are the positions of the documents that carry values[i]."""

    values: list
    offsets: np.ndarray
    docs: np.ndarray
    size: int
    index: dict = field(init=False)
    bitmaps: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        self.index = {value: i for i, value in enumerate(self.values)}
        self.bitmaps = self.by_document = self.totals = None
        if len(self.values) <= BITMAP_VALUES:
            self.bitmaps = _bitmaps(
                (self.mask([value], self.size) for value in self.values), self.size
            )
        else:
            # The same postings by document: document d's values are
            # values_by_document[starts[d]:starts[d + 1]].
            lengths = np.diff(self.offsets)
            # 2 bytes a posting and 4 a document for a facet's usual size (10 MB for a
            # million documents' 3.2 million tags).
            small = np.int16 if len(self.values) < 2**15 else np.int32
            value_of = np.repeat(np.arange(len(self.values), dtype=small), lengths)
            starts = np.zeros(self.size + 1, dtype=np.int32 if len(self.docs) < 2**31 else np.int64)
            np.cumsum(np.bincount(self.docs, minlength=self.size), out=starts[1:])
            self.by_document = (value_of[np.argsort(self.docs, kind="stable")], starts)
            self.totals = lengths.astype(np.int64)

    def mask(self, wanted, size):
        mask = np.zeros(size, dtype=bool)
        for value in wanted:
            i = self.index.get(value)
            if i is not None:
                mask[self.docs[self.offsets[i] : self.offsets[i + 1]]] = True
        return mask

    def counts(self, mask):
        """The number of documents under mask carrying each value, for all values: from
        the bitmaps, else one gather and one segmented sum (every value has at least one
        document)."""
        if self.bitmaps is not None:
            return _bitmap_counts(self.bitmaps, mask)
        if not len(self.docs):
            return np.zeros(len(self.values), dtype=np.int64)
        chosen = np.count_nonzero(mask)
        if chosen * SPARSE < self.size:
            return self._counted_by_document(np.flatnonzero(mask))
        if (self.size - chosen) * SPARSE < self.size:
            return self.totals - self._counted_by_document(np.flatnonzero(~mask))
        return np.add.reduceat(mask[self.docs], self.offsets[:-1], dtype=np.int64)

    def _counted_by_document(self, positions):
        """The values of the documents at positions, counted."""
        values, starts = self.by_document
        first = starts[positions]
        lengths = starts[positions + 1] - first
        # Each document's run of values, one run after another.
        runs = np.repeat(first - np.cumsum(lengths) + lengths, lengths)
        at = runs + np.arange(len(runs))
        return np.bincount(values[at], minlength=len(self.values)).astype(np.int64)


@dataclass
class Codes:
    """One small integer per document for a single-valued facet."""

    values: list
    codes: np.ndarray
    index: dict = field(init=False)
    bitmaps: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        self.index = {value: i for i, value in enumerate(self.values)}
        self.bitmaps = None
        if len(self.values) <= BITMAP_VALUES:
            size = len(self.codes)
            self.bitmaps = _bitmaps((self.codes == i for i in range(len(self.values))), size)

    def mask(self, wanted, size):
        chosen = [self.index[v] for v in wanted if v in self.index]
        return np.isin(self.codes, np.array(chosen, dtype=self.codes.dtype))

    def counts(self, mask):
        if self.bitmaps is not None:
            return _bitmap_counts(self.bitmaps, mask)
        return np.bincount(self.codes[mask], minlength=len(self.values))
