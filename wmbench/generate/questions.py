"""Question text per problem type from templates; the seeded key picks the wording."""

from __future__ import annotations

from wmbench.generate.masking import seeded_rng

_COUNT = {1: "the missing expression", 2: "the two missing expressions", 3: "the three missing expressions"}

_FILL = (
    "Fill in {blanks} of the {topic} equation.",
    "Complete the {topic} equation by filling in {blanks}.",
    "What {verb} {blanks} in the {topic} equation?",
)
_FULL = (
    "Write the complete equation for the {topic}.",
    "Write down the full {topic} equation described in the background.",
)
_FULL_LHS = (
    "Write the complete equation that gives ${lhs}$ (the {topic}).",
    "Write the full {topic} equation for ${lhs}$.",
)
_MCQ = (
    "Which expression correctly completes the {topic} equation?",
    "Which option gives the missing expression of the {topic} equation?",
    "Select the expression that fills the blank in the {topic} equation.",
)


def question_text(ptype: str, topic: str, n_blanks: int, *key: object, lhs: str | None = None) -> str:
    """The question for one problem; ``topic`` is a noun phrase like "SINR"."""
    rng = seeded_rng(*key, "question")
    if ptype == "MCQ":
        template = _MCQ[rng.randrange(len(_MCQ))]
    elif ptype == "fill_blank_100":
        pool = _FULL_LHS if lhs else _FULL
        template = pool[rng.randrange(len(pool))]
    else:
        template = _FILL[rng.randrange(len(_FILL))]
    blanks = _COUNT.get(n_blanks, f"the {n_blanks} missing expressions")
    return template.format(topic=topic, blanks=blanks, verb="is" if n_blanks == 1 else "are", lhs=lhs)
