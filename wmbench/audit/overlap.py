"""Reverse-probe n-gram overlap: index the problems (the small side), stream the corpus past it.

:class:`ProbeIndex` holds the n-gram hashes of every problem's surface text as a sorted
``uint64`` array (plus a byte map for a fast first test); :class:`OverlapScanner` takes corpus
pieces, hashes their n-grams in batches of a few MB with NumPy, confirms each hash match
against the words themselves and counts, per problem, the matching n-gram occurrences
(``hits_total``) and the distinct documents holding one (``docs_total``). Memory is the index
plus one batch, whatever the corpus size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from wmbench.audit.corpus import Piece
from wmbench.audit.normalize import Words, ngram_hashes, words
from wmbench.schema import Problem

BATCH_BYTES = 1 << 21
MAX_MATCHED_DOCS = 10
MAX_MATCHED_NGRAMS = 20


def surface_text(problem: Problem) -> str:
    """The problem-specific text of its prompt: background, question, equation, options.

    The fixed answer-format instructions shared by every prompt are left out, so they cannot
    match a corpus that quotes other problems.
    """
    parts = [problem.background, problem.question_text, problem.equation]
    parts += list((problem.options or {}).values())
    return "\n".join(parts)


@dataclass
class ProblemOverlap:
    """Audit counts of one problem."""

    problem_id: str
    n_grams: int
    hits_total: int = 0
    docs_total: int = 0
    matched_docs: list[str] = field(default_factory=list)
    matched_ngrams: list[str] = field(default_factory=list)
    _last_doc: int = -1

    def add_hit(self, doc_number: int, doc: str, ngram: bytes) -> None:
        self.hits_total += 1
        if doc_number != self._last_doc:
            self._last_doc = doc_number
            self.docs_total += 1
            if len(self.matched_docs) < MAX_MATCHED_DOCS:
                self.matched_docs.append(doc)
        text = ngram.decode("utf-8", "replace")
        if len(self.matched_ngrams) < MAX_MATCHED_NGRAMS and text not in self.matched_ngrams:
            self.matched_ngrams.append(text)


class ProbeIndex:
    """Unique n-gram hashes of each problem, sorted by hash, with the words to confirm a match."""

    def __init__(self, problems: Sequence[Problem], n: int) -> None:
        self.n = n
        self.problems = [ProblemOverlap(p.problem_id, 0) for p in problems]
        texts = [surface_text(p).encode("utf-8") for p in problems]
        self._words = words(b"\n".join(texts))  # all problems at once; n-grams may not cross them
        offsets = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
        owner_of_word = np.searchsorted(offsets, self._words.starts, side="right") - 1
        grams = ngram_hashes(self._words.hashes, n)
        inside = np.flatnonzero(owner_of_word[: len(grams)] == owner_of_word[n - 1:])
        owners, hashes = owner_of_word[inside], grams[inside]
        order = np.lexsort((inside, hashes, owners))  # by problem, then hash, first position first
        owners, hashes, inside = owners[order], hashes[order], inside[order]
        first = np.ones(len(order), dtype=np.bool_)
        first[1:] = (owners[1:] != owners[:-1]) | (hashes[1:] != hashes[:-1])  # one entry per (problem, n-gram)
        owners, hashes, inside = owners[first], hashes[first], inside[first]
        for index, count in enumerate(np.bincount(owners, minlength=len(problems)).tolist()):
            self.problems[index].n_grams = count
        by_hash = np.argsort(hashes, kind="stable")
        self.hashes, self.owners, self.positions = hashes[by_hash], owners[by_hash], inside[by_hash]
        bits = max(16, (16 * max(1, len(self.hashes))).bit_length())
        self._mask = np.uint64((1 << bits) - 1)
        self._bytemap = np.zeros(1 << bits, dtype=np.bool_)
        self._bytemap[self.hashes & self._mask] = True

    def candidates(self, grams: np.ndarray) -> np.ndarray:
        """Indices of ``grams`` whose hash is one of the problems' n-gram hashes."""
        maybe = np.flatnonzero(self._bytemap[grams & self._mask])
        if len(maybe) == 0:
            return maybe
        pos = np.searchsorted(self.hashes, grams[maybe])
        pos[pos == len(self.hashes)] = 0
        return maybe[self.hashes[pos] == grams[maybe]]

    def owners_of(self, gram_hash: np.uint64, text: bytes) -> list[int]:
        """Problems whose n-gram with this hash has exactly these words."""
        lo = np.searchsorted(self.hashes, gram_hash, side="left")
        hi = np.searchsorted(self.hashes, gram_hash, side="right")
        return [int(self.owners[i]) for i in range(lo, hi) if self._words.text(int(self.positions[i]), self.n) == text]


class OverlapScanner:
    """Feeds corpus pieces through a :class:`ProbeIndex` in batches and counts the matches."""

    def __init__(self, index: ProbeIndex, batch_bytes: int = BATCH_BYTES) -> None:
        self.index = index
        self.batch_bytes = batch_bytes
        self.bytes_scanned = 0
        self.documents = 0
        self._batch: list[tuple[int, str, bytes]] = []
        self._batch_size = 0
        self._carry: tuple[int, bytes] | None = None  # last words of the previous batch's last document

    def feed(self, pieces: Iterable[Piece]) -> None:
        """Scan every piece (call :meth:`finish` after the last one)."""
        for piece in pieces:
            if piece.first:
                self.documents += 1
            self.bytes_scanned += len(piece.data)
            self._batch.append((self.documents, piece.doc, piece.data))
            self._batch_size += len(piece.data)
            if self._batch_size >= self.batch_bytes:
                self._scan_batch()

    def finish(self) -> list[ProblemOverlap]:
        """Scan what is left; the per-problem results in problem order."""
        if self._batch:
            self._scan_batch()
        return self.index.problems

    def _scan_batch(self) -> None:
        batch, self._batch, self._batch_size = self._batch, [], 0
        if self._carry and self._carry[0] == batch[0][0]:  # a long document continues: keep its last words
            batch[0] = (batch[0][0], batch[0][1], self._carry[1] + b" " + batch[0][2])
        buffer = b"\n".join(data for _, _, data in batch)
        offsets = np.cumsum([0] + [len(data) + 1 for _, _, data in batch[:-1]])
        tokens = words(buffer)
        doc_of_word = np.searchsorted(offsets, tokens.starts, side="right") - 1
        numbers = np.array([number for number, _, _ in batch])[doc_of_word]
        self._count(batch, tokens, numbers)
        self._carry = self._tail(batch[-1], tokens, numbers, buffer)

    def _count(self, batch: list[tuple[int, str, bytes]], tokens: Words, numbers: np.ndarray) -> None:
        n = self.index.n
        grams = ngram_hashes(tokens.hashes, n)
        if len(grams) == 0:
            return
        same_doc = numbers[: len(grams)] == numbers[n - 1:]
        names = {number: doc for number, doc, _ in batch}
        for i in self.index.candidates(grams):
            if not same_doc[i]:
                continue
            text = tokens.text(int(i), n)
            for owner in self.index.owners_of(grams[i], text):
                number = int(numbers[i])
                self.index.problems[owner].add_hit(number, names[number], text)

    def _tail(self, last: tuple[int, str, bytes], tokens: Words, numbers: np.ndarray, buffer: bytes) -> tuple[int, bytes] | None:
        keep = self.index.n - 1
        mine = np.flatnonzero(numbers == last[0])
        if keep == 0 or len(mine) == 0:
            return None
        start = int(tokens.starts[mine[max(0, len(mine) - keep)]])
        return last[0], buffer[start:]
