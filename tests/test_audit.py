"""Contamination audit: planted overlaps are found, paraphrases are not, every corpus format reads."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fixtures_release import make_build, make_release, reference_problems

from wmbench.audit import AuditConfig, audit_problems, run_audit, surface_text
from wmbench.audit import corpus as corpus_module
from wmbench.audit.normalize import words
from wmbench.audit.overlap import OverlapScanner, ProbeIndex
from wmbench.errors import SchemaError
from wmbench.storage import read_problems

FILLER = "unrelated words about cooking pasta with tomato sauce and basil leaves in summer " * 20

# (raw text, normalised words)
NORMALISATION_CASES = (
    ("Hello, World!", "hello world"),
    ("$\\mathbf{h}_k^H \\mathbf{w}$", "h k h w"),
    ("SINR_{k} = \\frac{P|h|^2}{\\sigma^2}", "sinr k p h 2 2"),
    ("multi-user  MIMO\n\tsystem", "multi user mimo system"),
    ("caf\u00e9 na\u00efve", "caf\u00e9 na\u00efve"),
    ("x\\alpha2 \\\\ y", "x y"),
    ("", ""),
)


@pytest.mark.parametrize(("raw", "expected"), NORMALISATION_CASES)
def test_normalisation(raw, expected):
    tokens = words(raw.encode("utf-8"))
    assert tokens.text(0, len(tokens)).decode("utf-8") == expected


def _paraphrase(text: str, every: int = 10) -> str:
    """Change one (normalised) word in every ``every`` words."""
    tokens = words(text.encode("utf-8"))
    out = tokens.text(0, len(tokens)).decode("utf-8").split()
    for i in range(every - 1, len(out), every):
        out[i] = f"zzchanged{i}"
    return " ".join(out)


@pytest.fixture(scope="module")
def problems():
    return reference_problems()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_verbatim_background_hits_and_paraphrase_does_not(tmp_path, problems):
    target, other = problems[3], problems[7]
    planted = _write(tmp_path / "planted.txt", FILLER + target.background + " " + FILLER)
    para = _write(tmp_path / "para.txt", FILLER + _paraphrase(other.background) + " " + FILLER)
    results = {r.problem_id: r for r in audit_problems(problems, [planted, para], n=13).problems}
    hit = results[target.problem_id]
    assert hit.docs_total == 1 and hit.matched_docs == [planted.name]  # named without its machine path
    assert hit.hits_total == len(words(target.background.encode()).starts) - 12
    assert hit.matched_ngrams and all(len(g.split()) == 13 for g in hit.matched_ngrams)
    assert results[other.problem_id].hits_total == 0
    assert sum(r.hits_total > 0 for r in results.values()) == 1


def test_paraphrase_hits_at_a_shorter_n(tmp_path, problems):
    para = _write(tmp_path / "para.txt", _paraphrase(problems[7].background))
    result = {r.problem_id: r for r in audit_problems(problems, [para], n=8).problems}[problems[7].problem_id]
    assert result.hits_total > 0


@pytest.mark.parametrize("compression", ["gzip", "zstd", "none"])
def test_compressed_text_and_jsonl(tmp_path, problems, compression):
    import zstandard

    target = problems[5]
    lines = [json.dumps({"id": f"doc-{i}", "text": FILLER}) for i in range(3)]
    lines.insert(1, json.dumps({"id": "the-copy", "text": FILLER + target.question_text + " " + target.background}))
    data = ("\n".join(lines) + "\n").encode()
    suffix, payload = {"gzip": (".jsonl.gz", gzip.compress(data)), "zstd": (".jsonl.zst", zstandard.ZstdCompressor().compress(data)),
                       "none": (".jsonl", data)}[compression]
    path = tmp_path / f"corpus{suffix}"
    path.write_bytes(payload)
    scan = audit_problems(problems, [path])
    assert scan.documents == 4
    hits = {r.problem_id: r.matched_docs for r in scan.problems if r.hits_total}
    assert hits == {target.problem_id: ["the-copy"]}


def test_parquet_with_a_named_column_and_multiple_documents(tmp_path, problems):
    target = problems[10]
    texts = [FILLER, target.background, FILLER, "prefix " + target.background, target.background, FILLER]
    pq.write_table(pa.table({"content": texts, "other": ["x"] * len(texts)}), tmp_path / "c.parquet")
    scan = audit_problems(problems, [tmp_path / "c.parquet"], column="content")
    result = next(r for r in scan.problems if r.problem_id == target.problem_id)
    assert result.docs_total == 3
    assert result.matched_docs == [f"c.parquet:{i}" for i in (1, 3, 4)]
    with pytest.raises(SchemaError, match="no text column 'text'"):
        audit_problems(problems, [tmp_path / "c.parquet"])


def test_long_document_read_in_blocks_counts_overlaps_across_block_edges(tmp_path, problems, monkeypatch):
    monkeypatch.setattr(corpus_module, "BLOCK_BYTES", 64)
    target = problems[2]
    path = _write(tmp_path / "long.txt", FILLER + target.background + " " + FILLER + target.background)
    scanner = OverlapScanner(ProbeIndex(problems, 13), batch_bytes=100)  # a batch every two blocks
    scanner.feed(corpus_module.iter_pieces([path]))
    small = scanner.finish()
    monkeypatch.setattr(corpus_module, "BLOCK_BYTES", 1 << 20)
    large = audit_problems(problems, [path]).problems
    assert [(r.hits_total, r.docs_total) for r in small] == [(r.hits_total, r.docs_total) for r in large]
    result = next(r for r in small if r.problem_id == target.problem_id)
    assert result.docs_total == 1 and result.hits_total == 2 * (len(words(target.background.encode()).starts) - 12)


def test_batching_of_many_small_documents_does_not_join_them(tmp_path, problems):
    target_words = surface_text(problems[0]).split()
    half = len(target_words) // 2
    docs = [" ".join(target_words[:half]), " ".join(target_words[half:])]  # a 13-gram across the two must not count
    path = _write(tmp_path / "c.jsonl", "".join(json.dumps({"text": d}) + "\n" for d in docs))
    joined = _write(tmp_path / "j.jsonl", json.dumps({"text": " ".join(docs)}) + "\n")
    split_hits = next(r for r in audit_problems(problems, [path]).problems if r.problem_id == problems[0].problem_id)
    joined_hits = next(r for r in audit_problems(problems, [joined]).problems if r.problem_id == problems[0].problem_id)
    assert joined_hits.hits_total - split_hits.hits_total == 12


def test_strict_and_lenient_views_and_dataset_update(tmp_path):
    _, release = make_release(tmp_path)
    released = read_problems(release)
    one, three = released[0], released[1]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus / "a.txt", one.background)
    for i in range(3):
        _write(corpus / f"b{i}.txt", FILLER + three.background)
    summary = run_audit(AuditConfig(release, (corpus,)))
    audit = release / "audit"
    strict = (audit / "clean_strict_ids.txt").read_text().split()
    lenient = (audit / "clean_lenient_ids.txt").read_text().split()
    assert one.problem_id not in strict and one.problem_id in lenient
    assert three.problem_id not in strict and three.problem_id not in lenient
    assert summary["clean_strict"] == len(strict) and summary["corpus_documents"] == 4
    lines = {json.loads(l)["problem_id"]: json.loads(l) for l in (audit / "contamination.jsonl").read_text().splitlines()}
    assert lines[three.problem_id]["docs_total"] == 3 and lines[three.problem_id]["in_S1"] is False
    card = (release / "README.md").read_text()
    assert f"{len(strict)} have no\ndocument hit" in card and "<!-- wmbench:begin contamination -->" in card
    updated = {p.problem_id: p for p in read_problems(release)}
    assert updated[one.problem_id].extra["contamination"]["docs_total"] == 1
    assert updated[one.problem_id].extra["contamination"]["matched_docs"] == [f"{corpus.name}/a.txt"]
    import datasets
    import mlcroissant

    assert len(datasets.load_dataset(str(release), name="paper_disjoint")["train"]) > 0
    record_set = next(rs["@id"] for rs in json.loads((release / "croissant.json").read_text())["recordSet"])
    assert list(mlcroissant.Dataset(jsonld=str(release / "croissant.json")).records(record_set))


def test_build_directory_gets_contamination_and_files_need_out(tmp_path):
    build = make_build(tmp_path / "build")
    target = read_problems(build)[4]
    corpus = _write(tmp_path / "c.txt", target.background)
    run_audit(AuditConfig(build, (corpus,), n=13))
    updated = {p.problem_id: p for p in read_problems(build)}
    assert updated[target.problem_id].extra["contamination"]["hits_total"] > 0
    assert read_problems(build / "data" / "train-00000-of-00001.parquet")[0].extra["contamination"]["n"] == 13
    with pytest.raises(SchemaError, match="--out"):
        run_audit(AuditConfig(build / "problems.jsonl", (corpus,)))
    with pytest.raises(SchemaError, match="corpus path not found"):
        run_audit(AuditConfig(build, (tmp_path / "missing",)))


def test_audit_output_is_deterministic(tmp_path):
    build = make_build(tmp_path / "build")
    corpus = _write(tmp_path / "c.txt", read_problems(build)[4].background)
    outputs = []
    for name in ("one", "two"):
        run_audit(AuditConfig(build, (corpus,), out=tmp_path / name, update_dataset=False))
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()})
    assert outputs[0] == outputs[1]


def test_cli_audit_one_line_error_and_summary(tmp_path):
    build = make_build(tmp_path / "build")
    corpus = _write(tmp_path / "c.jsonl", json.dumps({"body": "x"}) + "\n")
    run = lambda *a: subprocess.run([sys.executable, "-c", "from wmbench.cli import main; main()", "audit", *a],
                                    capture_output=True, text=True, timeout=120, check=False)
    bad = run("--dataset", str(build), "--corpus", str(corpus))
    assert bad.returncode == 1 and bad.stderr.strip() == (
        "error: c.jsonl:1: no text column 'text' (use --column); none of the 1 corpus line(s) has text to audit")
    good = run("--dataset", str(build), "--corpus", str(corpus), "--column", "body", "--n", "5")
    assert good.returncode == 0 and "scanned 1 bytes in 1 documents" in good.stdout


def test_corpus_lines_without_text_are_counted_and_no_machine_path_is_written(tmp_path):
    build = make_build(tmp_path / "build")
    corpus = tmp_path / "crawl"
    corpus.mkdir()
    _write(corpus / "part-0.jsonl", "\n".join([json.dumps({"text": "first document"}), json.dumps({"body": "no text"}),
                                               "{broken", json.dumps({"id": "d3", "text": "third document"})]) + "\n")
    _write(corpus / "notes.txt", "a plain text document")
    done = subprocess.run([sys.executable, "-c", "from wmbench.cli import main; main()", "audit", "--dataset", str(build),
                           "--corpus", str(corpus), "--n", "2"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "warning: crawl/part-0.jsonl:2: no text column 'text' (use --column)",
        "warning: crawl/part-0.jsonl:3: not valid JSON (Expecting property name enclosed in double quotes)",
        "warning: 2 corpus line(s) skipped",
    ]
    assert "in 3 documents" in done.stdout
    summary = json.loads((build / "audit" / "summary.json").read_text())
    assert summary["corpus_lines_skipped"] == 2 and summary["corpus_files"] == ["crawl/notes.txt", "crawl/part-0.jsonl"]
    for path in [*(build / "audit").iterdir(), build / "problems.jsonl"]:
        assert str(tmp_path) not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("suffix", [".txt.gz", ".tex.zst", ".md"])
def test_compressed_plain_text_documents(tmp_path, problems, suffix):
    import zstandard

    target = problems[9]
    data = (FILLER + target.background + " " + FILLER).encode()
    payload = {".txt.gz": gzip.compress(data), ".tex.zst": zstandard.ZstdCompressor().compress(data), ".md": data}[suffix]
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(payload)
    scan = audit_problems(problems, corpus_module.corpus_files([tmp_path]))  # a directory is searched
    assert scan.bytes_scanned == len(data) and scan.documents == 1
    assert {r.problem_id for r in scan.problems if r.hits_total} == {target.problem_id}
