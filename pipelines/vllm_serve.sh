#!/usr/bin/env bash
# vLLM server + lm-eval's `local-chat-completions`: start `vllm serve` once, then score it
# over HTTP with NUM_CONCURRENT requests in flight. Use this when the model is already served,
# is shared by several jobs, or runs on another machine (set BASE_URL and SKIP_SERVE=1).
#
#   MODEL=Qwen/Qwen2.5-7B-Instruct TP=2 DATA=build/ pipelines/vllm_serve.sh
#
# The chat endpoint applies the served model's chat template, so --apply-chat-template is
# required. The server is stopped on exit (only the one this script started).
set -euo pipefail

MODEL=${MODEL:?set MODEL to a Hub id or a local checkpoint}
SERVED_NAME=${SERVED_NAME:-$(basename "${MODEL}")}
TP=${TP:-1}
PORT=${PORT:-8000}
BASE_URL=${BASE_URL:-http://127.0.0.1:${PORT}/v1/chat/completions}
NUM_CONCURRENT=${NUM_CONCURRENT:-64}
MAX_LEN=${MAX_LEN:-20480}
MAX_GEN=${MAX_GEN:-16384}
TASKS=${TASKS:-wirelessmath_xl,wmbench_general_math}
OUT=${OUT:-results}

source "$(dirname "${BASH_SOURCE[0]}")/_vllm_up.sh"
vllm_up "${MODEL}" --served-model-name "${SERVED_NAME}" --port "${PORT}" \
  --tensor-parallel-size "${TP}" --max-model-len "${MAX_LEN}" --seed 0

args=(
  --model local-chat-completions
  --model-args "model=${SERVED_NAME},base_url=${BASE_URL},num_concurrent=${NUM_CONCURRENT},max_retries=3,timeout=3600,tokenized_requests=False"
  --tasks "${TASKS}"
  --apply-chat-template
  --gen-kwargs "max_gen_toks=${MAX_GEN}"
  --log-samples
  --output "${OUT}"
)
[[ -n "${DATA:-}" ]] && args+=(--data "${DATA}" --split "${SPLIT:-test}")
[[ -n "${MATH_DATA:-}" ]] && args+=(--math-data "${MATH_DATA}")

wmbench eval "${args[@]}"
