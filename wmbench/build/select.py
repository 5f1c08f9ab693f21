"""Which papers and equations are worth problems, and why the others are skipped.

Papers are scored by mathematical density (display equations) and wireless relevance (a
lexicon over title, abstract and sections). Equations are cleaned of labels and trailing
punctuation, skipped when trivial, overlong, unparseable, a low-confidence PDF reconstruction or
a step of an argument rather than a system-model equation (:func:`argument_step`), and otherwise
classified into a topic (SINR, rate, signal model...) scored by the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wmbench.errors import GenerationError
from wmbench.generate.latex_tree import count_tokens, parse
from wmbench.paper import Equation, Paper
from wmbench.schema import MASK


@dataclass(frozen=True)
class SelectConfig:
    min_tokens: int = 5
    max_tokens: int = 110
    min_pdf_confidence: float = 0.6
    max_equations_per_paper: int = 12
    min_relevance: int = 1  # lexicon hits a paper needs


@dataclass(frozen=True)
class Selected:
    """An equation kept for generation: its index in the paper, cleaned LaTeX and topic."""

    index: int
    equation: Equation
    latex: str
    topic: str
    score: float


# Wireless lexicon: terms in a paper's title, abstract and section names (a plural counts too).
# A strong term is about radio communication on its own; a weak one also names other things (a
# CNN's channels, a database's users, a graph's capacity), so it takes two of them to count.
WIRELESS_TERMS = (
    "wireless", "antenna", "mimo", "miso", "simo", "ofdm", "ofdma", "beamforming", "precoding", "precoder", "sinr",
    "snr", "fading", "rayleigh", "rician", "outage", "base station", "uplink", "downlink", "spectral efficiency",
    "ris", "irs", "reconfigurable intelligent surface", "intelligent reflecting surface", "mmwave", "millimeter wave",
    "terahertz", "uav", "noma", "massive mimo", "cellular", "5g", "6g", "lte", "satellite communication", "isac",
    "radar", "modulation", "path loss", "power allocation", "secrecy", "energy harvesting", "wlan", "wi-fi", "wifi",
    "802.11", "802.15.4", "access point", "random access", "medium access", "csma", "mac protocol",
    "spectrum sensing", "cognitive radio", "radio", "transceiver", "backscatter", "physical layer", "multipath",
    "handover", "leo", "jamming", "eavesdropper", "channel estimation", "channel state information", "bluetooth",
    "zigbee", "mobile network", "ad hoc network", "sensor network",
)
WEAK_WIRELESS_TERMS = (
    "channel", "capacity", "interference", "relay", "transmit", "transmitter", "receiver", "satellite", "throughput",
    "scheduling", "spectrum", "bandwidth", "packet", "propagation", "doppler", "constellation", "iot", "user",
)
# Equation topics: (topic phrase, LaTeX/context patterns, weight). The first match wins.
_TOPICS: tuple[tuple[str, re.Pattern[str], float], ...] = (
    ("outage probability", re.compile(r"outage|P_\{?\\?(?:mathrm\{)?out", re.I), 3.0),
    ("SINR", re.compile(r"SINR|SNR|signal-to-(?:interference|noise)|\\gamma_", re.I), 3.0),
    ("channel capacity", re.compile(r"capacity|C\s*=", re.I), 3.0),
    ("achievable rate", re.compile(r"\\log_?\{?2|\brate\b|spectral efficiency|R_", re.I), 3.0),
    ("optimization problem", re.compile(r"\\(?:max|min)_|maximi[sz]e|minimi[sz]e|s\.t\.", re.I), 2.5),
    ("probability expression", re.compile(r"probability|\\Pr\b|P_\{?\\mathrm\{N?LoS", re.I), 2.5),
    ("constraint", re.compile(r"\\leq?\b|\\geq?\b|constraint|budget", re.I), 2.0),
    ("received signal model", re.compile(r"received|y_|\\mathbf\{y\}|\+\s*\\?(?:mathbf\{)?n", re.I), 2.5),
    ("channel model", re.compile(r"channel|fading|path.?loss|\\mathbf\{[hH]\}|steering", re.I), 2.0),
    ("energy and power model", re.compile(r"energy|power|\bP_", re.I), 1.5),
)
_FALLBACK_TOPIC = ("system model", 1.0)
_LAST_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")  # splits a context into sentences
_WEIGHTS = {topic: weight for topic, _, weight in _TOPICS}
# What an equation is about, read from its form before any word of its context: an optimization
# problem, an inequality (a constraint), or the quantity its left-hand side defines. The
# context's words only decide when the form does not (a paper about SINR constraints must not
# make its CRB objective or its sum rate an "SINR equation").
# \max or \min as an operator (not the "max" of a subscript such as P_{\max})
_OPTIMIZATION = re.compile(r"(?<![{_])\\(?:max|min|arg\s*max|arg\s*min|operatorname\*?\{arg\\?,?\s*m(?:ax|in)\})(?![a-z])")
_INEQUALITY = re.compile(r"\\(?:le|leq|ge|geq|preceq|succeq)\b|<|>")
_LHS_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("outage probability", re.compile(r"^P_\{?\s*(?:\\mathrm\{)?(?:out|so)\b")),
    # Pr(.), LoS probabilities, error probabilities P_e / P_b, BER and SER
    ("probability expression", re.compile(r"^(?:\\Pr\b|\\mathbb\{P\}|P_\{?\s*(?:\\mathrm\{)?(?:N?LoS|e\b|b\b)"
                                          r"|\\(?:mathrm|text)\{(?:BER|SER|BLER)\})")),
    # a density or distribution of a random variable: f_{\gamma}(x), F_X(x)
    ("probability expression", re.compile(r"^[fF]_(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?[A-Za-z]+)\s*(?:\\left)?\(")),
    ("SINR", re.compile(r"^(?:\\gamma|\\Gamma|\\(?:mathrm|mathsf|text)\{S(?:I)?NR)(?![A-Za-z])")),
    ("channel capacity", re.compile(r"^(?:\\bar\{C\}|\\overline\{C\}|C)(?![A-Za-z])")),
    ("achievable rate", re.compile(r"^(?:\\bar\{R\}|\\overline\{R\}|R)(?![A-Za-z])")),
    ("received signal model", re.compile(r"^(?:\\(?:mathbf|boldsymbol|bm)\{y\}|y|Y)(?![A-Za-z])")),
    ("channel model", re.compile(r"^(?:\\(?:mathbf|boldsymbol|bm)\{[hHgG]\}|[hHgG])(?![A-Za-z])")),
    ("energy and power model", re.compile(r"^(?:E|P|\\eta_\{?\s*(?:\\mathrm\{)?EE)(?![A-Za-z])")),
)
# Every topic an equation can be given, the fallback last (the LLM classifier picks from these).
TOPIC_NAMES: tuple[str, ...] = (*(topic for topic, _, _ in _TOPICS), _FALLBACK_TOPIC[0])

# Clean-up of an ingested display equation.
_LABEL = re.compile(r"\\(?:label|tag)\*?\{[^{}]*\}|\\(?:nonumber|notag)\b")
# Layout that prints nothing of its own: \phantom{..} goes, \mathrlap{x} keeps its x.
_PHANTOM = re.compile(r"\\[hv]?phantom\s*\{[^{}]*\}")
_OVERLAP = re.compile(r"\\math[lrc]lap\s*\{([^{}]*)\}")
_TRAILING = re.compile(r"(?:\s|\\[,;:!]|\\q?quad\b|[,.;:]|\\\\)+$")
_ALIGN = re.compile(r"(?<!\\)&")
_SUCH_THAT = re.compile(r"^\\(?:text|mathrm)\{\s*s\.t\.\s*\}\s*(?:\\q?quad\b|\\[,;: ]|~)*\s*")
# A condition after the relation: ", \quad n = 1..N", "\quad \forall k", ", \ \forall m", "\text{ for } k".
_CONDITION = re.compile(r"(?:,\s*)?(?:\\q?quad\b|\\[,;: ]|~|\s)*(?:\\forall\b|\\text\{\s*(?:for|if|where|with)\b)"
                        r"|,\s*(?:\\q?quad\b|\\[,;: ]|~|\s)+\w+\s*(?:=|\\in\b)|\\q?quad\b")
_RELATION_IN = re.compile(r"=|<|>|\\(?:le|leq|ge|geq|approx|triangleq|sim|propto|neq)\b")
_LONE = re.compile(r"^\\?[A-Za-z]+(?:_\{?\w+\}?)?$|^-?\d+(?:\.\d+)?$")  # a lone symbol or number
_PURE_DEFINITION = re.compile(r"^[^=]{1,24}=\s*-?\d+(?:\.\d+)?$")  # x = 1, |v_n| = 1
# A numerical setting of a simulation: "\text{SINR}_k {=} {-}6\ \text{dB}", "f_c = 28 GHz".
_SETTING = re.compile(r"(?:=|\{=\})\s*(?:\{?\s*[-+]\s*\}?)?\s*\d+(?:\.\d+)?\s*(?:\\[ ,;:!]|~|\s)*"
                      r"(?:\\(?:text|mathrm|textrm)\s*\{[^{}]*\}|[A-Za-z]{1,4})?\s*$")
# a sign or box constraint on a symbol: p_k \geq 0, \eta_{mk} \le 1, 0 \leq x
_SYMBOL = r"\|?(?:\\[A-Za-z]+|[A-Za-z])(?:_\{[^{}]*\}|_\w)?\|?"  # x, p_k, \eta_{mk}, |v_n|
_NUMBER = r"-?\d+(?:\.\d+)?"
_BOUND = r"\s*(?:\\geq?|\\leq?|\\neq|[<>])\s*"
_PURE_BOUND = re.compile(rf"^(?:{_SYMBOL}{_BOUND}{_NUMBER}|{_NUMBER}{_BOUND}{_SYMBOL})$")
# Signs of a garbled PDF reconstruction: \sqrt without a braced argument, scripts on a whole
# fraction, a spaced-out "s . t .", scripts on a relation ("R =_{k} \sum_{= 1}": a sum's limits
# torn apart), a limit or script that starts with a relation or a comma.
_GREEK_LETTERS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "kappa", "lambda", "mu", "nu",
                  "xi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega")
_MALFORMED_PDF = re.compile(r"\\sqrt(?!\s*[\[{])|\\frac\{[^{}]*\}\{[^{}]*\}\s*[_^]|\\mathrm\{s\}\s*\."
                            r"|(?:[=<>]|\\[lg]eq?\b)\s*[_^]|[_^]\{\s*(?:[=<>,]|\\[lg]eq?\b)"
                            r"|\\(?:sum|prod|int)\s*[,.]?\s*$"  # a big operator left at the end: its body went elsewhere
                            rf"|\\(?:{'|'.join(_GREEK_LETTERS)})\s+\d")  # "\theta 1": a script of a script read inline
_CONTINUATION = re.compile(r"^(?:=|<|>|\\(?:le|leq|ge|geq|approx|triangleq|propto|sim|neq)\b)")

# -- steps of an argument: not system-model equations -------------------------------------------
# A logical statement: a quantifier or an implication/equivalence between conditions ("\forall k: x_k > 0 \iff k \le N").
_LOGIC = re.compile(r"\\(?:forall|exists|iff|implies|Leftrightarrow|Rightarrow|Longleftrightarrow|Longrightarrow)(?![A-Za-z])")
# A section that holds proofs: "Appendix A", "Proof of Theorem 1", "B. Proof of Lemma 2".
_ARGUMENT_SECTION = re.compile(r"^\s*(?:[A-Z0-9]{1,3}[.:)]\s*)?(?:appendix|appendices)\b|\bproofs?\b", re.IGNORECASE)
# A relation annotated with its justification: \overset{(a)}{=}, \stackrel{(b)}{\leq}.
_JUSTIFIED_RELATION = re.compile(r"\\(?:overset|stackrel)\s*\{\s*(?:\\text\{)?\(\s*[a-z0-9]{1,3}\s*\)")
_EQ_REF = r"(?:\(\s*\d+[a-z]?\s*\)|\\text\{\(?\d+\)?\})"  # "(5)", as the ingest prints an \eqref
# The clause just before an equation, when it announces a derivation step rather than a model.
_DERIVATION = re.compile(
    r"\b(?:substitut\w*|plugging|inserting|combining)\b"                      # substituting (5) into (3)
    r"|\bit\s+(?:follows|holds|is\s+(?:easy|straightforward)\s+to\s+(?:see|show|verify))\b"
    r"|\b(?:which|this)\s+(?:yields|gives|leads\s+to|results\s+in|implies)\b"
    r"|\b(?:can|could)\s+be\s+(?:re-?written|simplified|rewritten|reformulated|recast|expressed\s+equivalently)\b"
    r"|\b(?:upper|lower)[- ]bounded\b|\bequivalently\b|\breduces\s+to\b"
    # "we have" / "we obtain" after a connective or a reference: "Thus, we have", "From (5), we obtain"
    r"|(?:^|[.;:]\s*)(?:thus|hence|therefore|then|consequently|accordingly|so|as\s+a\s+result)\b[^.]*?\b(?:we|one)\s+"
    r"(?:have|has|get|obtain|arrive|can\s+(?:write|obtain|get|show|derive))\b"
    rf"|\b(?:from|using|by|with|in|into|applying|according\s+to)\s+(?:eq\.\s*)?{_EQ_REF}[^.]*?\b(?:we|one)\s+"
    r"(?:have|has|get|obtain|arrive|can)\b",
    re.IGNORECASE)


def argument_step(equation: Equation, latex: str) -> str | None:
    """Why an equation is a step of an argument (a proof, an appendix, a substitution, a derivation
    the clause before it announces), not an equation of the system model; None when it is not.

    The structure decides first: the environment or appendix ingestion recorded
    (:attr:`~wmbench.paper.Equation.region`), then the section title (a PDF knows only that);
    the words only of the last clause before the equation.
    """
    if equation.region != "body":
        return f"a step of an argument: inside {'a proof' if equation.region == 'proof' else 'an appendix'}"
    if equation.section and _ARGUMENT_SECTION.search(equation.section):
        return "a step of an argument: in an appendix or proof section"
    if _LOGIC.search(_outside_braces(latex)):
        return "a logical statement (a quantifier or an implication), not a model equation"
    if _JUSTIFIED_RELATION.search(latex):
        return "a derivation step: its relations carry justifications"
    clause = re.split(r"(?<=[.!?])\s+(?=[A-Z])", equation.context_before.strip())[-1]
    if _DERIVATION.search(clause[-240:]):
        return "a derivation step: the sentence before it derives it from other equations"
    return None


def paper_relevance(paper: Paper) -> int:
    """Lexicon hits in the title, abstract and section names (each term counted once, a weak term
    half); a paper without an abstract (none in the source, or none found) is read by its
    equations' contexts too."""
    parts = [paper.title, paper.abstract, *paper.sections]
    if not paper.abstract.strip():
        parts += [e.context_before for e in paper.equations]
    text = " ".join(parts).lower()
    strong = sum(1 for term in WIRELESS_TERMS if _TERM[term].search(text))
    weak = sum(1 for term in WEAK_WIRELESS_TERMS if _TERM[term].search(text))
    return strong + weak // 2


