"""Throughput and peak memory of ``wmbench build`` (default rule-based path, no LLM).

Speed: papers per second of a full build of the example corpus against the simplest thing one
could do with the same PDFs, measured in the same run: raw pymupdf text extraction
(``page.get_text()`` of every page). Both run in a fresh child process; seconds are wall-clock
inside the child (interpreter start excluded), so the ratio is build time / extraction time.
Target: ratio <= 3.

Memory: peak resident set (``getrusage`` max RSS of the child and of its own children: pool
workers and verifier workers) of builds of 1x, 4x and 16x copies of the example corpus, each
copy with distinct paper ids. Target: flat, under 1 GB.

    .venv/bin/python benchmarks/build_throughput.py [--copies 1,4,16] [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "papers"
TARGET_RATIO = 3.0
TARGET_MB = 1024

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
import json, resource, sys, time
from pathlib import Path
from wmbench.build.runner import BuildConfig, build
papers, out, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
report = build(BuildConfig(papers=papers, out=out, workers=workers, progress=False))
seconds = time.perf_counter() - started
peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "papers": report["counts"]["papers_found"],
                  "problems": report["counts"]["problems_final"]}))
"""


def _child(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_copies(folder: Path, copies: int) -> Path:
    """``copies`` copies of the example papers with distinct stems and ids (``c03-2501.00001v1``)."""
    target = folder / f"papers-x{copies}"
    target.mkdir()
    rows = list(csv.DictReader((EXAMPLES / "papers.csv").read_text(encoding="utf-8").splitlines()))
    out_rows = []
    for k in range(copies):
        prefix = f"c{k:02d}-"
        for path in sorted(EXAMPLES.iterdir()):
            if path.name == "papers.csv":
                continue
            (shutil.copytree if path.is_dir() else shutil.copy2)(path, target / (prefix + path.name))
        out_rows += [{**row, "paper_id": prefix + row["paper_id"], "arxiv_id": prefix + row["arxiv_id"]} for row in rows]
    with open(target / "papers.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(out_rows)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", default="1,4,16", help="corpus multiples for the memory figure")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    pdfs = sorted(str(p) for p in EXAMPLES.glob("*.pdf"))
    with tempfile.TemporaryDirectory(prefix="wmbench-build-bench-") as tmp:
        tmp_path = Path(tmp)
        baseline = _child(_EXTRACT, *pdfs)
        single = _child(_BUILD, str(EXAMPLES), str(tmp_path / "out-speed"), str(args.workers))
        ratio = single["seconds"] / baseline["seconds"]
        print(f"example corpus: {single['papers']} papers, {len(pdfs)} PDFs, {single['problems']} problems, workers={args.workers}")
        print(f"pymupdf text extraction: {len(pdfs) / baseline['seconds']:.2f} papers/s ({baseline['seconds']:.3f} s)")
        print(f"wmbench build:           {single['papers'] / single['seconds']:.3f} papers/s ({single['seconds']:.1f} s)")
        print(f"ratio build/extraction:  {ratio:.1f}x  (target <= {TARGET_RATIO:.0f}x: {'met' if ratio <= TARGET_RATIO else 'NOT met'})")
        peaks = []
        for copies in [int(c) for c in args.copies.split(",")]:
            papers = make_copies(tmp_path, copies)
            run = _child(_BUILD, str(papers), str(tmp_path / f"out-x{copies}"), str(args.workers))
            peaks.append(run["peak_mb"])
            print(f"{copies:>3}x corpus: {run['papers']} papers, {run['problems']} problems after dedup, "
                  f"{run['seconds']:.1f} s, {run['papers'] / run['seconds']:.3f} papers/s, peak RSS {run['peak_mb']:.0f} MB")
        flat = max(peaks) <= 1.5 * min(peaks)
        print(f"peak memory: max {max(peaks):.0f} MB (target < {TARGET_MB} MB and flat: "
              f"{'met' if max(peaks) < TARGET_MB and flat else 'NOT met'})")


if __name__ == "__main__":
    main()
