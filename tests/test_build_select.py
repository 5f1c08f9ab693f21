"""Selection: trivial, overlong, unparseable and low-confidence equations skipped with reasons."""

from __future__ import annotations

import pytest
from fixtures_build import CASES, toy_paper

from wmbench.build.select import (
    SelectConfig,
    argument_step,
    clean_latex,
    equation_skip_reason,
    form_topic,
    paper_skip_reason,
    select_equations,
)
from wmbench.paper import Equation, Paper


@pytest.mark.parametrize("case", CASES["select"], ids=lambda c: c["latex"][:30])
def test_equation_skip_reason(case: dict) -> None:
    equation = Equation(latex=case["latex"], source=case.get("source", "latex"), confidence=case.get("confidence", 1.0))
    assert equation_skip_reason(equation, clean_latex(case["latex"])) == case["reason"]


@pytest.mark.parametrize("case", CASES["clean"], ids=lambda c: c["latex"][:30])
def test_clean_latex(case: dict) -> None:
    assert clean_latex(case["latex"]) == case["clean"]


def test_select_records_why_each_equation_is_skipped() -> None:
    paper = toy_paper()
    kept, skipped = select_equations(paper)
    assert [k.index for k in kept] == [1, 2]
    assert skipped == {3: "trivial: a pure definition (symbol = number)"}
    assert kept[1].topic == "achievable rate"


def test_select_keeps_the_best_equations_when_there_are_many() -> None:
    paper = toy_paper(equations=[f"y_{i} = h_{i} x + n_{i}" for i in range(1, 6)])
    kept, skipped = select_equations(paper, SelectConfig(max_equations_per_paper=3))
    assert [k.index for k in kept] == [1, 2, 3]
    assert set(skipped) == {4, 5} and "best 3" in skipped[4]


def test_papers_without_equations_or_off_topic_are_skipped() -> None:
    assert paper_skip_reason(Paper(paper_id="empty", title="Wireless channels")) == "no display equations"
    off_topic = Paper(paper_id="cake", title="Baking sourdough", abstract="Flour and water.",
                      equations=[Equation(latex="y = a + b")])
    assert "not about wireless" in paper_skip_reason(off_topic)
    assert paper_skip_reason(toy_paper()) is None


def test_a_continuation_row_is_a_derivation_step_and_is_skipped() -> None:
    rows = [
        ("R_{\\mathrm{sum}} &= \\sum_{k=1}^{K} \\log_2(1+\\gamma_k)", True),
        ("&\\leq K \\log_2\\left(1+\\frac{1}{K}\\sum_{k=1}^{K}\\gamma_k\\right)", True),  # Jensen
        ("&= K \\log_2(1+\\bar{\\gamma})", True),
        ("&= y + z + w + v", False),  # not in an aligned block: no chain to continue
    ]
    paper = toy_paper()
    paper.equations = [Equation(latex=latex, aligned=aligned, context_before="The sum rate over the users.")
                       for latex, aligned in rows]
    kept, skipped = select_equations(paper)
    assert [k.latex for k in kept] == ["R_{\\mathrm{sum}} = \\sum_{k=1}^{K} \\log_2(1+\\gamma_k)"]
    chain = "a derivation step: a row continuing the chain of relations above"
    assert skipped == {2: chain, 3: chain, 4: "continuation row of a multi-line equation (starts with a relation)"}


# (region, section, context before, latex, reason or None): steps of an argument are no
# system-model equations; the structure ingestion recorded decides first, then the last clause.
ARGUMENT_STEPS = [
    ("body", "System Model", "The signal received at user $k$ is", "y_k = h_k x_k + n_k", None),
    ("body", "System Model", "At the receiver, we have", "y_k = h_k x_k + n_k", None),  # no connective
    ("proof", "Performance Analysis", "Since the terms are independent,", "a = b + c", "a step of an argument: inside a proof"),
    ("appendix", "Proof of Lemma 1", "", "a = b + c", "a step of an argument: inside an appendix"),
    ("body", "Appendix B: Proof of Theorem 2", "", "a = b + c", "a step of an argument: in an appendix or proof section"),
    ("body", "B. Proof of Lemma 3", "", "a = b + c", "a step of an argument: in an appendix or proof section"),
    ("body", "Convergence Proof", "At iteration $k$, the spacing is", "a = b + c", "a step of an argument: in an appendix or proof section"),
    ("body", "Proofreading the Model", "", "a = b + c", None),  # a word that only starts like one
    ("body", "Proposed Scheme", "", "R \\overset{(a)}{=} \\log_2(1+x)", "a derivation step: its relations carry justifications"),
    ("body", "Proposed Scheme", "", "R \\overset{\\mathrm{def}}{=} \\log_2(1+x)", None),  # a definition sign
    ("body", "Analysis", "Substituting (5) into (3) gives", "R = \\log_2(1+x)", "a derivation step: the sentence before it derives it from other equations"),
    ("body", "Analysis", "The rate is known. Thus, we obtain", "R = \\log_2(1+x)", "a derivation step: the sentence before it derives it from other equations"),
    ("body", "Analysis", "From (7), we have", "R = \\log_2(1+x)", "a derivation step: the sentence before it derives it from other equations"),
    ("body", "Analysis", "It follows that", "R = \\log_2(1+x)", "a derivation step: the sentence before it derives it from other equations"),
    ("body", "Analysis", "The objective can be rewritten as", "R = \\log_2(1+x)", "a derivation step: the sentence before it derives it from other equations"),
    ("body", "Analysis", "The rate is upper bounded by", "R \\leq \\log_2(1+x)", "a derivation step: the sentence before it derives it from other equations"),
    ("body", "Traffic Model", "The sizes must satisfy", "\\forall k: \\quad s_k > 0 \\iff k \\le N",
     "a logical statement (a quantifier or an implication), not a model equation"),
    ("body", "Traffic Model", "", "x_k = 1 \\Rightarrow y_k = 0", "a logical statement (a quantifier or an implication), not a model equation"),
    ("body", "Traffic Model", "", "R = \\sum_{k \\in \\mathcal{K}} r_k", None),
    # only the last sentence counts: an earlier derivation does not make the model a step
    ("body", "System Model", "Substituting (2) into (1) was done above. The achievable rate of user $k$ is",
     "R = \\log_2(1+x)", None),
]


