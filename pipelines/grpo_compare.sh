#!/usr/bin/env bash
# GRPO checkpoint vs its base model: score both with identical settings (same tasks, data,
# prompt, generation, seeds), then build the leaderboard with the pair, which reports the
# base → GRPO gain with a paired confidence interval. The WirelessMathLM recipe reports greedy
# accuracy; set SAMPLES=8 (vLLM) to add mean@8 / pass@8.
#
#   BASE=Qwen/Qwen2.5-3B GRPO=checkpoints/qwen2.5-3b-wirelessmathlm DATA=build/ pipelines/grpo_compare.sh
#   BACKEND=hf BASE=./tiny GRPO=./grpo DATA=build/ MATH_DATA=math/ MAX_GEN=512 pipelines/grpo_compare.sh
#
# BACKEND=vllm (default) runs vllm_offline.sh (GPUs); BACKEND=hf runs lm-eval's transformers
# backend (one GPU or CPU; DEVICE=cpu). `wmbench train grpo --eval` does the hf comparison right
# after training. Base (non-instruct) checkpoints often have no chat template; CHAT=0 scores both
# with plain prompts (the recipe trains with plain prompts). Whatever you choose applies to both
# models, or the comparison is not fair.
set -euo pipefail

BASE=${BASE:?set BASE to the base model}
GRPO=${GRPO:?set GRPO to the GRPO-trained checkpoint}
OUT=${OUT:-results/grpo_compare}
BACKEND=${BACKEND:-vllm}
here=$(cd "$(dirname "$0")" && pwd)

score_hf() {
  local args=(--model hf --model-args "pretrained=$1,dtype=auto" --tasks "${TASKS:-wirelessmath_xl,wmbench_general_math}"
              --gen-kwargs "max_gen_toks=${MAX_GEN:-16384}" --batch-size "${BATCH:-1}" --log-samples --output "${OUT}")
  [[ "${CHAT:-1}" == 1 ]] && args+=(--apply-chat-template)
  [[ -n "${DATA:-}" ]] && args+=(--data "${DATA}" --split "${SPLIT:-test}")
  [[ -n "${MATH_DATA:-}" ]] && args+=(--math-data "${MATH_DATA}")
  [[ -n "${DEVICE:-}" ]] && args+=(--device "${DEVICE}")
  [[ -n "${LIMIT:-}" ]] && args+=(--limit "${LIMIT}")
  wmbench eval "${args[@]}"
}

for model in "${BASE}" "${GRPO}"; do
  case "${BACKEND}" in
    vllm) MODEL="${model}" OUT="${OUT}" "${here}/vllm_offline.sh" ;;
    hf) score_hf "${model}" ;;
    *) echo "error: BACKEND=${BACKEND}: expected vllm or hf" >&2; exit 1 ;;
  esac
done
wmbench leaderboard "${OUT}" --pair "${BASE}=${GRPO}" --out "${OUT}/leaderboard"