# A term may take a plural ("antennas", "WLANs"); a standard's number its amendment ("802.11ax"),
# but "802.11" is not read inside "802.115".
_TERM = {term: re.compile(rf"(?<![\w.]){re.escape(term)}(?:{'[a-z]{0,2}' if term[-1].isdigit() else 's|es'})?(?![\w])")
         for term in (*WIRELESS_TERMS, *WEAK_WIRELESS_TERMS)}


def paper_skip_reason(paper: Paper, config: SelectConfig = SelectConfig()) -> str | None:
    if not paper.equations:
        return "no display equations"
    if paper_relevance(paper) < config.min_relevance:
        return "not about wireless communications (no lexicon hits in title, abstract or sections)"
    return None


def clean_latex(latex: str) -> str:
    r"""The equation without labels, alignment marks, layout (\phantom, \mathrlap), a leading "s.t.", a trailing condition
    ("\quad \forall k", ", n = 1, ..., N") and trailing punctuation or spacing."""
    text = _ALIGN.sub("", _LABEL.sub("", latex))
    text = _OVERLAP.sub(r"\1", _PHANTOM.sub("", text)).strip()
    text = _SUCH_THAT.sub("", text)
    for match in _CONDITION.finditer(text):
        head = text[: match.start()]
        if _balanced(head) and _RELATION_IN.search(head):
            text = head
            break
    return _TRAILING.sub("", text).strip()


