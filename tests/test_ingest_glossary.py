"""The paper-wide glossary: table-driven sentence cases (tests/data/glossary_cases.json),
equations introduced by a noun phrase, the Paper hand-off, and real example papers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wmbench.ingest import discover_papers, ingest_paper
from wmbench.ingest.definitions import names_something
from wmbench.ingest.glossary import build_glossary, equation_glossary, is_latex_symbol
from wmbench.ingest.pdf_path import pdf_symbol_latex
from wmbench.paper import Equation, Paper

REPO = Path(__file__).resolve().parents[1]
CASES = json.loads((REPO / "tests" / "data" / "glossary_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_glossary_case(case: dict) -> None:
    assert build_glossary(case["text"], case["syntax"], pdf_symbol_latex) == case["expected"]


def test_glossary_is_deterministic_and_in_reading_order() -> None:
    text = "Here, $\\beta$ denotes the path loss. The transmit power $P$ is fixed. A BS with $N$ antennas."
    first = build_glossary(text, "latex")
    assert list(first) == ["\\beta", "P", "N"]
    assert json.dumps(build_glossary(text, "latex")) == json.dumps(first)


SYMBOL_CASES = [
    ("h_k", True), ("\\mathbf{h}_{k}", True), ("\\bar{\\gamma}_{\\mathrm{B}}", True), ("\\sigma^2", True),
    ("\\gamma^\\star", True), ("N_{\\mathrm{RF}}", True), ("P/\\sigma^2", False), ("\\log_2", False),
    ("x+y", False), ("10", False), ("\\mathbf{y}=[y_1]", False), ("E_1(\\cdot)", False),
]


@pytest.mark.parametrize(("latex", "expected"), SYMBOL_CASES)
def test_is_latex_symbol(latex: str, expected: bool) -> None:
    assert is_latex_symbol(latex) is expected


EQUATION_CASES = [
    (("P_{\\mathrm{tot}}(\\mathbf{p}) = \\frac{1}{\\epsilon}\\sum_n p_n", "The total power is modelled as"),
     {"P_{\\mathrm{tot}}": "the total power"}),
    (("R = \\log_2(1+\\gamma)", "Then the achievable rate is given by"), {"R": "the achievable rate"}),
    (("R_1 = \\log_2(1+\\gamma_1)", "the achievable rates of the two users are"), {}),  # object of "of"
    (("d = \\sqrt{h^2+r^2}", "The link distance and the elevation angle are"), {}),  # a list: which one?
    (("P_{\\mathrm{tot}}(\\mathbf{p}) = \\frac{1}{\\epsilon}\\sum_n p_n", "per subcarrier. The total power consumed by the transmitter is modelled as"),
     {"P_{\\mathrm{tot}}": "the total power consumed by the transmitter"}),  # the whole short subject
    (("\\gamma_k = \\frac{S}{I}", "Treating interference as noise, the SINR of user $k$ is"),
     {"\\gamma_k": "the SINR of user $k$"}),
    (("\\mathbf{y} = \\mathbf{h} x + \\mathbf{n}", "at the AP. The signal received at the AP reads"),
     {"\\mathbf{y}": "the signal received at the AP"}),  # "the AP" is the object of "at", not the subject
    (("\\mathbf{h}_k = \\mathbf{d}_k + \\mathbf{G}\\mathbf{r}_k", "The effective channel of user $k$ is then"),
     {"\\mathbf{h}_k": "the effective channel of user $k$"}),
    (("\\hat{\\theta} = \\arg\\max_{\\vartheta} f(\\vartheta)", "The angle that the transmitter should illuminate is then"),
     {"\\hat{\\theta}": "the angle that the transmitter should illuminate"}),  # not "the transmitter ..."
    (("a + b = c", "The sum is"), {}),  # left-hand side is no symbol
    (("R = \\log_2(1+\\gamma)", "We now bound it."), {}),  # not introduced by a noun phrase
]


@pytest.mark.parametrize(("pair", "expected"), EQUATION_CASES)
def test_equation_left_hand_sides(pair: tuple[str, str], expected: dict[str, str]) -> None:
    assert equation_glossary([pair]) == expected


def test_paper_json_without_glossary_still_loads(tmp_path: Path) -> None:
    old = {"paper_id": "old.1", "title": "T", "equations": [{"latex": "y = x"}], "schema_version": 1}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    paper = Paper.load(path)
    assert paper.glossary == {} and paper.equations[0].latex == "y = x"
    paper.glossary["P"] = "the transmit power"
    assert Paper.from_dict(json.loads(paper.to_json())).glossary == {"P": "the transmit power"}


@pytest.mark.parametrize(("paper_id", "expected"), [
    ("2501.00001v1", {"M": "the number of antennas", "K": "the number of single-antenna users",
                      "P": "the maximum transmit power"}),  # LaTeX source: prose and where clauses
    ("2501.00007v1", {"N_{t}": "the number of antennas", "\\rho": "the average received power"}),  # PDF only
])
def test_example_paper_glossary(paper_id: str, expected: dict[str, str]) -> None:
    item = next(p for p in discover_papers(REPO / "examples" / "papers")[0] if p.paper_id == paper_id)
    glossary = ingest_paper(item).glossary
    assert {k: glossary.get(k) for k in expected} == expected


def test_an_equation_introduction_wins_where_it_says_more() -> None:
    """Prose said "the effective channel becomes $h_k = ...$" later; the display equation was
    introduced as "The effective channel of user $k$ is": the longer description is kept."""
    from wmbench.ingest.assemble import _glossary

    equations = [Equation(latex="h_k = d_k + G r_k", context_before="The effective channel of user $k$ is"),
                 Equation(latex="P = 1", context_before="The power is")]
    prose = {"h_k": "the effective channel", "P": "the transmit power"}
    assert _glossary(prose, equations) == {"h_k": "the effective channel of user $k$", "P": "the transmit power"}


# What a paper states of a symbol besides its meaning: (prose, symbol, space, domain, unit).
FACT_CASES = [
    ("Let $\\mathbf{h}_k \\in \\mathbb{C}^{N\\times 1}$ be the channel.", "\\mathbf{h}_k", "\\mathbb{C}^{N\\times 1}", None, None),
    ("The matrices $\\mathbf{G}, \\mathbf{F} \\in \\mathbb{R}^{M\\times N}$ are known.", "\\mathbf{F}", "\\mathbb{R}^{M\\times N}", None, None),
    ("where $\\mathbf{w}$ is an $N \\times 1$ beamforming vector", "\\mathbf{w}", "N \\times 1", None, None),
    ("and the $M\\times N$ channel matrix $\\mathbf{G}$ is", "\\mathbf{G}", "M\\times N", None, None),
    ("with phase $\\theta_n \\in [0, 2\\pi)$ for all", "\\theta_n", None, "\\theta_n \\in [0, 2\\pi)", None),
    ("each $\\beta_n \\in \\{0, 1\\}$ tells", "\\beta_n", None, "\\beta_n \\in \\{0, 1\\}", None),
    ("a power $P > 0$ and", "P", None, "P > 0", None),
    ("with $0 \\le \\rho \\le 1$ the split", "\\rho", None, "0 \\le \\rho \\le 1", None),
    ("with $\\mathbf{a} = [a_1, \\dots, a_M]^T \\in \\mathbb{C}^{M}$ the code", "\\mathbf{a}", "\\mathbb{C}^{M}", None, None),
    ("and $\\mathbf{g}_{m} \\in \\mathbb{C}^{N_{\\mathrm{c}}} \\sim \\mathcal{CN}(0, \\mathbf{I})$ holds", "\\mathbf{g}_{m}",
     "\\mathbb{C}^{N_{\\mathrm{c}}}", None, None),
    ("the bandwidth $B$ (in Hz) and", "B", None, None, "Hz"),
    ("the power $P_t$ (W) of", "P_t", None, None, "W"),
    ("the distance $d_k$ in meters between", "d_k", None, None, "meters"),
    ("the noise power $\\sigma^2$ in dBm is", "\\sigma^2", None, None, "dBm"),
]


@pytest.mark.parametrize(("text", "symbol", "space", "domain", "unit"), FACT_CASES)
def test_symbol_facts_read_sets_domains_and_units(text: str, symbol: str, space, domain, unit) -> None:
    from wmbench.ingest.symbol_facts import SymbolFacts, symbol_facts

    assert symbol_facts([text]).get(symbol) == SymbolFacts(space, domain, unit)


def test_symbol_facts_from_equations_and_first_statement_wins() -> None:
    from wmbench.ingest.symbol_facts import symbol_facts

    facts = symbol_facts(["the vector $\\mathbf{x} \\in \\mathbb{C}^{N}$ is sent"],
                         ["\\mathbf{x} \\in \\mathbb{C}^{M}, \\quad \\mathbf{n} \\in \\mathbb{C}^{M}"])
    assert facts["\\mathbf{x}"].space == "\\mathbb{C}^{N}"
    assert facts["\\mathbf{n}"].space == "\\mathbb{C}^{M}"
    assert "$" not in "".join(facts)  # no stray maths delimiters in the keys


# (description, whether it defines anything): vague, cut or garbled descriptions define nothing
DESCRIPTION_CASES = [
    ("the noise power", True),
    ("the channel of user $k$", True),
    ("the variance of the receiver noise", True),
    ("the transmit power (in W)", True),
    ("the larger", False),                          # no head noun
    ("the variance", False),                        # a head noun with no complement: the variance of what?
    ("a scaled copy of the noise both of", False),  # cut short at a preposition
    ("the gain between the", False),
    ("the power of", False),
    ("the gain \\alpha of the link", False),        # maths outside $...$
    ("the sum $a_k + b", False),                    # unbalanced inline maths
    ("x_k the power", False),
    ("the rate-", False),                           # cut at a hyphen
    ("the time", False),                            # the time of what?
    ("each entry", False),
    ("the time needed to upload the model", True),
]


@pytest.mark.parametrize(("description", "expected"), DESCRIPTION_CASES)
def test_names_something(description: str, expected: bool) -> None:
    assert names_something(description) is expected
