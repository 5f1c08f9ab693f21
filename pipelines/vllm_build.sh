#!/usr/bin/env bash
# Build a benchmark with an open model in the loop: start `vllm serve`, then `wmbench build`
# with the LLM stages (variable tables write the backgrounds, the six-dimension rubric scores
# every problem, --min-quality drops the low ones). The model only describes and judges:
# equations, answers and distractors stay rule-made and verifier-proven.
#
#   MODEL=Qwen/Qwen2.5-7B-Instruct PAPERS=papers/ OUT=build/llm pipelines/vllm_build.sh
#   MODEL=deepseek-ai/DeepSeek-R1-Distill-Qwen-7B REASONING=deepseek_r1 PAPERS=papers/ OUT=build/r1 pipelines/vllm_build.sh
#
# Replies are cached under OUT/.cache/llm by request hash: a killed build, or one whose server
# went away, is finished by running this script again (it passes --resume), asking only what is
# missing. The server is stopped on exit (only the one this script started).
set -euo pipefail

MODEL=${MODEL:?set MODEL to a Hub id or a local checkpoint}
PAPERS=${PAPERS:?set PAPERS to a folder of papers}
OUT=${OUT:?set OUT to the build folder}
SERVED_NAME=${SERVED_NAME:-$(basename "${MODEL}")}
TP=${TP:-1}
PORT=${PORT:-8000}
BASE_URL=${BASE_URL:-http://127.0.0.1:${PORT}/v1}
CONCURRENCY=${CONCURRENCY:-32}       # requests in flight; vLLM batches them
MAX_LEN=${MAX_LEN:-8192}             # a request is ~600 tokens in, ~150 out (R1 distills think longer)
MIN_QUALITY=${MIN_QUALITY:-3}
MAX_CALLS=${MAX_CALLS:-}             # e.g. 100000: a hard ceiling on calls for the whole build
SEED=${SEED:-0}
WORKERS=${WORKERS:-2}

source "$(dirname "${BASH_SOURCE[0]}")/_vllm_up.sh"
serve=("${MODEL}" --served-model-name "${SERVED_NAME}" --port "${PORT}"
       --tensor-parallel-size "${TP}" --max-model-len "${MAX_LEN}" --seed 0)
[[ -n "${REASONING:-}" ]] && serve+=(--reasoning-parser "${REASONING}")
vllm_up "${serve[@]}"

args=(--papers "${PAPERS}" --out "${OUT}" --seed "${SEED}" --workers "${WORKERS}" --resume
      --llm-base-url "${BASE_URL}" --llm-model "${SERVED_NAME}" --llm-concurrency "${CONCURRENCY}"
      --llm-timeout "${TIMEOUT:-120}" --min-quality "${MIN_QUALITY}")
[[ -n "${MAX_CALLS}" ]] && args+=(--llm-max-calls "${MAX_CALLS}")
[[ "${SELECT:-0}" == 1 ]] && args+=(--llm-select)

wmbench build "${args[@]}"
wmbench review "${OUT}"
