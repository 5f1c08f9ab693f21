"""Question text per problem type from templates; the seeded key picks the wording.

An equation is named in the paper's own words when the paper says what its left-hand side is
("the equation for the SINR of user $k$"), else neutrally by its left-hand side and section
("the equation for $\\mathbf{y}_k$ in the "System Model" section"). A letter alone never names a
quantity: an ``R`` may be a resistance as well as a rate, so the topic of the equation (read from
its form for the by-topic breakdowns) never names it in a question.
"""

from __future__ import annotations

from dataclasses import dataclass

from wmbench.generate.masking import seeded_rng

_COUNT = {1: "the missing expression", 2: "the two missing expressions", 3: "the three missing expressions"}

_FILL = (
    "Fill in {blanks} of {equation}.",
    "Complete {equation} by filling in {blanks}.",
    "What {verb} {blanks} in {equation}?",
)
_FULL = (  # the paper says what the equation gives
    "Write the complete equation for {subject}.",
    "Write down the full equation for {subject}.",
)
_FULL_LHS = (
    "Write the complete equation that gives ${lhs}$ ({subject}).",
    "Write the full equation for ${lhs}$, {subject}.",
)
_FULL_NEUTRAL = (  # only the left-hand side is known: the background's symbols make the rest
    "Write the complete equation for ${lhs}${where}, in terms of the symbols defined in the background.",
    "Using the symbols defined in the background, write the full equation for ${lhs}${where}.",
)
_FULL_UNNAMED = (
    "Write the complete equation{where} that relates the symbols defined in the background.",
)
_MCQ = (
    "Which expression correctly completes {equation}?",
    "Which option gives the missing expression of {equation}?",
    "Select the expression that fills the blank in {equation}.",
)


@dataclass(frozen=True)
class Naming:
    """What a question may call the equation: ``subject`` is the paper's description of the
    left-hand side ("the SINR of user $k$"), ``lhs`` the left-hand side when the problem shows it,
    ``section`` the section the equation sits in."""

    subject: str | None = None
    lhs: str | None = None
    section: str | None = None

    @property
    def where(self) -> str:
        return f" in the \"{self.section}\" section" if self.section else ""

    def equation(self) -> str:
        """"the equation for the SINR of user $k$", "the equation for $y_k$ in the ... section", or
        "the equation in the ... section"."""
        if self.subject:
            return f"the equation for {self.subject}"
        if self.lhs:
            return f"the equation for ${self.lhs}${self.where}"
        return f"the equation{self.where}" if self.section else "the equation shown"


def full_question_possible(naming: Naming, defines_symbols: bool) -> bool:
    """Whether a solver can know which equation ``fill_blank_100`` asks for: the question names
    it, or the background defines symbols for it to relate."""
    return bool(naming.subject) or defines_symbols


def question_text(ptype: str, n_blanks: int, *key: object, naming: Naming = Naming()) -> str:
    """The question for one problem, its wording picked by the seeded ``key``."""
    rng = seeded_rng(*key, "question")
    if ptype == "MCQ":
        pool = _MCQ
    elif ptype == "fill_blank_100":
        pool = (_FULL_LHS if naming.lhs else _FULL) if naming.subject else _FULL_NEUTRAL if naming.lhs else _FULL_UNNAMED
    else:
        pool = _FILL
    template = pool[rng.randrange(len(pool))]
    blanks = _COUNT.get(n_blanks, f"the {n_blanks} missing expressions")
    return template.format(equation=naming.equation(), subject=naming.subject, blanks=blanks,
                           verb="is" if n_blanks == 1 else "are", lhs=naming.lhs, where=naming.where)
