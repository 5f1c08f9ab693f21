"""Per-paper results cached under ``OUT/.cache/papers/`` so a killed build resumes.

The key is the paper's input content hash, the seed and the generator version: change any and
the paper is generated again. Each entry is one JSON file written atomically when the paper is
done, so a build killed at any moment leaves only whole entries behind.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from wmbench.schema import safe_id
from wmbench.storage import atomic_write_text

CACHE_DIR = ".cache"
PAPERS_DIR = "papers"


def cache_key(content_hash: str, seed: int, generator_version: str) -> str:
    return hashlib.sha256(f"{content_hash}\x1f{seed}\x1f{generator_version}".encode()).hexdigest()


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
