"""Ingested papers: the hand-off between ``wmbench ingest`` and ``wmbench build``.

``OUT/papers/<paper_id>.json`` holds one :class:`Paper` as written by :meth:`Paper.to_dict`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

SourceKind = Literal["latex", "pdf"]
# Where an equation stands in the paper's structure: the body, a proof, or an appendix.
Region = Literal["body", "proof", "appendix"]
PAPER_SCHEMA_VERSION = 1


@dataclass
class Equation:
    """One display equation (one row of an aligned block) with what the paper says around it.

    ``definitions`` maps a symbol's LaTeX (as written in the equation) to its description,
    parsed from "where x is ..., y denotes ..." clauses. ``confidence`` is 1.0 for equations
    taken from LaTeX source and the reconstruction score in [0, 1] for equations rebuilt from a PDF.
    """

    latex: str
    number: str | None = None
    label: str | None = None
    page: int | None = None
    section: str | None = None
    context_before: str = ""
    context_after: str = ""
    definitions: dict[str, str] = field(default_factory=dict)
    source: SourceKind = "latex"
    confidence: float = 1.0
    text: str = ""  # the raw text of a PDF equation as read from the page (empty for LaTeX)
    aligned: bool = False  # a row of an aligned block (its '&' markers removed)
    skip: str | None = None  # why ingestion found it unusable (e.g. template text); build skips it
    region: Region = "body"  # inside a proof environment or after \\appendix (LaTeX structure)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Equation":
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Paper:
    """A paper after ingestion: metadata plus its display equations in reading order."""

    paper_id: str
    title: str = ""
    abstract: str = ""
    license: str | None = None
    arxiv_id: str | None = None
    sources: list[str] = field(default_factory=list)  # input files used, relative to the papers dir
    source_hash: str = ""  # content hash of the inputs (sha256 hex), the build cache key
    equations: list[Equation] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    # symbol LaTeX -> description, from the whole text (prose, "where" clauses); absent in old JSON
    glossary: dict[str, str] = field(default_factory=dict)
    schema_version: int = PAPER_SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Paper":
        known = cls.__dataclass_fields__
        values = {k: v for k, v in data.items() if k in known and k != "equations"}
        values["equations"] = [Equation.from_dict(e) for e in data.get("equations", [])]
        return cls(**values)

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, two-space indent) so equal papers give equal bytes."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def load(cls, path: str | Path) -> "Paper":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
