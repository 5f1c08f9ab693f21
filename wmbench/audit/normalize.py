"""Normalised word tokens and their n-gram hashes, computed with NumPy over whole buffers.

Normalisation, applied identically to problems and corpus text (UTF-8 bytes):

* ASCII letters are lowercased; ASCII letters, digits and every non-ASCII byte form words;
  all other ASCII (punctuation, ``$``, braces, ``_``, ``^``, whitespace) separates words;
* a word right after a backslash that starts with a letter is a LaTeX command and dropped
  (``\\mathbf{h}_k`` gives ``h k``).

Each word gets a 64-bit hash (from its first and last eight bytes and its length, read for all
words at once), each run of ``n`` consecutive words a 64-bit n-gram hash. A hash match is only
a candidate: :mod:`wmbench.audit.overlap` confirms it against the words themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_U64 = np.uint64
_BACKSLASH = ord("\\")
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=_U64)  # low k bytes
_NGRAM_BASE = _U64(0x9E3779B97F4A7C15)
_LENGTH_SALT = _U64(0xC2B2AE3D27D4EB4F)


def _byte_table() -> np.ndarray:
    """Byte -> normalised byte (0 for separators)."""
    table = np.zeros(256, dtype=np.uint8)
    for c in range(256):
        ch = chr(c)
        if c >= 128 or (ch.isascii() and ch.isalnum()):
            table[c] = ord(ch.lower()) if c < 128 else c
    return table


_TABLE = _byte_table()
_IS_LETTER = np.array([chr(c).isascii() and chr(c).isalpha() for c in range(256)])


@dataclass(frozen=True)
class Words:
    """The words of a buffer: byte offsets ``[start, end)`` and 64-bit hashes."""

    starts: np.ndarray
    ends: np.ndarray
    hashes: np.ndarray
    normalized: np.ndarray  # the buffer after the byte table (lowercase; 0 = separator)

    def __len__(self) -> int:
        return len(self.starts)

    def text(self, first: int, count: int) -> bytes:
        """Words ``first .. first+count-1`` joined by single spaces (the normalised n-gram)."""
        return b" ".join(self.normalized[s:e].tobytes() for s, e in zip(self.starts[first:first + count], self.ends[first:first + count]))


def words(buffer: bytes) -> Words:
    """Normalise and split ``buffer`` into words with their hashes."""
    raw = np.frombuffer(buffer, dtype=np.uint8)
    size = len(raw)
    norm = np.zeros(size + 8, dtype=np.uint8)  # 8 bytes of padding for the 8-byte word reads
    np.take(_TABLE, raw, out=norm[:size])
    in_word = np.zeros(size + 2, dtype=np.bool_)
    np.not_equal(norm[:size], 0, out=in_word[1:-1])
    edges = np.flatnonzero(in_word[1:] ^ in_word[:-1])  # word starts and ends, alternating
    starts, ends = edges[0::2], edges[1::2]
    if b"\\" in buffer:
        keep = ~_is_command(raw, norm, starts)
        starts, ends = starts[keep], ends[keep]
    return Words(starts, ends, _word_hashes(norm, size, starts, ends), norm)


def _is_command(raw: np.ndarray, norm: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Which words start with a letter right after a backslash."""
    after = np.flatnonzero(raw == _BACKSLASH) + 1
    after = after[after < len(raw)]
    after = after[_IS_LETTER[norm[after]]]
    found = np.zeros(len(starts), dtype=np.bool_)
    pos = np.searchsorted(starts, after)
    inside = pos < len(starts)
    pos, after = pos[inside], after[inside]
    found[pos[starts[pos] == after]] = True
    return found


def _word_hashes(norm: np.ndarray, size: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Hash of each word from its first and last 8 bytes and its length.

    Long words that differ only in their middle bytes can share a hash; that only costs a
    failed confirmation, since every match is checked against the words themselves.
    """
    if len(starts) == 0:
        return np.empty(0, dtype=_U64)
    at = np.ndarray(shape=(size + 1,), dtype="<u8", buffer=norm, offset=0, strides=(1,))  # 8 bytes from each offset
    lengths = ends - starts
    masks = _MASKS[np.minimum(lengths, 8)]
    first = at[starts] & masks
    last = at[np.maximum(ends - 8, starts)] & masks
    with np.errstate(over="ignore"):
        return mix64(first ^ mix64(last ^ (lengths.astype(_U64) * _LENGTH_SALT)))


def ngram_hashes(word_hashes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every window of ``n`` consecutive words (empty when fewer than ``n``)."""
    count = len(word_hashes) - n + 1
    if count <= 0:
        return np.empty(0, dtype=_U64)
    out = word_hashes[:count].copy()
    with np.errstate(over="ignore"):
        for j in range(1, n):
            np.multiply(out, _NGRAM_BASE, out=out)
            np.add(out, word_hashes[j:j + count], out=out)
    return mix64(out)


def mix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, vectorised: spreads every input bit over all output bits."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> _U64(30))
        x = x * _U64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> _U64(27))
        x = x * _U64(0x94D049BB133111EB)
        return x ^ (x >> _U64(31))
