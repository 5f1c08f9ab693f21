"""Export: a build becomes a Hub-ready folder that loads back record for record."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest
from fixtures_release import make_build, make_release

from wmbench.errors import PublishingError
from wmbench.release.export import (
    configs_on_disk,
    export_release,
    read_release,
    refresh_release,
)
from wmbench.release.licenses import classify_license
from wmbench.schema import PROBLEM_TYPES, Problem
from wmbench.storage import read_problems, write_build_dir


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    return make_release(tmp_path_factory.mktemp("export"))


def _expected(build: Path) -> dict[str, dict[str, list[Problem]]]:
    """Config -> split -> records, computed from the build independently of the exporter."""
    out: dict[str, dict[str, list[Problem]]] = {}
    for problem in read_problems(build):
        info = classify_license(problem.license)
        if info.bucket == "withheld":
            continue
        released = problem.replace(source_license=problem.license, source_license_class=info.license_class,
                                   record_license=info.record_license)
        names = ["nc"] if info.bucket == "nc" else ["default", problem.type]
        for name in names:
            out.setdefault(name, {}).setdefault(problem.split, []).append(released)
        if info.bucket == "public":
            paper_row = released.replace(split=problem.paper_split)  # a row says the split it sits in
            out.setdefault("paper_disjoint", {}).setdefault(problem.paper_split, []).append(paper_row)
    return out


def _loaded(folder: Path, config: str) -> dict[str, list[Problem]]:
    dataset = datasets.load_dataset(str(folder), name=config)
    return {split: [_row_to_problem(row) for row in dataset[split]] for split in dataset}


def _row_to_problem(row: dict) -> Problem:
    row = dict(row)
    extra = json.loads(row.pop("extra") or "{}")
    row = {k: v for k, v in row.items() if v is not None or k in ("options", "split")}
    return Problem.from_dict({**row, **extra})


def test_every_config_and_split_loads_back_record_for_record(release):
    build, folder = release
    expected = _expected(build)
    assert set(expected) == {"default", "nc", "paper_disjoint", *PROBLEM_TYPES}
    for config, splits in expected.items():
        assert _loaded(folder, config) == splits, config
    report = json.loads((folder / "release_report.json").read_text())
    assert list(report["configs"]) == ["default", *PROBLEM_TYPES, "paper_disjoint", "nc"]  # natural order, not as text
    assert list(report["build_report"]["counts"]["by_type"]) == list(PROBLEM_TYPES)
    for split, rows in _loaded(folder, "paper_disjoint").items():
        assert {p.split for p in rows} == {split}, split
    default = datasets.load_dataset(str(folder))  # no name: the default config
    assert sorted(default) == ["test", "train"]
    assert [r["problem_id"] for r in default["test"]] == [p.problem_id for p in expected["default"]["test"]]


def test_records_carry_their_licence_and_withheld_ones_are_listed_by_id(release):
    build, folder = release
    released = read_release(folder)
    assert all(p.record_license in ("CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0") for p in released)
    assert all(p.source_license_class in ("cc-by", "cc-by-sa", "cc0", "cc-by-nc-sa") for p in released)
    manifest = [json.loads(line) for line in (folder / "withheld_manifest.jsonl").read_text().splitlines()]
    withheld = {p.problem_id for p in read_problems(build)} - {p.problem_id for p in released}
    assert {m["problem_id"] for m in manifest} == withheld and withheld
    assert {m["license_class"] for m in manifest} == {"arxiv-nonexclusive", "cc-by-nc-nd", "unknown"}
    assert all(set(m) == {"problem_id", "paper_id", "split", "type", "license_class", "source_license", "reason"} for m in manifest)
    text = (folder / "withheld_manifest.jsonl").read_text()
    assert not any(p.background in text or p.equation in text for p in read_problems(build) if p.problem_id in withheld)


def test_report_says_which_papers_have_unknown_licences(release):
    build, folder = release
    report = json.loads((folder / "release_report.json").read_text())
    unknown = sorted({p.paper_id for p in read_problems(build) if not p.license})
    assert report["unknown_license_papers"] == unknown and unknown
    assert any("no recognised licence" in w for w in report["warnings"])
    assert report["released"] + report["withheld"] == 27
    assert report["build_report"]["pretty_name"] == "wmbench test release"


def test_storage_and_nc_isolation(release):
    _, folder = release
    default_records = read_problems(folder)  # the release folder reads like a build directory
    assert default_records and all(p.record_license != "CC-BY-NC-SA-4.0" for p in default_records)
    nc = read_problems(next((folder / "data" / "nc").glob("test-*.parquet")))
    assert nc and all(p.record_license == "CC-BY-NC-SA-4.0" for p in nc)


def test_export_is_deterministic_and_drops_stale_shards(tmp_path, release):
    build, folder = release
    again = tmp_path / "again"
    (again / "data" / "gone").mkdir(parents=True)
    (again / "data" / "gone" / "train-00000-of-00001.parquet").write_bytes(b"stale")
    export_release(build, again)
    assert not list((again / "data" / "gone").glob("*.parquet"))
    files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and "audit" not in p.parts)
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        assert (folder / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_existing_card_text_survives_export(tmp_path):
    build = make_build(tmp_path / "build")
    (build / "README.md").write_text("---\ntags:\n- kept\n---\n\n# Title\n\nHand-written intro.\n", encoding="utf-8")
    export_release(build, tmp_path / "out")
    card = (tmp_path / "out" / "README.md").read_text()
    assert "Hand-written intro." in card and "- kept" in card and "config_name: paper_disjoint" in card


def test_refresh_release_matches_the_export(release):
    _, folder = release
    before = {name: (folder / name).read_bytes() for name in ("README.md", "croissant.json")}
    refresh_release(folder)
    assert {name: (folder / name).read_bytes() for name in before} == before
    assert next(c.name for c in configs_on_disk(folder)) == "default"


def test_croissant_validates_and_reads_offline(release):
    mlcroissant = pytest.importorskip("mlcroissant")
    build, folder = release
    dataset = mlcroissant.Dataset(jsonld=str(folder / "croissant.json"))
    expected = _expected(build)
    for config, splits in expected.items():
        for split, rows in splits.items():
            records = list(dataset.records(f"{config}/{split}"))
            ids = [r[f"{config}/{split}/problem_id"].decode() for r in records]
            assert ids == [p.problem_id for p in rows], (config, split)
    mcq = next(iter(dataset.records("MCQ/train")))
    assert mcq["MCQ/train/correct_answer"].decode() in "ABCD"


def test_bad_builds_are_one_line_errors(tmp_path):
    build = make_build(tmp_path / "dup")
    problems = read_problems(build)
    write_build_dir(problems + problems[:1], build)
    with pytest.raises(PublishingError, match="duplicate problem_id"):
        export_release(build, tmp_path / "out")
    with pytest.raises(PublishingError, match="not a release folder"):
        read_release(tmp_path / "nowhere")
    with pytest.raises(PublishingError, match="must differ"):
        export_release(build, build)
    arxiv_only = make_build(tmp_path / "arxiv", licenses=("http://arxiv.org/licenses/nonexclusive-distrib/1.0/",))
    with pytest.raises(PublishingError, match="no record's licence permits redistribution \\(27 withheld"):
        export_release(arxiv_only, tmp_path / "out2")
    assert len((tmp_path / "out2" / "withheld_manifest.jsonl").read_text().splitlines()) == 27


@pytest.mark.slow
def test_lm_eval_scores_the_exported_folder(tmp_path, release):
    from fixtures_tasks import oracle_response, run_replay

    _, folder = release
    test_records = [p for p in read_problems(folder) if p.split == "test"]
    assert {p.type for p in test_records} == set(PROBLEM_TYPES)
    rows = [{"problem_id": p.problem_id, "response": oracle_response(p)} for p in test_records]
    out = run_replay(tmp_path, rows, data=str(folder), split="test")
    for name in ("wirelessmath_xl_mcq", "wirelessmath_xl_fill_25", "wirelessmath_xl_fill_50",
                 "wirelessmath_xl_fill_75", "wirelessmath_xl_full"):
        assert out.results["results"][name]["acc,verify"] == 1.0, name
    assert sum(v["effective"] for v in out.results["n-samples"].values()) == len(test_records)
