"""``wmbench push``: upload a release folder to the Hugging Face Hub in one commit."""

from __future__ import annotations

import typer


def command(
    folder: str = typer.Argument(..., help="Release folder written by `wmbench export` (a build directory is refused)."),
    repo_id: str = typer.Option(..., "--repo-id", help="Dataset repository, org/name."),
    private: bool = typer.Option(False, "--private", help="Create the repository as private."),
    revision: str | None = typer.Option(None, "--revision", help="Branch to commit to (created if needed)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the files and commit message; no network."),
) -> None:
    """Push a release folder to the Hub: creates the dataset repo if needed, then ONE commit.

    The token comes from HF_TOKEN or `hf auth login` and is never printed.

    Examples:

      wmbench push release/ --repo-id my-org/wireless-math --dry-run

      wmbench push release/ --repo-id my-org/wireless-math --private --revision v1.0
    """
    from wmbench.release.push import plan_push, push_release, token_warning

    plan = plan_push(folder, repo_id, revision=revision, private=private)
    typer.echo(plan.describe())
    if dry_run:
        if warning := token_warning():
            typer.echo(f"warning: {warning}", err=True)
        typer.echo("dry run: nothing uploaded")
        return
    typer.echo(f"pushed: {push_release(plan)}")
