#!/usr/bin/env bash
# GRPO checkpoint vs its base model: score both with identical settings (same tasks, data,
# prompt, generation, seeds) through vllm_offline.sh, then build the leaderboard with the pair,
# which reports the base → GRPO gain with a paired confidence interval. The WirelessMathLM
# recipe reports greedy accuracy; set SAMPLES=8 to add mean@8 / pass@8.
#
#   BASE=Qwen/Qwen2.5-3B GRPO=checkpoints/qwen2.5-3b-grpo/step-600 DATA=build/ pipelines/grpo_compare.sh
#
# Base (non-instruct) checkpoints often have no chat template; CHAT=0 scores both with plain
# prompts. Whatever you choose applies to both models, or the comparison is not fair.
set -euo pipefail

BASE=${BASE:?set BASE to the base model}
GRPO=${GRPO:?set GRPO to the GRPO-trained checkpoint}
OUT=${OUT:-results/grpo_compare}
here=$(cd "$(dirname "$0")" && pwd)

MODEL="${BASE}" OUT="${OUT}" "${here}/vllm_offline.sh"
MODEL="${GRPO}" OUT="${OUT}" "${here}/vllm_offline.sh"
wmbench leaderboard "${OUT}" --pair "${BASE}=${GRPO}" --out "${OUT}/leaderboard"