def _balanced(text: str) -> bool:
    return text.count("{") == text.count("}") and text.count("\\left") == text.count("\\right")


def equation_skip_reason(equation: Equation, latex: str, config: SelectConfig = SelectConfig()) -> str | None:
    """Why an equation makes no problem, or None when it is worth one."""
    if equation.skip:
        return equation.skip
    if equation.source == "pdf" and equation.confidence < config.min_pdf_confidence:
        return "low-confidence PDF reconstruction"
    if not latex:
        return "empty or only a label"
    if MASK in latex:
        return "contains the mask token"
    if not latex.isascii():
        return "non-LaTeX characters (a PDF reconstruction left Unicode in it)"
    if equation.source == "pdf" and (_MALFORMED_PDF.search(latex) or latex.count("(") != latex.count(")")):
        return "PDF reconstruction looks malformed"
    if _CONTINUATION.match(latex):
        return "continuation row of a multi-line equation (starts with a relation)"
    if step := argument_step(equation, latex):
        return step
    if _LONE.match(latex.replace(" ", "")):
        return "trivial: a lone symbol or number"
    if _PURE_DEFINITION.match(latex):
        return "trivial: a pure definition (symbol = number)"
    if _SETTING.search(latex):
        return "trivial: a numerical setting (symbol = number and unit)"
    if _PURE_BOUND.match(latex):
        return "trivial: a bound on a symbol (symbol vs number)"
    n = count_tokens(latex)
    if n < config.min_tokens:
        return "trivial: too short"
    if n > config.max_tokens:
        return "overlong"
    if "\\begin" in latex or "\\\\" in latex:
        return "multi-line or environment (matrix, cases, array)"
    try:
        tree = parse(latex)
    except GenerationError:
        return "not parseable LaTeX"
    if len(tree.sides) < 2 and len(tree.spans) < 2:
        return "no maskable sub-expressions"
    return None


