"""The answer verifier: one place that decides whether a model's answer is right.

Stages: :mod:`~wmbench.verify.extract` (response → answers), :mod:`~wmbench.verify.normalize`
(LaTeX → canonical key), :mod:`~wmbench.verify.compare` (structure first; scalar algebra by
exact values for rational functions and sample points, :mod:`~wmbench.verify.numeric`; the rest
by math-verify in a worker process under a deadline, :mod:`~wmbench.verify.timeout`),
:mod:`~wmbench.verify.grader` (verdicts; general maths falls back to math-verify's own
parse-and-verify), :mod:`~wmbench.verify.judge` (optional LLM judge, off by default).
"""

from wmbench.verify.extract import extract_boxed
from wmbench.verify.grader import (
    BUILD_CONFIG,
    Verdict,
    VerifyConfig,
    equivalent,
    provably_different,
    verify_math,
    verify_problem,
)

__all__ = [
    "BUILD_CONFIG",
    "Verdict",
    "VerifyConfig",
    "equivalent",
    "extract_boxed",
    "provably_different",
    "verify_math",
    "verify_problem",
]
