"""Throughput and peak memory of ``wmbench build`` (default rule-based path, no LLM).

Baseline: the simplest thing one could do with the same PDFs, measured in the same run: raw
pymupdf text extraction (``page.get_text()`` of every page). Builds and extractions each run in
a fresh child process; seconds are wall-clock inside the child from after its first import
(``pymupdf``, ``wmbench.build.runner``): interpreter start-up is left out of both, everything
the build imports later is counted. Target: ratio <= 3.

Two ratios against the baseline:

* **cold start**: one build of the example corpus (12 papers) / one extraction of its PDFs.
  Fixed costs dominate here: imports, the verifier's math-verify process (sympy), the
  worker processes, writing Parquet and the card.
* **marginal per paper**: (build time of the Nx corpus - build time of the 1x corpus) / extra
  papers, against the same difference for the extraction of the two corpora's PDFs: what one
  more paper costs once a build is under way.

The Nx corpus is the example corpus plus N-1 copies of its papers that have a LaTeX source
(8 of 12; each copy keeps its PDF). A copy must not be cheaper than a new paper because the
verifier, the LaTeX parser and dedup remember what they saw (in-memory caches keyed by the
LaTeX text), so copy k renames symbols throughout its LaTeX: Greek letters rotate by k places
(``\\alpha`` → ``\\beta`` for k = 1; ``\\pi`` and ``\\var...`` kept) and bold letters by k letters
(``\\mathbf{h}`` → ``\\mathbf{i}``). The renaming is a bijection, so a copy's equations keep
their shape and difficulty but are new strings. Equations with neither kind of symbol (about a
quarter) and the PDF-only papers (not copied: text inside a PDF cannot be renamed simply) are
the only places a cache could still help, so the marginal figure errs, if at all, on the
cheap side by that much. Dedup keeps most of the copies' problems (the renamed symbols change
enough shingles), so the dedup and write stages see a corpus N times larger too.

Memory: peak resident set of the build's whole process tree (the build, its worker processes
and their verifier processes), summed over processes and sampled every 50 ms, at each corpus
size. Target: flat, under 1 GB.

    .venv/bin/python benchmarks/build_throughput.py [--copies 1,4,16] [--workers 2] [--repeat 1]

``--repeat R`` runs every measurement R times and keeps the fastest (the machine may be shared).

Last, where the time of one paper goes: reading its LaTeX, reading its PDF's text for page numbers,
and generating and gating its problems, each against the extraction of its PDF, in one process;
and, as a floor for any design that reads LaTeX with pylatexenc, pylatexenc alone parsing the
paper's macro-expanded source once and each of its equations once (the build parses the source
once and each selected equation, and each MCQ answer, for masking and distractors).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "papers"
TARGET_RATIO = 3.0
TARGET_MB = 1024
SAMPLE_SECONDS = 0.05

_EXTRACT = """
import json, sys, time
import pymupdf
paths = sys.argv[1:]
started = time.perf_counter()
chars = 0
for path in paths:
    with pymupdf.open(path) as doc:
        chars += sum(len(page.get_text()) for page in doc)
print(json.dumps({"seconds": time.perf_counter() - started, "chars": chars}))
"""

_BUILD = """
import json, sys, time
from pathlib import Path
from wmbench.build.runner import BuildConfig, build
started = time.perf_counter()
papers, out, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
report = build(BuildConfig(papers=papers, out=out, workers=workers, progress=False))
print(json.dumps({"seconds": time.perf_counter() - started, "papers": report["counts"]["papers_found"],
                  "problems": report["counts"]["problems_final"]}))
"""

# Where the time of one paper goes, in one process: the renamed copies (c01-...) of the papers
# with a LaTeX source, after one pass over the originals (imports, caches of the shared parts).
_STAGES = """
import json, sys, time
from pathlib import Path
from wmbench.build.paper_job import generate_paper
from wmbench.ingest import discover_papers, ingest_paper
from wmbench.ingest.latex_path import read_latex_paper
from wmbench.ingest.pdf_layout import import_pymupdf
from wmbench.ingest.pages import read_page_texts
from wmbench.ingest.latex_macros import collect_macros, expand_macros
from wmbench.ingest.latex_project import load_latex_source
from pylatexenc.latexwalker import LatexWalker
pymupdf = import_pymupdf()
items, _ = discover_papers(Path(sys.argv[1]))
originals = [i for i in items if i.source is not None and not i.paper_id.startswith("c")]
copies = [i for i in items if i.paper_id.startswith("c01-")]
for item in originals:
    generate_paper(ingest_paper(item), 0)
def timed(step):
    started = time.perf_counter()
    out = [step(item) for item in copies]
    return (time.perf_counter() - started) / len(copies), out
def extract(item):
    with pymupdf.open(item.pdf) as doc:
        return sum(len(page.get_text()) for page in doc)