def classify(equation: Equation, latex: str, block_topic: str | None = None) -> tuple[str, float]:
    """(topic phrase, worth score): from the equation's form when it tells, else (a row under an
    optimization problem's objective or constraints in one aligned block is a constraint too)
    from the block, else from the equation and the sentence introducing it."""
    topic = form_topic(latex)
    if topic is None and block_topic in ("optimization problem", "constraint"):
        topic = "constraint"  # "|v_n| = 1, n = 1..N" under "\max_{v} ... s.t. ..."
    if topic is not None:
        return topic, _WEIGHTS[topic]
    before = equation.context_before[-300:]
    for text in (f"{latex} {_LAST_SENTENCE.split(before)[-1]}", f"{latex} {before}"):  # the nearest words first
        for topic, pattern, weight in _TOPICS:
            if pattern.search(text):
                return topic, weight
    return _FALLBACK_TOPIC


def form_topic(latex: str) -> str | None:
    """The topic an equation's form alone gives, or None (see :data:`_LHS_TOPICS`)."""
    lhs = left_hand_side(latex)
    if _OPTIMIZATION.search(lhs if lhs is not None else latex):
        return "optimization problem"
    top = _outside_braces(latex)  # the k=1 of \sum_{k=1} is no relation of the equation
    if "=" not in top.replace("\\neq", "") and _INEQUALITY.search(top):
        return "constraint"
    if lhs is None:
        return None
    lhs = _without_limit(lhs)  # \lim_{\rho\to\infty} \bar{R}_2 is about a rate
    return next((topic for topic, pattern in _LHS_TOPICS if pattern.match(lhs)), None)


