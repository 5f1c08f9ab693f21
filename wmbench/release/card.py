"""The dataset card (``README.md``): Hub YAML metadata plus a body rendered with jinja2.

:func:`render_card` is called by ``wmbench build`` (one ``default`` config over the build's
``data/<split>-*.parquet``) and by ``wmbench export`` (one config per type, the paper-disjoint
split, the non-commercial records). Given an ``existing`` card, its hand-written text and extra
metadata are kept: only the sections between ``<!-- wmbench:begin X -->`` and
``<!-- wmbench:end X -->`` and the data-derived metadata keys are regenerated.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import yaml

import wmbench
from wmbench.prompt import render_prompt
from wmbench.release.licenses import classify_license
from wmbench.schema import PROBLEM_TYPES, Problem
from wmbench.storage import DATA_DIR, PARQUET_SCHEMA, to_arrow
from wmbench.templating import load_template
from wmbench.topics import topic_of

BASE_SPLITS: tuple[str, ...] = ("train", "test")
DEFAULT_PRETTY_NAME = "wmbench wireless math benchmark"
# Build-report keys that change from run to run; left out of the card and the release report.
VOLATILE_REPORT_KEYS: frozenset[str] = frozenset({"timings", "seconds", "elapsed", "created", "created_at", "date", "hostname"})
# Metadata derived from the data: regenerated on every render. Other keys of an existing card win.
GENERATED_KEYS: tuple[str, ...] = ("license", "size_categories", "configs", "dataset_info")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*\n", re.DOTALL)
_SECTION = re.compile(
    r"<!-- wmbench:begin (?P<name>[\w-]+) -->"  # opening marker with the section name
    r".*?"  # generated content, replaced on regeneration
    r"<!-- wmbench:end (?P=name) -->",  # the matching closing marker
    re.DOTALL,
)

FIELD_MEANINGS: tuple[tuple[str, str], ...] = (
    ("problem_id", "problem identifier"),
    ("paper_id", "identifier of the source paper (arXiv id when known)"),
    ("type", "`MCQ`, `fill_blank_25`, `fill_blank_50`, `fill_blank_75` or `fill_blank_100`"),
    ("split", "problem-level split: `train` or `test`"),
    ("background", "system model and symbol definitions"),
    ("question_text", "the question"),
    ("equation", "the equation with one `[MASK]` per blank (may be empty)"),
    ("options", "`{A, B, C, D}` for MCQ, otherwise null"),
    ("correct_answer", "option letter for MCQ; `\\boxed{..}` answers in blank order otherwise"),
    ("prompt", "the full prompt shown to a model"),
    ("paper_title", "title of the source paper"),
    ("record_license", "licence of this record (SPDX id), from the source paper's licence"),
    ("source_license", "licence URL of the source paper"),
    ("source_license_class", "kind of the source licence (`cc-by`, `cc-by-nc-sa`, ...)"),
    ("source_kind", "what the equation was read from: `latex` source or `pdf`"),
    ("equation_number", "the equation's number in the paper"),
    ("equation_label", "the equation's LaTeX label"),
    ("page", "page of the paper the equation is on"),
    ("license", "the source paper's licence as given in the papers' metadata"),
    ("generator_version", "version of the wmbench problem generator"),
    ("paper_split", "source-paper-disjoint split: `train` or `test`"),
    ("extra", "further provenance and audit metadata as a JSON object"),
)


def filled_fields(problems: Sequence[Problem]) -> list[tuple[str, str]]:
    """The rows of :data:`FIELD_MEANINGS` that at least one record fills (no row for an empty column)."""
    filled = {key for p in problems for key, value in p.to_dict().items() if value not in (None, "", {})}
    if any(p.extra for p in problems):
        filled.add("extra")
    return [(name, meaning) for name, meaning in FIELD_MEANINGS if name in filled]


@dataclass(frozen=True)
class CardConfig:
    """One ``configs:`` entry: a name and its ``(split, path pattern, num_examples, num_bytes)``."""

    name: str
    files: tuple[tuple[str, str, int, int], ...]

    def num_examples(self, split: str) -> int | str:
        """Records in ``split`` (``-`` when the config has no such split)."""
        return next((n for s, _, n, _ in self.files if s == split), "-")


def render_card(
    problems: Sequence[Problem],
    report: Mapping[str, Any],
    *,
    existing: str | None = None,
    configs: Sequence[CardConfig] | None = None,
) -> str:
    """The card for ``problems``; with ``existing``, merged into that card. Deterministic."""
    configs = list(configs) if configs is not None else [build_config(problems)]
    pretty_name = str(report.get("pretty_name") or DEFAULT_PRETTY_NAME)
    metadata = _metadata(problems, configs, pretty_name)
    body = load_template("dataset_card.md.jinja").render(**_body_context(problems, report, configs, pretty_name))
    card = _front_matter(metadata) + body.rstrip("\n") + "\n"
    return card if existing is None else merge_card(existing, card)


def merge_card(existing: str, generated: str) -> str:
    """``generated`` merged into ``existing``: hand-written text and extra metadata kept."""
    old_metadata, old_body = split_front_matter(existing)
    new_metadata, new_body = split_front_matter(generated)
    body = merge_body(old_body, new_body)
    return _front_matter(merge_metadata(old_metadata, new_metadata)) + body.rstrip("\n") + "\n"


def build_config(problems: Iterable[Problem]) -> CardConfig:
    """The ``default`` config of a build directory: ``data/<split>-00000-of-00001.parquet``."""
    by_split: dict[str, list[Problem]] = {}
    for problem in problems:
        by_split.setdefault(problem.split or "train", []).append(problem)
    files = tuple((s, f"{DATA_DIR}/{s}-*.parquet", len(by_split[s]), arrow_bytes(by_split[s])) for s in sorted(by_split, key=split_order))
    return CardConfig("default", files)


def split_order(split: str) -> tuple[int, str]:
    """Sort key for split names: train, test, then any other split by name."""
    return (BASE_SPLITS.index(split) if split in BASE_SPLITS else len(BASE_SPLITS), split)


def arrow_bytes(problems: Iterable[Problem]) -> int:
    """In-memory Arrow size of records, the ``num_bytes`` the Hub shows for a split."""
    return to_arrow(problems).nbytes


def split_front_matter(card: str) -> tuple[dict[str, Any], str]:
    """A card's YAML metadata (empty when absent) and its body."""
    match = _FRONT_MATTER.match(card)
    if match is None:
        return {}, card
    data = yaml.safe_load(match["yaml"] or "") or {}
    return (data if isinstance(data, dict) else {}), card[match.end():].lstrip("\n")