seconds = {"extraction": timed(extract)[0],
           "LaTeX reading": timed(lambda i: read_latex_paper(i.source, where=i.paper_id))[0],
           "PDF text (page numbers)": timed(lambda i: read_page_texts(i.pdf, where=i.paper_id))[0]}
seconds["ingestion (both, merged)"], papers = timed(ingest_paper)
by_id = {p.paper_id: p for p in papers}
seconds["generation and gates"] = timed(lambda i: generate_paper(by_id[i.paper_id], 0))[0]
def pylatexenc_alone(item):  # the parser's own share: the whole paper once, then each of its equations
    project = load_latex_source(item.source, where=item.paper_id)
    text, macros, _ = collect_macros(project.text)
    LatexWalker(expand_macros(text, macros, where=item.paper_id), tolerant_parsing=True).get_latex_nodes()
    for equation in by_id[item.paper_id].equations:
        LatexWalker(equation.latex, tolerant_parsing=True).get_latex_nodes()
seconds["pylatexenc alone"] = timed(pylatexenc_alone)[0]
print(json.dumps({"papers": len(copies), "seconds": seconds}))
"""

# Symbols a copy renames (see the module docstring). \\pi is a constant; \\var... forms are kept.
_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
          "xi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega")
_GREEK_MACRO = re.compile(r"\\(?P<name>" + "|".join(_GREEK) + r")(?![A-Za-z])")
_BOLD_LETTER = re.compile(r"\\(?P<font>mathbf|boldsymbol|bm)\{(?P<letter>[A-Za-z])\}")
_TEX_SUFFIXES = (".tex", ".sty", ".bbl")


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    papers: int = 0  # papers built, or PDFs extracted
    problems: int = 0


def rename_symbols(tex: str, k: int) -> str:
    """``tex`` with Greek letters rotated by ``k`` places and bold letters by ``k`` letters."""
    def greek(m: re.Match) -> str:
        return "\\" + _GREEK[(_GREEK.index(m.group("name")) + k) % len(_GREEK)]

    def bold(m: re.Match) -> str:
        letter = m.group("letter")
        base = ord("a") if letter.islower() else ord("A")
        return f"\\{m.group('font')}{{{chr((ord(letter) - base + k) % 26 + base)}}}"

    return _BOLD_LETTER.sub(bold, _GREEK_MACRO.sub(greek, tex))


def _renamed_bytes(name: str, data: bytes, k: int) -> bytes:
    if not name.endswith(_TEX_SUFFIXES):
        return data
    return rename_symbols(data.decode("utf-8"), k).encode("utf-8")


def _copy_source(path: Path, target: Path, k: int) -> None:
    """A LaTeX source (folder, ``.tar.gz`` or ``.gz``) with its symbols renamed, in the same form."""
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            dest = target / file.relative_to(path)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(_renamed_bytes(file.name, file.read_bytes(), k))
    elif path.name.endswith(".tar.gz"):
        with tarfile.open(path) as src, gzip.GzipFile(target, "wb", mtime=0) as raw, tarfile.open(fileobj=raw, mode="w") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read() if member.isfile() else None
                if data is not None:
                    data = _renamed_bytes(member.name, data, k)
                    member.size = len(data)
                dst.addfile(member, io.BytesIO(data) if data is not None else None)
    elif path.suffix == ".gz":
        target.write_bytes(gzip.compress(_renamed_bytes(".tex", gzip.decompress(path.read_bytes()), k), mtime=0))
    else:
        raise ValueError(f"{path.name}: unexpected LaTeX source form")


def make_corpus(folder: Path, copies: int) -> Path:
    """The example papers plus ``copies - 1`` renamed copies of those with a LaTeX source
    (stems and ids ``c01-2501.00001v1``...)."""
    if copies == 1:
        return EXAMPLES
    target = folder / f"papers-x{copies}"
    shutil.copytree(EXAMPLES, target)
    rows = list(csv.DictReader((EXAMPLES / "papers.csv").read_text(encoding="utf-8").splitlines()))
    sources = sorted(p for p in EXAMPLES.iterdir() if p.name != "papers.csv" and p.suffix != ".pdf")
    stems = {p.name.split(".tar.gz")[0].removesuffix(".gz") for p in sources}
    out_rows = list(rows)
    for k in range(1, copies):
        prefix = f"c{k:02d}-"
        for path in sources:
            _copy_source(path, target / (prefix + path.name), k)
        for stem in sorted(stems):
            shutil.copy2(EXAMPLES / f"{stem}.pdf", target / f"{prefix}{stem}.pdf")
        out_rows += [{**row, "paper_id": prefix + row["paper_id"], "arxiv_id": prefix + row["arxiv_id"]}
                     for row in rows if row["paper_id"] in stems]
    with open(target / "papers.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(out_rows)
    return target


def _tree_rss_kb(root: int) -> int:
    """Resident set of ``root`` and all its descendants (Linux ``/proc``), in kB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        children.setdefault(int(fields["PPid"]), []).append(int(entry))
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def _child(code: str, *args: str) -> tuple[dict, float]:
    """The child's JSON answer and the peak RSS of its process tree in MB."""
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(SAMPLE_SECONDS)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1]), peak / 1024


