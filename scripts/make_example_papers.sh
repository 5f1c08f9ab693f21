#!/usr/bin/env bash
# Rebuild the example corpus from examples/sources/ (maintainers only; needs texlive, CI does not run it):
#   - compiles every paper with pdflatex (twice, reproducible dates and PDF ids),
#   - lays out examples/papers/ as listed in examples/sources/manifest.csv
#     (pdf+tar: arXiv-style tarball, pdf+dir: project folder, pdf+gz: gzipped single .tex, pdf: PDF only),
#   - writes examples/papers_truth.jsonl and examples/papers/papers.csv.
# Install texlive with:
#   apt-get install -y texlive-latex-base texlive-latex-recommended texlive-publishers
# Usage: scripts/make_example_papers.sh [PYTHON]   (PYTHON defaults to python3; stdlib only)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
sources="$root/examples/sources"
papers="$root/examples/papers"
python="${1:-python3}"
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
export SOURCE_DATE_EPOCH=0 FORCE_SOURCE_DATE=1 TZ=UTC LC_ALL=C
mkdir -p "$papers"

compile() {  # compile <paper_id> <main .tex name>: pdflatex twice in $build/<paper_id>
    local id="$1" main="$2" job="${2%.tex}"
    (
        cd "$build/$id"
        for _ in 1 2; do
            pdflatex -interaction=nonstopmode -halt-on-error -jobname="$job" \
                "\\pdftrailerid{wmbench-$id}\\input{$main}" >/dev/null \
                || { tail -n 30 "$job.log" >&2; echo "$id: pdflatex failed" >&2; exit 1; }
        done
        if grep -q "undefined references\|Label(s) may have changed" "$job.log"; then
            echo "$id: unresolved references, see $job.log" >&2; exit 1
        fi
        if grep -q "^Overfull" "$job.log"; then
            echo "$id: warning: overfull boxes (text runs into the margin or the other column)" >&2
        fi
    )
}

deterministic_tar() {  # deterministic_tar <dir> <out.tar.gz>: files at the top level, like arXiv's
    local dir="$1" out="$2"
    (cd "$dir" && ls -A | tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
        --mode='u+rw,go+r,go-w' -cf - -T - | gzip -n -9 >"$out")
}

tail -n +2 "$sources/manifest.csv" | while IFS=, read -r id given_as _license _listed; do
    project="$sources/$id"
    main="$(cd "$project" && grep -l '\\documentclass' -- *.tex | head -n 1)"
    cp -r "$project" "$build/$id"
    compile "$id" "$main"
    cp "$build/$id/${main%.tex}.pdf" "$papers/$id.pdf"
    rm -rf "${papers:?}/$id" "$papers/$id.tar.gz" "$papers/$id.gz"
    case "$given_as" in
        pdf+tar) deterministic_tar "$project" "$papers/$id.tar.gz" ;;
        pdf+dir) cp -r "$project" "$papers/$id" ;;
        pdf+gz) gzip -n -9 -c "$project/$main" >"$papers/$id.gz" ;;
        pdf) ;;
        *) echo "$id: unknown given_as '$given_as' in manifest.csv" >&2; exit 1 ;;
    esac
    pages="$(grep -o 'Output written on .*' "$build/$id/${main%.tex}.log")"
    echo "$id ($given_as): $pages"
done

"$python" "$root/scripts/make_example_truth.py" --sources "$sources" --build "$build" \
    --truth "$root/examples/papers_truth.jsonl" --csv "$papers/papers.csv"
