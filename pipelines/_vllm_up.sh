# Sourced by the vllm_*.sh recipes: vllm_up ARGS... starts `vllm serve ARGS...` in the
# background (unless SKIP_SERVE=1), stops it when the calling script exits (only the server it
# started) and waits until PORT answers /health; a server that dies while starting is an error.
vllm_up() {
  [[ "${SKIP_SERVE:-0}" == 1 ]] && return 0
  vllm serve "$@" &
  server_pid=$!
  trap 'kill "${server_pid}" 2>/dev/null || true' EXIT
  until curl -sf "http://127.0.0.1:${PORT}/health" >/dev/null; do
    kill -0 "${server_pid}" 2>/dev/null || { echo "vllm serve exited" >&2; exit 1; }
    sleep 5
  done
}
