"""Shared helpers of the leaderboard and notebook tests: a headless Chromium driven over CDP.

Chromium's DevTools protocol runs over a pipe (``--remote-debugging-pipe``: commands on fd 3,
replies on fd 4, each message JSON followed by a NUL byte), so no websocket client, driver or
extra package is needed, only Debian's ``chromium``.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
LM_EVAL_RESULTS = DATA / "lm_eval_results"
REFERENCE_SAMPLE = DATA / "reference_sample.jsonl"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-pipe", "--window-size=1280,1600",
)


def chromium_path() -> str:
    """The browser binary, or an AssertionError saying how to install it (never a skip)."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("headless Chromium not found: install Debian's package with `apt-get install -y chromium`")


class Browser:
    """A headless Chromium page driven through the DevTools protocol over a pipe."""

    def __init__(self, profile: Path, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # The child must see our pipes as fds 3 (it reads) and 4 (it writes).
        self.process = subprocess.Popen(
            [chromium_path(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=_dup_fds(to_browser_r, from_browser_w),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        try:
            target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        except BaseException:
            self.close()
            raise

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False) -> dict[str, Any]:
        """Send one command and wait for its reply; raise on a protocol error."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            reply = self._read_message()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
        raise TimeoutError(f"no reply to {method} within {self.timeout}s")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                           session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        """Navigate and wait until the document and its images have loaded."""
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for("document.readyState === 'complete' && Array.from(document.images).every(i => i.complete)")

    def wait_for(self, condition: str) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.evaluate(condition):
                return
            time.sleep(0.05)
        raise TimeoutError(f"page never satisfied: {condition}")

    def set_width(self, width: int, height: int = 1000) -> None:
        """Lay the page out for a window ``width`` CSS pixels wide (as a desktop browser would)."""
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=True)
        self.wait_for(f"document.documentElement.clientWidth === {width} || window.innerWidth === {width}")

    def screenshot(self, path: Path) -> Path:
        """A full-page PNG."""
        data = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=True)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        """Ask the browser to quit, then make sure it did."""
        try:
            self.call("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)

    def _read_message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError(f"Chromium exited (status {self.process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)


def _dup_fds(read_end: int, write_end: int):
    """Child-side setup: our pipe ends become fds 3 and 4 (moved high first so they cannot clash)."""
    def child() -> None:
        high_read = fcntl.fcntl(read_end, fcntl.F_DUPFD, 10)
        high_write = fcntl.fcntl(write_end, fcntl.F_DUPFD, 10)
        os.dup2(high_read, 3)
        os.dup2(high_write, 4)
    return child
