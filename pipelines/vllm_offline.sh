#!/usr/bin/env bash
# vLLM offline: score one checkpoint on wirelessmath_xl and the general-maths group with
# lm-eval's `vllm` backend, in-process (no server). Needs GPUs and `pip install -e .[vllm]`.
#
#   MODEL=Qwen/Qwen2.5-7B-Instruct TP=2 DP=1 DATA=build/ pipelines/vllm_offline.sh
#
# TP splits each model across GPUs (tensor_parallel_size), DP runs copies of it
# (data_parallel_size); use TP*DP GPUs. MAX_LEN must hold prompt + MAX_GEN tokens. Greedy by
# default; SAMPLES>1 draws that many samples per problem (temperature 0.6) for mean@k/pass@k.
# DATA unset = the Hub dataset (needs network); MATH_DATA unset = the Hub maths datasets.
# CHAT=0 sends plain prompts (for base checkpoints without a chat template).
set -euo pipefail

MODEL=${MODEL:?set MODEL to a Hub id or a local checkpoint}
TP=${TP:-1}
DP=${DP:-1}
MAX_LEN=${MAX_LEN:-20480}
MAX_GEN=${MAX_GEN:-16384}
SAMPLES=${SAMPLES:-1}
TASKS=${TASKS:-wirelessmath_xl,wmbench_general_math}
OUT=${OUT:-results}

args=(
  --model vllm
  --model-args "pretrained=${MODEL},tensor_parallel_size=${TP},data_parallel_size=${DP},dtype=auto,gpu_memory_utilization=0.9,max_model_len=${MAX_LEN},seed=0"
  --tasks "${TASKS}"
  --batch-size auto
  --log-samples
  --output "${OUT}"
)
[[ "${CHAT:-1}" == 1 ]] && args+=(--apply-chat-template)
[[ -n "${DATA:-}" ]] && args+=(--data "${DATA}" --split "${SPLIT:-test}")
[[ -n "${MATH_DATA:-}" ]] && args+=(--math-data "${MATH_DATA}")
if (( SAMPLES > 1 )); then
  args+=(--repeats "${SAMPLES}" --gen-kwargs "do_sample=true,temperature=0.6,top_p=0.95,max_gen_toks=${MAX_GEN}")
else
  args+=(--gen-kwargs "max_gen_toks=${MAX_GEN}")
fi

exec wmbench eval "${args[@]}"