def merge_metadata(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Old keys in their order (values kept unless data-derived), then keys only ``new`` has."""
    merged = {k: (new[k] if k in GENERATED_KEYS and k in new else v) for k, v in old.items()}
    merged.update({k: v for k, v in new.items() if k not in merged})
    return merged


def merge_body(old: str, new: str) -> str:
    """``old`` with its generated sections replaced by ``new``'s; missing ones appended."""
    fresh = {m["name"]: m[0] for m in _SECTION.finditer(new)}
    present = {m["name"] for m in _SECTION.finditer(old)}
    body = _SECTION.sub(lambda m: fresh.get(m["name"], m[0]), old)
    missing = [block for name, block in fresh.items() if name not in present]
    if missing:
        body = body.rstrip("\n") + "\n\n" + "\n\n".join(missing) + "\n"
    return body


def _front_matter(metadata: Mapping[str, Any]) -> str:
    text = yaml.safe_dump(dict(metadata), sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{text}---\n\n"


def _metadata(problems: Sequence[Problem], configs: Sequence[CardConfig], pretty_name: str) -> dict[str, Any]:
    licenses = sorted({lic for p in problems if (lic := _hub_license(p))})
    if any(_hub_license(p) is None for p in problems):
        licenses.append("other")  # records export will withhold (no licence, arXiv's, ND)
    return {
        "pretty_name": pretty_name,
        "license": licenses[0] if len(licenses) == 1 else (licenses or "unknown"),
        "language": ["en"],
        "task_categories": ["question-answering", "text-generation"],
        "tags": ["math", "wireless-communications", "benchmark", "wmbench"],
        "size_categories": [size_category(len(problems))],
        "configs": [_config_yaml(c) for c in configs],
        "dataset_info": [_dataset_info_yaml(c) for c in configs],
    }


def _hub_license(problem: Problem) -> str | None:
    if problem.record_license:
        return problem.record_license.lower()
    return classify_license(problem.license or problem.source_license).hub_id


def size_category(n: int) -> str:
    """The Hub's ``size_categories`` bucket for ``n`` records."""
    bounds = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))
    return next((label for bound, label in bounds if n < bound), "1M<n<10M")


def _config_yaml(config: CardConfig) -> dict[str, Any]:
    entry: dict[str, Any] = {"config_name": config.name}
    if config.name == "default":
        entry["default"] = True
    entry["data_files"] = [{"split": split, "path": path} for split, path, _, _ in config.files]
    return entry


def _dataset_info_yaml(config: CardConfig) -> dict[str, Any]:
    return {
        "config_name": config.name,
        "features": features_yaml(PARQUET_SCHEMA),
        "splits": [{"name": split, "num_bytes": size, "num_examples": n} for split, _, n, size in config.files],
        "dataset_size": sum(size for _, _, _, size in config.files),
    }


def features_yaml(schema: pa.Schema) -> list[dict[str, Any]]:
    """The Hub's ``dataset_info.features`` list for an Arrow schema of strings, ints and structs."""
    return [_feature(f.name, f.type) for f in schema]


def _feature(name: str, dtype: pa.DataType) -> dict[str, Any]:
    if pa.types.is_struct(dtype):
        return {"name": name, "struct": [_feature(dtype.field(i).name, dtype.field(i).type) for i in range(dtype.num_fields)]}
    return {"name": name, "dtype": "string" if pa.types.is_string(dtype) else str(dtype)}


