#!/usr/bin/env bash
# The main job on the bundled example papers, no GPU and no network needed. Creates ./.venv on first use.
#   bash scripts/demo.sh [OUT]      (default OUT: build/example)
source "$(dirname "$0")/_env.sh"
out="${1:-build/example}"
wmbench build --papers examples/papers --out "$out" --workers 2 --resume
# Score stand-in model answers on the new benchmark: oracle answers must all be right, wrong ones all wrong.
python scripts/make_demo_responses.py "$out" "$out/demo"
for kind in oracle wrong; do
  echo "== ${kind} responses on ${out} =="
  wmbench score --dataset "$out" --responses "$out/demo/${kind}.jsonl" --out "$out/demo/${kind}_scored.jsonl"
done
