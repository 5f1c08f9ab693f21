"""Choose which whole sub-expressions of an equation to hide for the fill-in types.

For each target ratio (25/50/75% of the equation's tokens) every set of up to ``max_blanks``
non-overlapping maskable spans (never notation: :func:`is_notation`) is
scored by its distance to the target; among the sets within ``near_best`` of the closest one, a
seeded choice picks one. ``fill_blank_100`` hides the whole
equation. :func:`fill_back` puts the answers back, and :func:`apply_masks` refuses any masking
whose answers do not reproduce the original equation exactly.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from wmbench.errors import GenerationError
from wmbench.generate.latex_tree import Span, Tree, count_tokens
from wmbench.schema import MASK

FILL_TARGETS: dict[str, float] = {"fill_blank_25": 0.25, "fill_blank_50": 0.50, "fill_blank_75": 0.75}


@dataclass(frozen=True)
class MaskConfig:
    """Knobs of the mask search."""

    tolerance: float = 0.125  # largest accepted |hidden ratio - target|
    near_best: float = 0.03  # sets this close to the best one are equally good; the seed picks
    max_blanks: int = 3
    max_candidates: int = 36  # spans considered (the largest ones first) to bound the search


@dataclass(frozen=True)
class Masking:
    """An equation with blanks: ``masked`` holds one ``[MASK]`` per answer, in order."""

    masked: str
    answers: tuple[str, ...]
    ratio: float

    @property
    def boxed(self) -> str:
        """The answers as the reference writes them: ``\\boxed{a}``, ``\\boxed{a} and \\boxed{b}``..."""
        parts = [f"\\boxed{{{a}}}" for a in self.answers]
        if len(parts) <= 2:
            return " and ".join(parts)
        return ", ".join(parts[:-1]) + ", and " + parts[-1]


def seeded_rng(*key: object) -> random.Random:
    """A random generator fixed by ``key`` (seed, ids...), identical in every process."""
    digest = hashlib.sha256("\x1f".join(map(str, key)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def fill_back(masked: str, answers: tuple[str, ...] | list[str]) -> str:
    """Substitute the answers for the ``[MASK]`` placeholders, in order."""
    pieces = masked.split(MASK)
    if len(pieces) != len(answers) + 1:
        raise GenerationError(f"equation {masked[:60]!r}", f"{len(pieces) - 1} blanks but {len(answers)} answers")
    out = [pieces[0]]
    for answer, piece in zip(answers, pieces[1:]):
        out += [answer, piece]
    return "".join(out)


def apply_masks(latex: str, spans: tuple[Span, ...] | list[Span]) -> Masking:
    """Hide ``spans`` (sorted, non-overlapping); checks that the answers fill back exactly."""
    pieces, answers, at = [], [], 0
    for span in sorted(spans, key=lambda s: s.start):
        pieces += [latex[at:span.start], MASK]
        answers.append(latex[span.start:span.end])
        at = span.end
    pieces.append(latex[at:])
    masked = "".join(pieces)
    if fill_back(masked, answers) != latex:
        raise GenerationError(f"equation {latex[:60]!r}", "answers do not fill back to the original")
    hidden = sum(count_tokens(a) for a in answers)
    return Masking(masked, tuple(answers), hidden / max(1, count_tokens(latex)))


def full_mask(latex: str) -> Masking:
    """``fill_blank_100``: the whole equation is the answer."""
    return Masking(MASK, (latex,), 1.0)


def choose_masks(tree: Tree, *key: object, config: MaskConfig = MaskConfig()) -> dict[str, Masking]:
    """One masking per fill-in target that can be met within tolerance, all different.

    ``key`` (seed, paper id, equation index) makes the choice among equally good sets repeatable.
    """
    sets = _candidate_sets(tree, config)
    chosen: dict[str, Masking] = {}
    used: set[int] = set()  # ids of the sets already chosen (each set is one tuple object of ``sets``)
    for ptype, target in FILL_TARGETS.items():
        options = [(abs(ratio - target), len(spans), spans) for spans, ratio in sets if id(spans) not in used]
        if not options:
            continue
        best = min(err for err, _, _ in options)
        if best > config.tolerance:
            continue
        near = sorted((n, [(s.start, s.end) for s in spans], spans) for err, n, spans in options if err <= best + config.near_best)
        fewest = near[0][0]
        pool = [spans for n, _, spans in near if n == fewest]
        spans = pool[seeded_rng(*key, ptype).randrange(len(pool))]
        used.add(id(spans))
        chosen[ptype] = apply_masks(tree.latex, spans)
    return chosen


def _candidate_sets(tree: Tree, config: MaskConfig) -> list[tuple[tuple[Span, ...], float]]:
    """Every set of up to ``max_blanks`` spans that can be blanked together, with its mask ratio.

    Blanks must not overlap and must have at least one visible token between them; sets are
    grown span by span (in reading order) only through pairs that allow this, so no invalid set
    is ever built.
    """
    total = max(1, tree.n_tokens)
    spans = [s for s in tree.spans if count_tokens(tree.text(s)) < total and not is_notation(tree, s)]
    spans = sorted(spans, key=lambda s: (-count_tokens(tree.text(s)), s.start, s.end))[: config.max_candidates]
    spans.sort(key=lambda s: (s.start, s.end))
    size = [count_tokens(tree.text(s)) for s in spans]
    follows = [[j for j in range(i + 1, len(spans)) if _separated(tree.latex, spans[i], spans[j])]
               for i in range(len(spans))]
    out: list[tuple[tuple[Span, ...], float]] = []
    stack = [((i,), size[i]) for i in reversed(range(len(spans)))]
    while stack:
        combo, tokens = stack.pop()
        out.append((tuple(spans[i] for i in combo), tokens / total))
        if len(combo) < config.max_blanks:
            stack.extend((combo + (j,), tokens + size[j]) for j in reversed(follows[combo[-1]]))
    return out


def is_notation(tree: Tree, span: Span) -> bool:
    """Whether ``span`` is notation rather than maths: a side that is only a name
    (:func:`is_name_only`) or a piece of a label superscript (:func:`in_label_script`)."""
    return is_name_only(tree, span) or in_label_script(tree, span)


# Bold-face bases: vectors and matrices, raised to no power but -1 (T/H marks are no spans).
_BOLD = frozenset({"mathbf", "boldsymbol", "bm", "pmb", "mathbfit"})


def in_label_script(tree: Tree, span: Span) -> bool:
    """Whether ``span`` lies in a superscript that labels its symbol rather than raising it: the
    superscript of a bold vector or matrix other than ``-1`` (``\\mathbf{x}_i^{t+\\frac{1}{2}}``),
    or one in parentheses (``\\mu_k^{(i-1)}``: an iteration index)."""
    for factor in tree.factors:
        sup = factor.sup
        if sup is None or not sup.start <= span.start <= span.end <= sup.end:
            continue
        text = "".join(tree.text(sup).split())
        bold = factor.base.kind == "macro" and factor.base.name in _BOLD and text != "-1"
        if bold or (text.startswith("(") and text.endswith(")")):
            return True
    return False


def is_name_only(tree: Tree, span: Span) -> bool:
    """Whether ``span`` is a whole side of a relation that is only a name: one symbol with its
    labels (``R_{\\mathrm{sum}}``, ``\\mathbf{y}_k``, ``f(x)``, ``\\Gamma_k``). Which letter a paper
    chose is notation, not maths: no solver can deduce it, so it is never a blank of its own."""
    if span.kind != "side":
        return False
    side = next((s for s in tree.sides if tree.text(s).strip() == tree.text(span)), None)
    if side is None or len(side.terms) != 1:
        return False
    term = side.terms[0]
    return term.sign is None and len(term.factors) == 1 and term.factors[0].kind in ("symbol", "style")


def _separated(latex: str, first: Span, second: Span) -> bool:
    """Whether ``second`` can be the next blank after ``first``: no overlap, a visible token between."""
    return first.end <= second.start and count_tokens(latex[first.end:second.start]) > 0