def _body_context(
    problems: Sequence[Problem], report: Mapping[str, Any], configs: Sequence[CardConfig], pretty_name: str
) -> dict[str, Any]:
    splits = sorted({p.split or "train" for p in problems}, key=split_order) or list(BASE_SPLITS)
    by_type = Counter((p.type, p.split or "train") for p in problems)
    type_rows = [
        {"name": t, "counts": [by_type[(t, s)] for s in splits], "total": sum(by_type[(t, s)] for s in splits)}
        for t in PROBLEM_TYPES
    ]
    type_rows.append({"name": "all", "counts": [sum(r["counts"][i] for r in type_rows) for i in range(len(splits))],
                      "total": len(problems)})
    topics = Counter(topic_of(p.to_dict()) for p in problems)
    example = min(problems, key=lambda p: (p.type != "MCQ", p.problem_id), default=None)
    return {
        "pretty_name": pretty_name,
        "wmbench_version": wmbench.__version__,
        "n_papers": len({p.paper_id for p in problems}),
        "n_problems": len(problems),
        "splits": splits,
        "type_rows": type_rows,
        "topics": sorted(topics.items(), key=lambda kv: (-kv[1], kv[0])),
        "configs": configs if len(configs) > 1 else [],
        "construction": construction_rows(report),
        "construction_notes": construction_notes(report),
        "audit": _audit_counts(problems),
        "quality": _quality_counts(problems),
        "fields": filled_fields(problems),
        "example": example and {"problem_id": example.problem_id, "type": example.type,
                                "prompt": example.prompt or render_prompt(example)},
    }


def _audit_counts(problems: Sequence[Problem]) -> dict[str, Any] | None:
    """Clean-view sizes from the records' ``contamination`` entries (written by ``wmbench audit``)."""
    entries = [p.extra["contamination"] for p in problems if isinstance(p.extra.get("contamination"), Mapping)]
    if not entries:
        return None
    return {
        "n": entries[0].get("n", "?"),
        "audited": len(entries),
        "strict": sum(bool(e.get("in_S0")) for e in entries),
        "lenient": sum(bool(e.get("in_S1")) for e in entries),
    }


def _quality_counts(problems: Sequence[Problem]) -> dict[str, Any] | None:
    """The rubric's score distribution by dimension, from the records' ``quality`` entries."""
    from wmbench.curate.rubric import DIMENSIONS, SCORES, distribution

    scored = [p for p in problems if isinstance(p.extra.get("quality"), Mapping)]
    if not scored:
        return None
    counts = distribution(scored)
    versions = sorted({f"{p.extra['quality'].get('version')} ({p.extra['quality'].get('model')})" for p in scored})
    return {"scored": len(scored), "versions": versions, "scores": list(SCORES),
            "rows": [{"name": d, "counts": [counts[d][str(s)] for s in SCORES]} for d in DIMENSIONS]}


# (label, key in the build report's ``counts``), in pipeline order
_CONSTRUCTION_COUNTS: tuple[tuple[str, str], ...] = (
    ("papers found", "papers_found"),
    ("papers that gave problems", "papers_with_problems"),
    ("equations found", "equations_found"),
    ("equations selected", "equations_selected"),
    ("problems generated", "problems_generated"),
    ("problems passing every gate", "problems_after_gates"),
    ("problems left after removing near-duplicates", "problems_after_dedup"),
    ("problems in the dataset", "problems_final"),
)


def construction_rows(report: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The "How built" table: one row per pipeline stage the build report counts."""
    counts = report.get("counts")
    if not isinstance(counts, Mapping):
        return []
    return [(label, counts[key]) for label, key in _CONSTRUCTION_COUNTS if isinstance(counts.get(key), int)]


def construction_notes(report: Mapping[str, Any]) -> list[str]:
    """Sentences under the table: seed and generator, the commonest gate failures, withheld papers."""
    notes = []
    if "seed" in report:
        version = f", generator version {report['generator_version']}" if report.get("generator_version") else ""
        notes.append(f"Built with seed {report['seed']}{version}.")
    failures = report.get("gate_failures")
    if isinstance(failures, Mapping) and failures:
        top = sorted(failures.items(), key=lambda kv: (-kv[1], str(kv[0])))[:5]
        notes.append("Commonest gate failures: " + ", ".join(f"{_cell(k)} ({v})" for k, v in top) + ".")
    withheld = report.get("withheld_at_export")
    if isinstance(withheld, list) and withheld:
        notes.append(f"{len(withheld)} source paper(s) have no licence that permits redistribution; "
                     "`wmbench export` withholds their problems.")
    return notes


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def stable_report(report: Mapping[str, Any]) -> dict[str, Any]:
    """The build report without run-dependent entries (timings, dates), so outputs are reproducible."""
    return {k: stable_report(v) if isinstance(v, Mapping) else v
            for k, v in report.items() if str(k).lower() not in VOLATILE_REPORT_KEYS}
