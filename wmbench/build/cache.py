"""Per-paper results cached under ``OUT/.cache/papers/`` so a killed build resumes.

The key is the paper's input content hash, the seed, the generator version and a fingerprint of
the code: change any and the paper is generated again. Each entry is one JSON file written atomically when the paper is
done, so a build killed at any moment leaves only whole entries behind.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

from wmbench.schema import safe_id
from wmbench.storage import atomic_write_text

CACHE_DIR = ".cache"
PAPERS_DIR = "papers"


def cache_key(content_hash: str, seed: int, generator_version: str) -> str:
    """The key of one paper's result: its inputs, the seed, the generator and the code that made it.

    The code fingerprint makes a resumed build redo papers after wmbench itself changed, even
    when nobody remembered to bump ``generator_version``.
    """
    parts = (content_hash, str(seed), generator_version, code_fingerprint())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over the source and data a paper's result depends on: the stage packages, the
    top-level modules they import (paper, schema, prompt, topics...) and the data files."""
    root = Path(__file__).resolve().parents[1]
    paths = sorted(root.glob("*.py")) + sorted(p for package in _RESULT_PACKAGES for p in (root / package).rglob("*"))
    digest = hashlib.sha256()
    for path in paths:
        if path.suffix in _RESULT_SUFFIXES and path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# review: its lints are build gates; data: the renderable commands the macro lint reads.
_RESULT_PACKAGES = ("ingest", "generate", "build", "review", "verify", "templates", "data")
_RESULT_SUFFIXES = (".py", ".jinja", ".txt")


class PaperCache:
    """Finished papers' results (JSON-able dicts) by paper id and cache key."""

    def __init__(self, out: Path) -> None:
        self.root = Path(out) / CACHE_DIR / PAPERS_DIR

    def path(self, paper_id: str, key: str) -> Path:
        return self.root / f"{safe_id(paper_id)}-{key[:20]}.json"

    def load(self, paper_id: str, key: str) -> dict[str, Any] | None:
        """The cached result, or None when absent or unreadable (then the paper is redone)."""
        path = self.path(paper_id, key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("key") == key else None

    def store(self, paper_id: str, key: str, result: dict[str, Any]) -> None:
        # Key order is kept (not sorted): a problem read back from here must give the same bytes.
        text = json.dumps({**result, "key": key}, ensure_ascii=False)
        atomic_write_text(self.path(paper_id, key), text + "\n")

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
