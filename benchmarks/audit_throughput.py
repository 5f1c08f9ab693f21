"""Throughput of ``wmbench audit``: MB of corpus scanned per second on one core.

Generates a synthetic wireless-flavoured corpus (plain text files and a zstd JSONL file) in a
temporary folder (plus one document quoting three problems of each set), then audits it, each
time in a fresh process so that its peak memory is reported too, with two problem sets: the example build (or the reference
sample when no build is given) and a 4,000-problem synthetic set. The baseline, measured in
the same run on the same files, is the simplest Python pass over the text: decompress, decode,
lowercase and ``str.split``. The audit runs in one process; MB/s is bytes of document text per
second of this process's CPU time, i.e. per core (robust to other load on the machine).
Target: >= 50 MB/s per core.

    .venv/bin/python benchmarks/audit_throughput.py [--mb 200] [--build BUILD_DIR]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from wmbench.audit import audit_problems
from wmbench.audit.corpus import iter_pieces
from wmbench.schema import Problem
from wmbench.storage import read_problems

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "tests" / "data" / "reference_sample.jsonl"
TARGET_MB_S = 50.0
WORDS = ["the", "a", "of", "and", "to", "in", "is", "for", "with", "by", "on", "at", "as", "where", "which", "that", "from", "are", "be", "this", "we", "user", "users", "base", "station", "channel", "gain", "signal", "noise", "power", "beamforming", "vector", "matrix", "precoder", "receiver", "transmitter", "antenna", "antennas", "rate", "capacity", "sum", "interference", "sinr", "snr", "outage", "probability", "fading", "rayleigh", "rician", "path", "loss", "exponent", "ris", "reflecting", "surface", "phase", "shift", "element", "elements", "uav", "altitude", "trajectory", "noma", "mimo", "ofdm", "subcarrier", "energy", "efficiency", "harvesting", "secrecy", "eavesdropper", "optimization", "problem", "constraint", "convex", "lagrangian", "$\\mathbf{h}_k$", "$\\mathbf{w}_k^H$", "\\sigma^2", "\\log_2(1+\\gamma_k)", "$P_{\\max}$", "\\sum_{k=1}^{K}", "(1)", "(2)", ",", ".", ";"]


def synthetic_corpus(folder: Path, megabytes: int, seed: int = 0) -> list[Path]:
    """Plain-text files of ~20 MB, plus one zstd JSONL of ~5 KB documents (a tenth of the total)."""
    import zstandard

    rng = np.random.default_rng(seed)
    vocab = np.array(WORDS, dtype=object)
    files, written, index = [], 0, 0
    text_target = megabytes * 9 // 10 * 1_000_000
    while written < text_target:
        text = " ".join(vocab[rng.integers(0, len(vocab), 2_500_000)])
        path = folder / f"part-{index:03d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
        written, index = written + len(text), index + 1
    docs, size = [], 0
    while size < megabytes * 1_000_000 // 10:
        text = " ".join(vocab[rng.integers(0, len(vocab), 700)])
        docs.append(json.dumps({"id": f"doc-{len(docs)}", "text": text}))
        size += len(text)
    path = folder / "docs.jsonl.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(("\n".join(docs) + "\n").encode()))
    return files + [path]


def synthetic_problems(base: list[Problem], count: int, seed: int = 1) -> list[Problem]:
    """``count`` distinct problems: reference problems with their words shuffled and renumbered."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        source = base[i % len(base)]
        words = source.background.split()
        rng.shuffle(words)
        out.append(source.replace(problem_id=f"syn-{i}", background=f"problem {i} " + " ".join(words)))
    return out


def baseline_mb_s(files: list[Path]) -> tuple[float, int]:
    """Simplest pass: read every document piece, decode, lowercase, split."""
    start, size, n_words = time.process_time(), 0, 0
    for piece in iter_pieces(files):
        n_words += len(piece.data.decode("utf-8", "replace").lower().split())
        size += len(piece.data)
    return size / 1e6 / (time.process_time() - start), n_words


def audit_run(problems: list[Problem], files: list[Path]) -> tuple[float, int, int, float]:
    """One audit in this process: MB/s of CPU time, bytes scanned, problems hit, peak RSS in MB."""
    start = time.process_time()
    scan = audit_problems(problems, files, n=13)
    seconds = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return scan.bytes_scanned / 1e6 / seconds, scan.bytes_scanned, sum(r.hits_total > 0 for r in scan.problems), peak


def audit_in_fresh_process(problems: list[Problem], files: list[Path]) -> tuple[float, int, int, float]:
    """Run :func:`audit_run` in a new interpreter, so its peak memory is the audit's own."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(audit_run, problems, files).result()


def planted(folder: Path, problem_sets: dict[str, list[Problem]], per_set: int = 3) -> Path:
    """A document quoting the background of the first problems of each set (expected hits)."""
    texts = [p.background for problems in problem_sets.values() for p in problems[:per_set]]
    path = folder / "planted.txt"
    path.write_text("\n\n".join(texts), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="corpus size in MB")
    parser.add_argument("--build", type=Path, default=None, help="build directory (default: the reference sample)")
    args = parser.parse_args()
    example = read_problems(args.build) if args.build else read_problems(REFERENCE)
    sets = {f"{'example build' if args.build else 'reference sample'} ({len(example)})": example,
            "synthetic (4000)": synthetic_problems(read_problems(REFERENCE), 4000)}
    with tempfile.TemporaryDirectory() as tmp:
        files = synthetic_corpus(Path(tmp), args.mb) + [planted(Path(tmp), sets)]
        base, _ = baseline_mb_s(files)
        print(f"corpus: {sum(f.stat().st_size for f in files) / 1e6:.0f} MB on disk in {len(files)} files")
        print(f"baseline (decode + lower + split): {base:.1f} MB/s")
        for name, problems in sets.items():
            mb_s, scanned, with_hits, peak = audit_in_fresh_process(problems, files)
            verdict = "meets" if mb_s >= TARGET_MB_S else "misses"
            print(f"audit, {name:<26} {mb_s:6.1f} MB/s per core  ({scanned / 1e6:.0f} MB text, {mb_s / base:.2f}x baseline, "
                  f"peak RSS {peak:.0f} MB, {with_hits} problems with hits (backgrounds of 3 planted); {verdict} the {TARGET_MB_S:.0f} MB/s target)")


if __name__ == "__main__":
    main()
