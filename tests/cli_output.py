"""Reading a CLI run's stderr in tests."""

from __future__ import annotations

# The loader's warning about records whose [MASK] and \boxed counts disagree: the reference
# sample has one such record (as the public release does), so every command that reads it says so.
MASK_COUNT_WARNING = "have a [MASK] count that disagrees with their \\boxed answers"


def stderr_lines(stderr: str) -> list[str]:
    """The lines of ``stderr`` other than the loader's [MASK]-count warning."""
    return [line for line in stderr.strip().splitlines() if MASK_COUNT_WARNING not in line]
