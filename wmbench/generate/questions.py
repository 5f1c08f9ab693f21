"""Question text per problem type from templates; the seeded key picks the wording.

An equation is named by what its left-hand side is, when the paper says so ("the equation for
the SINR of user $k$"), else by its topic ("the SINR equation").
"""

from __future__ import annotations

from wmbench.generate.masking import seeded_rng

_COUNT = {1: "the missing expression", 2: "the two missing expressions", 3: "the three missing expressions"}

_FILL = (
    "Fill in {blanks} of {equation}.",
    "Complete {equation} by filling in {blanks}.",
    "What {verb} {blanks} in {equation}?",
)
_FULL = (
    "Write the complete equation for {what}.",
    "Write down the full equation for {what} described in the background.",
)
_FULL_LHS = (
    "Write the complete equation that gives ${lhs}$ ({what}).",
    "Write the full equation for ${lhs}$, {what}.",
)
_MCQ = (
    "Which expression correctly completes {equation}?",
    "Which option gives the missing expression of {equation}?",
    "Select the expression that fills the blank in {equation}.",
)


def question_text(ptype: str, topic: str, n_blanks: int, *key: object, lhs: str | None = None,
                  subject: str | None = None) -> str:
    """The question for one problem; ``topic`` is a noun phrase like "SINR", ``subject`` what the
    left-hand side is ("the SINR of user $k$"), when known."""
    rng = seeded_rng(*key, "question")
    if ptype == "MCQ":
        template = _MCQ[rng.randrange(len(_MCQ))]
    elif ptype == "fill_blank_100":
        pool = _FULL_LHS if lhs else _FULL
        template = pool[rng.randrange(len(pool))]
    else:
        template = _FILL[rng.randrange(len(_FILL))]
    blanks = _COUNT.get(n_blanks, f"the {n_blanks} missing expressions")
    equation = f"the equation for {subject}" if subject else f"the {topic} equation"
    return template.format(equation=equation, what=subject or f"the {topic}", blanks=blanks,
                           verb="is" if n_blanks == 1 else "are", lhs=lhs)
