"""``wmbench build``: a papers folder → a gated, deduplicated, split benchmark.

``select`` (which papers and equations) → ``paper_job`` (one paper, in a worker, cached by
``cache``) → ``gates`` → ``dedup`` → ``letters`` and ``splits`` → ``report``; ``runner``
drives the stages and writes the output folder.
"""

from wmbench.build.runner import BuildConfig, build

__all__ = ["BuildConfig", "build"]
