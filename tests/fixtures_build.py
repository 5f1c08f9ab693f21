"""Shared helpers of the build/generate tests: the case table and small hand-made papers."""

from __future__ import annotations

import json
from pathlib import Path

from wmbench.paper import Equation, Paper

REPO = Path(__file__).resolve().parents[1]
CASES = json.loads((REPO / "tests" / "data" / "generate_cases.json").read_text(encoding="utf-8"))
EXAMPLE_PAPERS = REPO / "examples" / "papers"

DEFINITIONS = {
    "y_k": "the signal received by user $k$",
    "\\mathbf{h}_k": "the channel vector of user $k$",
    "\\mathbf{x}": "the transmitted signal",
    "n_k": "the additive white Gaussian noise at user $k$",
    "\\mathbf{w}_k": "the precoding vector of user $k$",
    "\\sigma": "the noise standard deviation",
    "R_k": "the achievable rate of user $k$",
}


def toy_paper(paper_id: str = "toy.0001", equations: list[str] | None = None) -> Paper:
    """A small MISO downlink paper written for the tests (textbook equations)."""
    latex = equations or [
        "y_k = \\mathbf{h}_k^H \\mathbf{x} + n_k",
        "R_k = \\log_2\\left(1 + \\frac{|\\mathbf{h}_k^H \\mathbf{w}_k|^2}{\\sum_{j\\neq k} |\\mathbf{h}_k^H \\mathbf{w}_j|^2 + \\sigma^2}\\right)",
        "x = 1",
    ]
    return Paper(
        paper_id=paper_id,
        title="Linear Precoding in a Toy Multiuser MISO Downlink",
        abstract="We study linear precoding for a multiuser MISO downlink channel with a multi-antenna base station.",
        license="https://creativecommons.org/licenses/by/4.0/",
        sections=["System Model"],
        equations=[Equation(latex=e, number=str(i), section="System Model",
                            context_before="A base station with many antennas serves several single-antenna users over a fading channel. "
                                           "The channels and precoders are vectors $\\mathbf{h}_k \\in \\mathbb{C}^{N}$, "
                                           "$\\mathbf{w}_k \\in \\mathbb{C}^{N}$ and $\\mathbf{x} \\in \\mathbb{C}^{N}$.",
                            definitions=DEFINITIONS) for i, e in enumerate(latex, 1)],
    )
