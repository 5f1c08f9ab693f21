"""Upload a release folder to the Hugging Face Hub as one commit.

:func:`plan_push` lists what would be uploaded (path in the repo, size, sha256) and the commit
message, without any network; :func:`push_release` creates the dataset repo if needed (and the
branch for ``revision``) and makes that one commit with ``HfApi.create_commit``. A card already
on the Hub keeps its hand-written parts: the local card is merged into it before the upload. The token comes
from ``huggingface_hub.get_token()`` (``HF_TOKEN``, then the CLI login) and is never printed:
every failure becomes one :class:`PublishingError` line with the token masked.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from wmbench.errors import PublishingError
from wmbench.release.card import merge_card
from wmbench.release.croissant import CROISSANT_FILE
from wmbench.release.export import BUILD_REPORT_FILE, CARD_FILE, MANIFEST_FILE, REPORT_FILE
from wmbench.storage import DATA_DIR, PROBLEMS_FILE

AUDIT_DIR = "audit"
# Top-level metadata files uploaded when present, besides the shards under data/ and audit/.
METADATA_FILES: tuple[str, ...] = (CARD_FILE, CROISSANT_FILE, MANIFEST_FILE, REPORT_FILE)
_HTTP_REASONS = {
    401: "authentication failed: the token is invalid or expired (set HF_TOKEN or run `hf auth login`)",
    403: "permission denied: the token may not write to this repository (needs a write token)",
    404: "repository or revision not found",
}


@dataclass(frozen=True)
class PlannedFile:
    """One file of the commit."""

    path_in_repo: str
    local: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class PushPlan:
    """Everything one push would do, computed offline."""

    repo_id: str
    revision: str | None
    private: bool
    message: str
    files: tuple[PlannedFile, ...]

    def describe(self) -> str:
        """The plan as text: target, commit message and one line per file."""
        target = f"datasets/{self.repo_id}" + (f"@{self.revision}" if self.revision else "")
        lines = [f"repo: {target} ({'private' if self.private else 'public'})", f"commit: {self.message}", "files:"]
        lines += [f"  {f.path_in_repo}  {f.size} bytes  sha256:{f.sha256}" for f in self.files]
        lines.append(f"total: {len(self.files)} files, {sum(f.size for f in self.files)} bytes")
        return "\n".join(lines)


def plan_push(folder: str | Path, repo_id: str, *, revision: str | None = None, private: bool = False) -> PushPlan:
    """The files of a release folder to upload and the commit message; no network."""
    folder = Path(folder)
    check_export(folder)
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise PublishingError(repo_id, "the repo id must look like org/name")
    paths = [folder / name for name in METADATA_FILES if (folder / name).is_file()]
    paths += sorted((folder / DATA_DIR).rglob("*.parquet")) + sorted(p for p in (folder / AUDIT_DIR).rglob("*") if p.is_file())
    files = tuple(_planned(folder, path) for path in paths)
    return PushPlan(repo_id, revision, private, _commit_message(folder, files), files)


def check_export(folder: Path) -> None:
    """Refuse anything but a folder written by ``wmbench export`` (a build has not had its licences filtered)."""
    if (folder / PROBLEMS_FILE).is_file() or (folder / BUILD_REPORT_FILE).is_file():
        raise PublishingError(str(folder), "is a build directory, not an export: its records have not been filtered by "
                                           f"licence; run `wmbench export {folder} --out RELEASE` and push RELEASE")
    needed = (CARD_FILE, REPORT_FILE, MANIFEST_FILE)
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing or not any((folder / DATA_DIR).rglob("*.parquet")):
        raise PublishingError(str(folder), f"not a release folder written by `wmbench export`: needs {', '.join(needed)} "
                                           f"and {DATA_DIR}/**/*.parquet")


def token_warning() -> str | None:
    """Why a real push would stop at once (no token), for ``--dry-run``; None when a token is set."""
    from huggingface_hub import get_token

    if get_token():
        return None
    return "no Hugging Face token: a real push would fail; set HF_TOKEN or run `hf auth login`"


def push_release(plan: PushPlan) -> str:
    """Make the planned commit on the Hub; returns the commit URL."""
    from huggingface_hub import CommitOperationAdd, HfApi, get_token

    token = get_token()
    if not token:
        raise PublishingError(f"datasets/{plan.repo_id}", "no Hugging Face token: set HF_TOKEN or run `hf auth login`")
    api = HfApi(token=token)
    try:
        api.create_repo(plan.repo_id, repo_type="dataset", private=plan.private, exist_ok=True)
        if plan.revision and plan.revision != "main":
            api.create_branch(plan.repo_id, branch=plan.revision, repo_type="dataset", exist_ok=True)
        operations = [CommitOperationAdd(path_in_repo=f.path_in_repo, path_or_fileobj=_content(api, plan, f)) for f in plan.files]
        info = api.create_commit(plan.repo_id, operations, commit_message=plan.message,
                                 repo_type="dataset", revision=plan.revision)
    except Exception as exc:  # noqa: BLE001 -- huggingface_hub raises HTTP, transport and offline errors
        raise PublishingError(f"datasets/{plan.repo_id}", _reason(exc).replace(token, "***")) from None
    return str(info.commit_url)


def _content(api, plan: PushPlan, planned: PlannedFile) -> str | bytes:
    """What to upload for a file: the card merged into the Hub's card if it has one, else the file."""
    if planned.path_in_repo != CARD_FILE:
        return str(planned.local)
    from huggingface_hub.errors import (
        EntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    try:
        hub_card = Path(api.hf_hub_download(plan.repo_id, CARD_FILE, repo_type="dataset", revision=plan.revision)).read_text(encoding="utf-8")
    except (EntryNotFoundError, RepositoryNotFoundError, RevisionNotFoundError):
        return str(planned.local)
    return merge_card(hub_card, planned.local.read_text(encoding="utf-8")).encode("utf-8")


def _planned(folder: Path, path: Path) -> PlannedFile:
    data = path.read_bytes()
    return PlannedFile(path.relative_to(folder).as_posix(), path, len(data), hashlib.sha256(data).hexdigest())


def _commit_message(folder: Path, files: tuple[PlannedFile, ...]) -> str:
    released = "?"
    if (folder / REPORT_FILE).is_file():
        released = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8")).get("released", "?")
    shards = sum(f.path_in_repo.endswith(".parquet") for f in files)
    return f"wmbench release: {released} records, {shards} Parquet shards, card and Croissant metadata"


def _reason(exc: Exception) -> str:
    """One line saying what went wrong, without server bodies (which could echo headers)."""
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    if isinstance(exc, OfflineModeIsEnabled):
        return "HF_HUB_OFFLINE is set; unset it to push"
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if isinstance(exc, HfHubHTTPError) and status is not None:
        return _HTTP_REASONS.get(status, f"the Hub answered HTTP {status}")
    if _is_network_error(exc):
        return f"network error: could not reach the Hub ({type(exc).__name__}); check the connection or HF_ENDPOINT"
    return f"upload failed ({type(exc).__name__})"


# Transport failures of whichever HTTP client huggingface_hub uses (httpx, requests, urllib3...).
_NETWORK_ERROR_NAMES = ("TransportError", "ConnectError", "ConnectionError", "NetworkError", "TimeoutException", "Timeout")


def _is_network_error(exc: BaseException) -> bool:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen and len(seen) < 10:
        seen.append(exc)
        names = {cls.__name__ for cls in type(exc).__mro__}
        if isinstance(exc, (ConnectionError, TimeoutError)) or names & set(_NETWORK_ERROR_NAMES):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
