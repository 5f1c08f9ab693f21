"""``wmbench push``: the dry run, and one-line errors against real local HTTP endpoints."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fixtures_release import make_release

from wmbench.errors import PublishingError
from wmbench.release.push import plan_push

TOKEN = "hf_wmbenchTestToken0123456789SECRET"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    return make_release(tmp_path_factory.mktemp("push"))[1]


def _wmbench(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real CLI in a fresh interpreter (huggingface_hub reads HF_* at import time)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING_FACE"))}
    base["HF_HOME"] = str((cwd or Path.cwd()) / "hf-home")
    return subprocess.run([sys.executable, "-c", "from wmbench.cli import main; main()", *args],
                          env={**base, **(env or {})}, capture_output=True, text=True, timeout=120, check=False)


class _Reply(http.server.BaseHTTPRequestHandler):
    """Answers every request with one status and echoes the Authorization header in the body."""

    status = 401

    def _reply(self) -> None:
        body = json.dumps({"error": f"rejected {self.headers.get('authorization')}"}).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_HEAD = _reply

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def hub_replying():
    servers = []

    def start(status: int) -> str:
        handler = type("Handler", (_Reply,), {"status": status})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_dry_run_lists_every_file_with_size_and_sha256(release, tmp_path):
    result = _wmbench("push", str(release), "--repo-id", "my-org/wireless-math", "--dry-run", "--revision", "v1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert sorted(listed) == expected
    assert listed[:4] == ["README.md", "croissant.json", "withheld_manifest.jsonl", "release_report.json"]
    for rel in expected:
        data = (release / rel).read_bytes()
        assert f"  {rel}  {len(data)} bytes  sha256:{hashlib.sha256(data).hexdigest()}" in result.stdout
    assert "repo: datasets/my-org/wireless-math@v1 (public)" in result.stdout
    assert "commit: wmbench release: " in result.stdout and "dry run: nothing uploaded" in result.stdout


def test_dry_run_warns_when_there_is_no_token(release, tmp_path):
    bare = _wmbench("push", str(release), "--repo-id", "a/b", "--dry-run", cwd=tmp_path)
    assert bare.returncode == 0, bare.stderr
    assert bare.stderr == "warning: no Hugging Face token: a real push would fail; set HF_TOKEN or run `hf auth login`\n"
    with_token = _wmbench("push", str(release), "--repo-id", "a/b", "--dry-run", env={"HF_TOKEN": TOKEN}, cwd=tmp_path)
    assert with_token.returncode == 0 and with_token.stderr == ""
    assert TOKEN not in with_token.stdout


def test_push_refuses_a_build_directory(release, tmp_path):
    build = release.parent / "build"
    result = _wmbench("push", str(build), "--repo-id", "a/b", "--dry-run", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"error: {build}: is a build directory, not an export: its records have not been filtered "
                             f"by licence; run `wmbench export {build} --out RELEASE` and push RELEASE\n")


def test_plan_is_deterministic_and_checks_its_input(release, tmp_path):
    assert plan_push(release, "a/b") == plan_push(release, "a/b")
    assert plan_push(release, "a/b", private=True).describe().startswith("repo: datasets/a/b (private)")
    with pytest.raises(PublishingError, match="org/name"):
        plan_push(release, "no-slash")
    with pytest.raises(PublishingError, match="not a release folder"):
        plan_push(tmp_path, "a/b")


ERROR_CASES = (
    # (id, how to reach the Hub, expected message part)
    ("no-token", None, "no Hugging Face token"),
    ("offline", "offline", "HF_HUB_OFFLINE is set"),
    ("network-down", "closed-port", "network error: could not reach the Hub"),
    ("unauthorized", 401, "authentication failed"),
    ("forbidden", 403, "permission denied"),
)


@pytest.mark.parametrize(("how", "message"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_push_errors_are_one_line_and_never_show_the_token(release, tmp_path, hub_replying, how, message):
    env = {"HF_HUB_OFFLINE": "0", "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_ETAG_TIMEOUT": "5", "HF_HUB_DOWNLOAD_TIMEOUT": "5"}
    if how is not None:
        env["HF_TOKEN"] = TOKEN
    if how == "offline":
        env["HF_HUB_OFFLINE"] = "1"
    elif how == "closed-port":
        env["HF_ENDPOINT"] = f"http://127.0.0.1:{_closed_port()}"
    elif isinstance(how, int):
        env["HF_ENDPOINT"] = hub_replying(how)
    else:
        env["HF_ENDPOINT"] = f"http://127.0.0.1:{_closed_port()}"
    result = _wmbench("push", str(release), "--repo-id", "org/name", env=env, cwd=tmp_path)
    assert result.returncode == 1
    error_lines = result.stderr.strip().splitlines()
    assert len(error_lines) == 1, result.stderr
    assert error_lines[0].startswith("error: datasets/org/name: ") and message in error_lines[0]
    assert TOKEN not in result.stdout + result.stderr
    assert TOKEN[3:12] not in result.stdout + result.stderr
