"""Contamination audit: n-gram overlap of a dataset's problems with a text corpus."""

from wmbench.audit.contamination import (
    AuditConfig,
    ScanResult,
    audit_problems,
    in_lenient,
    in_strict,
    run_audit,
)
from wmbench.audit.overlap import ProblemOverlap, surface_text

__all__ = ["AuditConfig", "ProblemOverlap", "ScanResult", "audit_problems", "in_lenient", "in_strict", "run_audit", "surface_text"]