@pytest.mark.parametrize(("region", "section", "before", "latex", "reason"), ARGUMENT_STEPS,
                         ids=[f"{row[0]}-{row[2][:20]}-{row[3][:12]}" for row in ARGUMENT_STEPS])
def test_steps_of_an_argument_are_skipped_with_a_reason(region, section, before, latex, reason) -> None:
    equation = Equation(latex=latex, section=section, context_before=before, region=region)
    assert argument_step(equation, clean_latex(latex)) == reason
    assert equation_skip_reason(equation, clean_latex(latex)) == reason


# (equation, topic its form gives): the context's words decide only when the form does not
FORM_TOPICS = [
    (r"R_{\mathrm{sum}} = \sum_{k=1}^{K}\log_2\left(1+\gamma_k\right)", "achievable rate"),  # not "SINR"
    (r"\min_{\{\mathbf{w}_k\}}\quad \mathrm{CRB}(\theta)", "optimization problem"),
    (r"\mathrm{PL}_{\max} = 20\log_{10} d", None),  # a \max in a subscript is no optimization
    (r"\sum_{n=1}^{N}p_n\leq P_{\mathrm{t}}", "constraint"),  # the k=1 of a sum is no equation sign
    (r"\gamma_k \geq \Gamma_k", "constraint"),
    (r"y_k = \mathbf{h}_k^H \mathbf{x} + n_k", "received signal model"),
    (r"\gamma_k = \frac{P|h_k|^2}{\sigma^2}", "SINR"),
    (r"P_{\mathrm{out}} = 1 - e^{-x}", "outage probability"),
    (r"P_e = Q\left(\sqrt{2\gamma}\right)", "probability expression"),
    (r"\Pr\left(C_{\mathrm{s}}>0\right) = \frac{a}{a+b}", "probability expression"),
    (r"C = B\log_2(1+\rho)", "channel capacity"),
    (r"\mathbf{H} = \sqrt{\beta}\,\mathbf{G}", "channel model"),
    (r"P_{\mathrm{tot}} = \frac{1}{\epsilon}P_{\mathrm{t}} + P_{\mathrm{c}}", "energy and power model"),
    (r"\theta_n^\star = \arg(b) - \arg(a_n)", None),
    (r"f_{\gamma_i}(x) = \frac{1}{\bar{\gamma}_i}\exp\left(-\frac{x}{\bar{\gamma}_i}\right)", "probability expression"),
    (r"f_{k} = \frac{c_k D_k}{T_k}", None),  # a CPU frequency, not a density
    (r"\lim_{\rho_{\mathrm{t}}\to\infty}\bar{R}_2 = \log_2\left(1+\frac{a_2}{a_1}\right)", "achievable rate"),
]


@pytest.mark.parametrize(("latex", "topic"), FORM_TOPICS)
def test_the_form_of_an_equation_gives_its_topic_first(latex: str, topic: str | None) -> None:
    assert form_topic(latex) == topic


def test_a_row_under_an_optimization_problem_is_a_constraint() -> None:
    """Rows of one aligned block share its context; a row whose form says nothing ("|v_n| = 1,
    n = 1..N") under an objective or a constraint is a constraint, whatever the context's words."""
    context = "We maximise the minimum rate over the users:"
    rows = ["\\max_{\\mathbf{v}} \\quad \\min_k R_k", "\\text{s.t.} \\quad 0 \\le p_k \\le P, \\quad \\forall k,",
            "\\left|v_n\\right| = \\beta, \\quad n = 1, \\ldots, N."]
    paper = toy_paper()
    paper.equations = [Equation(latex=latex, aligned=True, context_before=context, context_after="It is hard.")
                       for latex in rows]
    paper.equations.append(Equation(latex="\\left|v_n\\right| = \\beta", context_before=context))  # alone
    kept, _ = select_equations(paper)
    assert [k.topic for k in kept] == ["optimization problem", "constraint", "constraint", "achievable rate"]


