"""One root exception with a family per pipeline stage.

Every message names the input (file, record id, URL) and the reason, so the CLI can print it
on one line. Catch :class:`WmbenchError` to handle anything wmbench raises on purpose.
"""

from __future__ import annotations


class WmbenchError(Exception):
    """Root of every error wmbench raises on purpose."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")

    def one_line(self) -> str:
        """The message as a single line, for the CLI and reports."""
        return " ".join(str(self).split())


class SchemaError(WmbenchError):
    """A problem record or data file does not follow the schema."""


class IngestionError(WmbenchError):
    """A paper (PDF, LaTeX source, archive) could not be read."""


class GenerationError(WmbenchError):
    """Problems could not be generated from an equation or paper."""


class VerificationError(WmbenchError):
    """Answers could not be extracted or compared."""


class PublishingError(WmbenchError):
    """A dataset could not be exported or pushed to the Hub."""


class TrainingError(WmbenchError):
    """A training run cannot start: bad data, reward names or model path."""