def _without_limit(lhs: str) -> str:
    """``lhs`` without a leading ``\\lim_{...}`` (its subscript may nest braces)."""
    if not lhs.startswith("\\lim_{"):
        return lhs
    depth = 0
    for i, char in enumerate(lhs[len("\\lim_"):], len("\\lim_")):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return lhs[i + 1:].lstrip()
    return lhs


def _outside_braces(latex: str) -> str:
    """``latex`` without its brace groups (innermost first, so nested ones go too)."""
    previous = None
    while previous != latex:
        previous, latex = latex, re.sub(r"\{[^{}]*\}", " ", latex)
    return latex


def select_equations(paper: Paper, config: SelectConfig = SelectConfig()) -> tuple[list[Selected], dict[int, str]]:
    """Kept equations (best scores, at most ``max_equations_per_paper``, in paper order) and the
    skip reason of every other equation by index.

    A row of an aligned block that starts with a relation (``&\\leq B`` under ``A &= C``)
    continues the chain above: a rewriting or a bound of a derivation, skipped as one.
    """
    kept: list[Selected] = []
    skipped: dict[int, str] = {}
    above: Selected | None = None  # the last row kept
    for index, equation in enumerate(paper.equations, 1):
        latex = clean_latex(equation.latex)
        if equation.aligned and _CONTINUATION.match(latex):
            skipped[index] = "a derivation step: a row continuing the chain of relations above"
            continue
        reason = equation_skip_reason(equation, latex, config)
        if reason:
            skipped[index] = reason
            continue
        block_topic = above.topic if above is not None and _same_block(above.equation, equation) else None
        topic, score = classify(equation, latex, block_topic)
        above = Selected(index, equation, latex, topic, score)
        kept.append(above)
    ranked = sorted(kept, key=lambda s: (-s.score, s.index))
    for extra in ranked[config.max_equations_per_paper:]:
        skipped[extra.index] = f"beyond the best {config.max_equations_per_paper} equations of the paper"
    best = sorted(ranked[: config.max_equations_per_paper], key=lambda s: s.index)
    return best, skipped


def _same_block(above: Equation, row: Equation) -> bool:
    """Whether two rows come from one aligned block (rows of a block share its context)."""
    return (above.aligned and row.aligned and above.context_before == row.context_before
            and above.context_after == row.context_after)


def left_hand_side(latex: str) -> str | None:
    """What stands before the first relation outside braces (``R`` of ``R = \\sum_{k=1} x_k``)."""
    for match in _RELATION_IN.finditer(latex):
        head = latex[: match.start()].strip()
        if _balanced(head):
            return head or None
    return None