def test_the_sentence_introducing_an_equation_decides_its_topic_before_the_paragraph() -> None:
    """A wider context word (here "probability") loses to the sentence right before the equation."""
    context = "The line-of-sight probability follows a sigmoid. The path loss of a line-of-sight link is"
    paper = toy_paper()
    paper.equations = [Equation(latex="\\mathrm{PL} = 20\\log_{10}(d) + \\eta", context_before=context)]
    kept, _ = select_equations(paper)
    assert [k.topic for k in kept] == ["channel model"]


def test_a_paper_without_an_abstract_is_judged_by_its_equations_contexts() -> None:
    equations = [Equation(latex="y = h x + n", context_before="The base station serves each user over a fading channel.")]
    assert paper_skip_reason(Paper(paper_id="p", title="Notes", equations=equations)) is None
    cake = [Equation(latex="y = a + b", context_before="Flour and water rise overnight.")]
    assert "not about wireless" in paper_skip_reason(Paper(paper_id="c", title="Notes", equations=cake))
    # with an abstract, the contexts are not read: the abstract says what the paper is about
    baked = Paper(paper_id="b", title="Notes", abstract="Sourdough timing.", equations=equations)
    assert "not about wireless" in paper_skip_reason(baked)


# (title, abstract, wireless?): the lexicon reads WLAN and random-access papers as wireless, and
# keeps papers whose only overlap is a word with another meaning (a CNN's channels) out.
RELEVANCE_CASES = [
    ("Uplink OFDMA Random Access in IEEE 802.11ax WLANs",
     "Stations contend for resource units after a trigger frame of the access point.", True),
    ("Multi-AP Coordination for Wi-Fi 7", "Joint transmission among access points.", True),
    ("Rate Adaptation for 802.11ac", "A minstrel-like algorithm.", True),  # an amendment of a standard
    ("Throughput of CSMA/CA", "We model the medium access of contending stations.", True),
    ("Channel Pruning for Convolutional Networks", "We remove channels of a CNN with little accuracy loss.", False),
    ("Baking sourdough", "Flour, water and user-friendly recipes.", False),
    ("Graph Capacity", "The Shannon capacity of a graph and its independence number.", False),
]


@pytest.mark.parametrize(("title", "abstract", "wireless"), RELEVANCE_CASES, ids=[c[0][:24] for c in RELEVANCE_CASES])
def test_paper_relevance(title: str, abstract: str, wireless: bool) -> None:
    paper = Paper(paper_id="p", title=title, abstract=abstract, equations=[Equation(latex="y = a + b")])
    assert (paper_skip_reason(paper) is None) is wireless


def test_an_equation_ingestion_marked_is_skipped_with_its_reason() -> None:
    equation = Equation(latex="y = \\sqrt{P} h x + n", skip="template text (a sample or placeholder section of the draft)")
    assert equation_skip_reason(equation, clean_latex(equation.latex)) == equation.skip


# (equation, skipped as a numerical setting): a simulation parameter is no equation to complete
SETTINGS = [
    ("\\text{SINR}_{\\text{SU}}(k,i){=}{-}6\\ \\text{dB}", True),
    ("\\text{SINR}_{\\text{PU}}(k,i) = 11\\,\\mathrm{dB}", True),
    ("f_c = 28 GHz", True),
    ("P_{\\max} = 30\\ \\text{dBm}", True),
    ("\\gamma_k = \\frac{P |h_k|^2}{\\sigma^2}", False),
    ("C = B \\log_2(1 + 10)", False),
]


@pytest.mark.parametrize(("latex", "setting"), SETTINGS, ids=[s[0][:24] for s in SETTINGS])
def test_numerical_settings_are_skipped(latex: str, setting: bool) -> None:
    reason = equation_skip_reason(Equation(latex=latex, section="Numerical Results"), clean_latex(latex))
    assert (reason == "trivial: a numerical setting (symbol = number and unit)") == setting, reason


# (equation, cleaned): layout that prints nothing is no part of an answer
LAYOUT = [
    ("x > \\mathrlap{0} \\phantom{\\infty} \\iff k \\le N", "x > 0  \\iff k \\le N"),
    ("y = \\hphantom{a} b + c", "y =  b + c"),
    ("y = \\mathclap{b} + c", "y = b + c"),
]


@pytest.mark.parametrize(("latex", "clean"), LAYOUT)
def test_layout_is_cleaned_away(latex: str, clean: str) -> None:
    assert clean_latex(latex) == clean