def _fastest(code: str, repeat: int, *args: str, out: Path | None = None) -> Run:
    runs = []
    for _ in range(repeat):
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
        answer, peak = _child(code, *args)
        runs.append(Run(answer["seconds"], peak, answer.get("papers", 0), answer.get("problems", 0)))
    return min(runs, key=lambda run: run.seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", default="1,4,16", help="corpus multiples (1 is always measured)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest is kept")
    args = parser.parse_args()
    sizes = sorted({1, *(int(c) for c in args.copies.split(","))})
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; workers={args.workers}, repeat={args.repeat}")
    with tempfile.TemporaryDirectory(prefix="wmbench-build-bench-") as tmp:
        tmp_path = Path(tmp)
        builds: dict[int, Run] = {}
        extracts: dict[int, Run] = {}
        for copies in sizes:
            corpus = make_corpus(tmp_path, copies)
            pdfs = sorted(str(p) for p in corpus.glob("*.pdf"))
            extracts[copies] = replace(_fastest(_EXTRACT, args.repeat, *pdfs), papers=len(pdfs))
            out = tmp_path / f"out-x{copies}"
            builds[copies] = _fastest(_BUILD, args.repeat, str(corpus), str(out), str(args.workers), out=out)
            run = builds[copies]
            print(f"{copies:>3}x corpus: {run.papers} papers, {run.problems} problems after dedup; build {run.seconds:.2f} s "
                  f"({run.papers / run.seconds:.2f} papers/s), extraction {extracts[copies].seconds:.3f} s; "
                  f"peak RSS {run.peak_mb:.0f} MB")
        _print_ratios(builds, extracts)
        _print_stages(make_corpus(tmp_path, 2) if 2 not in sizes else tmp_path / "papers-x2")


def _print_stages(corpus: Path) -> None:
    """Per-paper time of each stage in one process, against the extraction of the same PDFs."""
    answer, _ = _child(_STAGES, str(corpus))
    seconds = answer["seconds"]
    base = seconds["extraction"]
    print(f"where the time goes (one process, {answer['papers']} papers with a LaTeX source, ms per paper):")
    floor = seconds.pop("pylatexenc alone")
    for stage, value in seconds.items():
        print(f"  {stage:<28} {value * 1000:7.1f} ms  {value / base:5.1f}x extraction")
    total = seconds["ingestion (both, merged)"] + seconds["generation and gates"]
    print(f"  {'ingestion + generation':<28} {total * 1000:7.1f} ms  {total / base:5.1f}x extraction "
          f"(one core; the build spreads papers over its workers)")
    print(f"  {'of which pylatexenc alone':<28} {floor * 1000:7.1f} ms  {floor / base:5.1f}x extraction "
          f"(source once, each equation once: a floor for any build that reads LaTeX with pylatexenc)")


def _print_ratios(builds: dict[int, Run], extracts: dict[int, Run]) -> None:
    one, base = builds[1], extracts[1]
    cold = one.seconds / base.seconds
    print(f"cold start, 1x corpus:   build {one.papers / one.seconds:.2f} papers/s vs extraction "
          f"{base.papers / base.seconds:.1f} papers/s: ratio {cold:.1f}x (target <= {TARGET_RATIO:.0f}x: "
          f"{'met' if cold <= TARGET_RATIO else 'NOT met'})")
    for copies in sorted(builds)[1:]:
        extra = builds[copies].papers - one.papers
        per_build = (builds[copies].seconds - one.seconds) / extra
        per_extract = (extracts[copies].seconds - base.seconds) / (extracts[copies].papers - base.papers)
        ratio = per_build / per_extract
        print(f"marginal, 1x -> {copies}x:  {per_build * 1000:.0f} ms per extra paper vs extraction "
              f"{per_extract * 1000:.1f} ms: ratio {ratio:.1f}x (target <= {TARGET_RATIO:.0f}x: "
              f"{'met' if ratio <= TARGET_RATIO else 'NOT met'})")
    peaks = [run.peak_mb for run in builds.values()]
    flat = max(peaks) <= 1.5 * min(peaks)
    print(f"peak memory: max {max(peaks):.0f} MB over {', '.join(f'{c}x' for c in builds)} "
          f"(target < {TARGET_MB} MB and flat: {'met' if max(peaks) < TARGET_MB and flat else 'NOT met'})")


if __name__ == "__main__":
    main()
