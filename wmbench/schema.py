"""The problem record: the public WirelessMathBench-XL fields plus wmbench's provenance.

A record read from the public release loads unchanged; fields this module does not know are
kept in ``extra`` and written back, so reading and writing never loses data. Both schemas of
the public release are read: v1.1 (``problem_id``, ``split``, the licence fields) and v1.0,
the Hub's and the WirelessMathLM paper's, whose id is an integer ``question_id`` and which has
no ``split``: its ``question_id`` becomes the ``problem_id`` (as text) and stays in the record.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, get_args

from wmbench.errors import SchemaError

ProblemType = Literal["MCQ", "fill_blank_25", "fill_blank_50", "fill_blank_75", "fill_blank_100"]
PROBLEM_TYPES: tuple[str, ...] = get_args(ProblemType)
FILL_TYPES: tuple[str, ...] = PROBLEM_TYPES[1:]
OPTION_LETTERS: tuple[str, ...] = ("A", "B", "C", "D")

MASK = "[MASK]"

# The public release's own columns, in its order.
REFERENCE_FIELDS: tuple[str, ...] = (
    "problem_id", "paper_id", "type", "split", "background", "question_text",
    "equation", "options", "correct_answer", "prompt",
)
# Other columns of the full public release, kept as typed optional fields.
RELEASE_FIELDS: tuple[str, ...] = (
    "paper_title", "source_license", "source_license_class", "record_license",
)
# wmbench's provenance, all optional.
PROVENANCE_FIELDS: tuple[str, ...] = (
    "source_kind", "equation_number", "equation_label", "page", "license",
    "generator_version", "paper_split",
)
_STRING_FIELDS = ("problem_id", "paper_id", "background", "question_text", "equation", "correct_answer")
LEGACY_ID_FIELD = "question_id"  # the id of release schema v1.0


@dataclass(frozen=True)
class Problem:
    """One benchmark problem.

    ``correct_answer`` is the option letter for MCQ and ``\\boxed{..}`` parts in blank order
    for the fill-in types; ``equation`` carries one ``[MASK]`` per blank.
    """

    problem_id: str
    paper_id: str
    type: ProblemType
    background: str
    question_text: str
    equation: str
    correct_answer: str
    split: str | None = None
    options: dict[str, str] | None = None
    prompt: str = ""
    paper_title: str | None = None
    source_license: str | None = None
    source_license_class: str | None = None
    record_license: str | None = None
    source_kind: Literal["pdf", "latex"] | None = None
    equation_number: str | None = None
    equation_label: str | None = None
    page: int | None = None
    license: str | None = None
    generator_version: str | None = None
    paper_split: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def n_blanks(self) -> int:
        """How many answers the problem asks for (1 for MCQ and for an empty equation)."""
        return 1 if self.type == "MCQ" else max(1, self.equation.count(MASK))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "") -> "Problem":
        """Validate a mapping (a JSONL line, a Parquet row) and build the record.

        Raises :class:`SchemaError` naming the record id and the field at fault.
        """
        ident = data.get("problem_id", data.get(LEGACY_ID_FIELD, "?"))
        rid = f"{where + ' ' if where else ''}record {ident!r}"
        known = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        extra = dict(data.get("extra") or {})
        extra.update({k: v for k, v in data.items() if k not in known and k != "extra"})
        if values.get("problem_id") is None and data.get(LEGACY_ID_FIELD) is not None:  # schema v1.0
            values["problem_id"] = data[LEGACY_ID_FIELD]
        for name in ("problem_id", "paper_id"):
            if isinstance(values.get(name), int):  # ids stored as numbers by some tools
                values[name] = str(values[name])
        for name in _STRING_FIELDS:
            if not isinstance(values.get(name), str):
                raise SchemaError(rid, f"field {name!r} must be a string, got {type(values.get(name)).__name__}")
        if values["type"] not in PROBLEM_TYPES:
            raise SchemaError(rid, f"field 'type' is {values['type']!r}, expected one of {', '.join(PROBLEM_TYPES)}")
        values["options"] = _check_options(values.get("options"), values["type"], rid)
        if values["type"] == "MCQ" and values["correct_answer"].strip() not in OPTION_LETTERS:
            raise SchemaError(rid, f"field 'correct_answer' must be one of A-D for MCQ, got {values['correct_answer']!r}")
        if values["type"] != "MCQ" and "\\boxed" not in values["correct_answer"]:
            raise SchemaError(rid, "field 'correct_answer' must hold \\boxed{..} answers for fill-in types")
        if values.get("page") is not None:
            values["page"] = int(values["page"])
        if values.get("prompt") is None:
            values["prompt"] = ""
        return cls(**values, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        """The record as a flat mapping: reference fields first, then the set optional ones."""
        out: dict[str, Any] = {name: getattr(self, name) for name in REFERENCE_FIELDS}
        for name in RELEASE_FIELDS + PROVENANCE_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    def replace(self, **changes: Any) -> "Problem":
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


def mask_count_mismatch(problem: "Problem") -> tuple[int, int] | None:
    """``(masks, boxes)`` when a fill-in record's [MASK] count and gold box count disagree, else None.

    Such records (a few in the public release) are graded against the joined equation; the
    readers in :mod:`wmbench.storage` warn about them once per file. Boxes are read as the
    grader reads them (:func:`wmbench.verify.extract.extract_boxed`); boxes that only repeat the
    first ones (the answers given twice) are no disagreement.
    """
    from wmbench.verify.extract import extract_boxed  # the grader's reading; verify imports schema

    if problem.type == "MCQ" or not (masks := problem.equation.count(MASK)):
        return None
    boxes = extract_boxed(problem.correct_answer)
    if len(boxes) == masks:
        return None
    repeated = len(boxes) % masks == 0 and all(b == boxes[i % masks] for i, b in enumerate(boxes))
    return None if repeated else (masks, len(boxes))


def _check_options(options: Any, ptype: str, rid: str) -> dict[str, str] | None:
    if isinstance(options, str):  # a JSON-encoded column, as some exports store a mapping
        try:
            options = json.loads(options) if options.strip() else None
        except json.JSONDecodeError:
            raise SchemaError(rid, "field 'options' is a string that is not JSON") from None
    if ptype != "MCQ":
        if options not in (None, {}) and not _all_null(options):
            raise SchemaError(rid, "field 'options' must be null for fill-in types")
        return None
    if not isinstance(options, Mapping) or sorted(options) != list(OPTION_LETTERS):
        raise SchemaError(rid, "field 'options' must map exactly A, B, C, D to strings for MCQ")
    if not all(isinstance(v, str) for v in options.values()):
        raise SchemaError(rid, "field 'options' values must be strings")
    return {k: options[k] for k in OPTION_LETTERS}


def _all_null(options: Any) -> bool:
    return isinstance(options, Mapping) and all(v is None for v in options.values())


_ID_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_id(text: str) -> str:
    """A file-name-safe form of an id (paper ids like ``2309.15483v1`` pass unchanged)."""
    return _ID_SAFE.sub("_", text).strip("_") or "unnamed"
