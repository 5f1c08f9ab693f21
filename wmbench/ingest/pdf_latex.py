"""Rebuild an approximate LaTeX string from the spans of one PDF equation row.

Spans on the row's baseline in the main size are the body; smaller spans raised or lowered
next to them are super- / subscripts; main-size spans stacked above and below the baseline
over the same horizontal range are a fraction's numerator and denominator; small spans over
or under a big operator are its limits. The confidence drops for every guess the layout
could not settle (unknown glyphs, unpaired stacks, radicals without a clear extent).

When the page's rules are known (``rules``, see :mod:`wmbench.ingest.pdf_graphics`), they
settle what the glyphs alone cannot: a fraction is material above and below a bar, and spans
exactly the bar; a square root covers what its vinculum covers; a rule over letters with
nothing stacked on it is an overline. Main-size material stacked with no bar between (a
column vector, a matrix, ``cases``, a binomial) is never read as a fraction: the row gets
:data:`GIVE_UP` confidence, so no problem is made from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wmbench.ingest.pdf_graphics import Box
from wmbench.ingest.pdf_layout import Span
from wmbench.ingest.pdf_symbols import ACCENTS, BIG_OPERATORS, is_extension_font, span_to_latex

_ACCENT_MARK = "\ue000"  # a private-use character: marks a span merged with the accent glyph after it
# Operators whose display limits sit under them and may be wider than they are (\max_{\mathbf{v}, p}).
_LIMIT_HOSTS = BIG_OPERATORS | {r"\max", r"\min", r"\lim", r"\sup", r"\inf"}
SCRIPT_RATIO = 0.85  # a span smaller than this share of the main size is a script
GIVE_UP = 1.0  # the penalty of a layout that cannot be read (stacked material without a bar)
RELATION = re.compile(r"=|\\leq|\\geq|\\approx|\\sim|<|>|\\triangleq|\\in|\\to|\\propto|\\neq")
NO_RELATION_PENALTY = 0.25
_CLEANUPS = (  # (pattern, replacement) applied to the assembled LaTeX
    (re.compile(r"\\not\s*=|=\s*\\not\b(?!\s*\\in\b)"), r"\\neq"),  # the slash may come before or after the "="
    (re.compile(r"\\not\s*\\in\b"), r"\\notin"),
    (re.compile(r"(?:\\mathrm\{s\}|\bs)\s*\.\s*(?:\\mathrm\{t\}|\bt)\s*\."), r"\\text{s.t.}"),  # "subject to"
    (re.compile(r"(\\(?:bar|hat|tilde|check|dot|ddot|vec)\{[^{}]*?)\s*([,.;])\s*\}"), r"\1} \2"),  # \bar{T ,}: the comma is no part of T
    (re.compile(r"(?:\.\s*){3}"), r"\\dots "),
    (re.compile(r"(?:\\cdot\s*){3}"), r"\\cdots "),  # a centred ellipsis comes as three dots
    (re.compile(r"\s+"), " "),
)


@dataclass
class _Atom:
    """Something placed on the row: a span or a fraction, with its scripts."""

    x0: float
    x1: float
    latex: str
    big: bool = False
    radical: bool = False
    extent: float | None = None  # a radical's right end: where its vinculum ends
    sub: list[Span] = field(default_factory=list)
    sup: list[Span] = field(default_factory=list)


def rebuild_latex(spans: list[Span], centre: float, size: float, depth: int = 0,
                  rules: list[Box] | None = None) -> tuple[str, float]:
    """LaTeX for ``spans`` laid out around the row whose centre line is ``centre``; ``rules``
    are the page's thin horizontal rules near them (None: unknown, guessed from the glyphs)."""
    baseline = centre + 0.3 * size
    penalties = [0.0]
    spans = [s for s in _merge_accents(spans) if not (_is_cmex(s) and not _latex_of(s))]  # bracket pieces
    atoms: list[_Atom] = []
    overlines: list[Box] = []
    if rules is not None:
        rules = _near(rules, spans)
        vinculums = [r for r in rules if _radical_of(r, spans, size) is not None]
        bars = [r for r in rules if r not in vinculums]
        atoms, spans, used = _bar_fractions(spans, bars, baseline, size, depth, penalties, rules)
        overlines = [r for r in bars if r not in used and r[1] < baseline - 0.5 * size]
    lined, above, below, small = _classify(spans, baseline, size, rules)
    atoms.extend(lined)
    atoms.extend(_fractions(above, below, small, list(atoms), size, depth, penalties, bars_known=rules is not None))
    atoms.sort(key=lambda a: a.x0)
    for run in _script_runs(small, size):
        host = _limit_host(run, atoms, baseline, size)
        for span in run:  # a span over an operator of its own is its limit: \sum_{i=1} \sum_{j=1} touch
            own = _limit_host([span], atoms, baseline, size) if host is not None else None
            _attach_script(span, atoms, baseline, size, own or host)
    atoms = _overlined(atoms, overlines)
    latex = _assemble(atoms, size, depth, penalties)
    for pattern, replacement in _CLEANUPS:
        latex = pattern.sub(replacement, latex)
    unknown = sum(1 for ch in latex if ord(ch) > 127 or ord(ch) < 32)
    confidence = 0.9 - 0.1 * unknown - penalties[0]
    if depth == 0 and not RELATION.search(latex):
        confidence -= NO_RELATION_PENALTY  # possibly a fragment rather than a whole equation
    return latex.strip(), max(0.05, min(0.95, confidence))


def _near(rules: list[Box], spans: list[Span]) -> list[Box]:
    """The rules among the glyphs of ``spans``: overlapping them horizontally, within their height."""
    if not spans:
        return []
    x0, x1 = min(s.bbox[0] for s in spans), max(s.bbox[2] for s in spans)
    y0, y1 = min(s.bbox[1] for s in spans), max(s.bbox[3] for s in spans)
    return [r for r in rules if r[0] < x1 and r[2] > x0 and y0 - 2 <= r[1] <= y1 + 2]


def _radical_of(rule: Box, spans: list[Span], size: float) -> Span | None:
    """The radical sign whose vinculum ``rule`` is: the rule starts at the sign's right end, at
    the height of its origin (a radical glyph hangs from its origin)."""
    for span in spans:
        if (_latex_of(span) == r"\sqrt" and abs(rule[0] - span.bbox[2]) < 0.25 * size
                and abs((rule[1] + rule[3]) / 2 - span.baseline) < 0.3 * span.size):
            return span
    return None


def _extent(span: Span, rules: list[Box] | None, size: float) -> float | None:
    """Where the vinculum of the radical ``span`` ends (None without rules or vinculum)."""
    for rule in rules or ():
        if _radical_of(rule, [span], size) is span:
            return rule[2]
    return None


def _bar_fractions(spans: list[Span], bars: list[Box], baseline: float, size: float, depth: int,
                   penalties: list[float], rules: list[Box]) -> tuple[list[_Atom], list[Span], list[Box]]:
    """The fractions of this level, read from their bars: the spans over a bar's range with the
    origin above it are the numerator, below it the denominator (a bar nested in a numerator or
    denominator is read with it). Returns the fractions, the other spans and the bars used."""
    atoms: list[_Atom] = []
    used: list[Box] = []
    rest = list(spans)
    for bar in sorted(bars, key=lambda r: r[0] - r[2]):  # the widest first: the outermost fraction
        y = (bar[1] + bar[3]) / 2
        if not baseline - 1.2 * size <= y <= baseline + 0.2 * size or any(u[0] <= bar[0] and bar[2] <= u[2] for u in used):
            continue
        members = [s for s in rest if bar[0] - 0.5 <= (s.bbox[0] + s.bbox[2]) / 2 <= bar[2] + 0.5]
        top = [s for s in members if s.baseline < y]
        bottom = [s for s in members if s.baseline > y]
        if not top or not bottom:
            continue  # an overline, or a rule of another row
        used.append(bar)
        rest = [s for s in rest if s not in members]
        inner = [r for r in rules if r != bar]
        numerator = _render(top, size, depth, penalties, inner)
        denominator = _render(bottom, size, depth, penalties, inner)
        atoms.append(_Atom(bar[0], bar[2], rf"\frac{{{numerator}}}{{{denominator}}}"))
    return atoms, rest, used


def _overlined(atoms: list[_Atom], overlines: list[Box]) -> list[_Atom]:
    r"""Atoms under an overline rule joined into one ``\overline{...}`` atom."""
    for rule in overlines:
        under = [a for a in atoms if rule[0] - 0.5 <= (a.x0 + a.x1) / 2 <= rule[2] + 0.5 and not a.radical]
        if not under:
            continue
        last = under[-1]  # its scripts go on the whole overline: \overline{\mathbf{y}}_{r}
        body = " ".join([*(a.latex + _scripts(a) for a in under[:-1]), last.latex])
        joined = _Atom(under[0].x0, last.x1, rf"\overline{{{body}}}", sub=list(last.sub), sup=list(last.sup))
        atoms = sorted([a for a in atoms if a not in under] + [joined], key=lambda a: a.x0)
    return atoms


def _merge_accents(spans: list[Span]) -> list[Span]:
    """Put each accent glyph (¯ ˆ ˙ ˜ ...) on the letter under it: "γ" + "¯" -> "\x1b¯γ"."""
    accents = [s for s in spans if s.text.strip() in ACCENTS and not _is_cmex(s)]
    if not accents:
        return spans
    out = [s for s in spans if s not in accents]
    for accent in accents:
        mid = (accent.bbox[0] + accent.bbox[2]) / 2
        if accent.bbox[2] - accent.bbox[0] < 0.1 * accent.size:  # a zero-width accent (\vec) inks to the right of its origin
            mid = accent.bbox[0] + 0.3 * accent.size
        under = [
            k for k, s in enumerate(out) if s.bbox[0] - 1 <= mid <= s.bbox[2] + 1 and s.bbox[1] <= accent.bbox[3] + 2
        ]
        if under:
            k = min(under, key=lambda k: abs((out[k].bbox[0] + out[k].bbox[2]) / 2 - mid))
            out[k] = out[k]._replace(text=_ACCENT_MARK + accent.text.strip() + out[k].text)
    return out


def _latex_of(span: Span) -> str:
    if span.text.startswith(_ACCENT_MARK):
        return span_to_latex(span.text[2:], span.font, accent=span.text[1])
    return span_to_latex(span.text, span.font)


def _is_cmex(span: Span) -> bool:
    return is_extension_font(span.font)


def _bar_bottom(span: Span) -> float:
    """Where a stack of CMEX vertical-bar pieces (codes 0x0C, 0x0D: about 0.6 em deep each, hung
    from the origin) ends; +inf for other glyphs, whose boxes in PDFs say little about their extent."""
    if not span.text or span.text.strip("\x0c\x0d"):
        return float("inf")
    return span.baseline + 0.6 * span.size * len(span.text)


def _classify(spans: list[Span], baseline: float, size: float, rules: list[Box] | None = None):
    atoms: list[_Atom] = []
    above: list[Span] = []
    below: list[Span] = []
    small: list[Span] = []
    last = max(spans, key=lambda s: s.bbox[2], default=None)
    for span in spans:
        if span is last and span.text.strip() in (".", ","):
            # the full stop or comma ending a display: PDFs often report it on the baseline of a
            # denominator it follows, which would put it inside the fraction
            atoms.append(_Atom(span.bbox[0], span.bbox[2], span.text.strip()))
        elif _is_cmex(span) and span.size < SCRIPT_RATIO * size and _latex_of(span) not in _LIMIT_HOSTS:
            small.append(span)  # a delimiter in a script: e^{\left( ... \right)}
        elif _is_cmex(span) and span.baseline >= baseline - 0.15 * size:
            below.append(span)  # a CMEX glyph hangs from its origin: one starting below the baseline is under it
        elif _is_cmex(span) and _bar_bottom(span) < baseline - 0.25 * size:
            above.append(span)  # a tall bar ending above the math axis: it is inside a numerator
        elif _is_cmex(span):
            latex = _latex_of(span)
            atoms.append(_Atom(span.bbox[0], span.bbox[2], latex, big=latex in _LIMIT_HOSTS,
                               radical=latex == r"\sqrt", extent=_extent(span, rules, size)))
        elif span.size < SCRIPT_RATIO * size:
            small.append(span)
        elif _latex_of(span) == r"\sqrt":  # a radical hangs from its origin, which sits high: it is on the line
            atoms.append(_Atom(span.bbox[0], span.bbox[2], r"\sqrt", radical=True, extent=_extent(span, rules, size)))
        elif span.baseline < baseline - 0.3 * size:
            above.append(span)
        elif span.baseline > baseline + 0.3 * size:
            below.append(span)
        else:  # a big operator may come from a symbol font too (mathptmx sets \sum in StandardSymL)
            latex = _latex_of(span)
            atoms.append(_Atom(span.bbox[0], span.bbox[2], latex, big=latex in _LIMIT_HOSTS,
                               radical=latex == r"\sqrt"))
    return atoms, above, below, small


def _components(spans: list[Span], atoms: list[_Atom], size: float) -> list[list[Span]]:
    """Group stacked spans into fractions: a new group starts where main-line material sits
    between two stacked spans (an operator between two fractions) or after a wide gap."""
    groups: list[list[Span]] = []
    right = float("-inf")
    for span in sorted(spans, key=lambda s: s.bbox[0]):
        between = any(right - 0.5 <= a.x0 and a.x1 <= span.bbox[0] + 0.5 for a in atoms)
        if groups and not between and span.bbox[0] < right + 2 * size:
            groups[-1].append(span)
            right = max(right, span.bbox[2])
        else:
            groups.append([span])
            right = span.bbox[2]
    return groups


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return min(a[1], b[1]) - max(a[0], b[0]) > 0


def _mean_baseline(group: list[Span]) -> float:
    return sum(s.baseline for s in group) / len(group)


def _fractions(above, below, small, atoms_on_line, size, depth, penalties, *, bars_known: bool = False) -> list[_Atom]:
    """Stacked spans over the same range are fractions; small spans inside join their part.
    With ``bars_known`` (the fractions with a bar are already read) stacked spans are no
    fraction: the row cannot be read."""
    top_ids = {id(s) for s in above}
    atoms: list[_Atom] = []
    for group in _components(above + below, atoms_on_line, size):
        top = [s for s in group if id(s) in top_ids]
        bottom = [s for s in group if id(s) not in top_ids]
        x0, x1 = min(s.bbox[0] for s in group), max(s.bbox[2] for s in group)
        if not top or not bottom or bars_known:
            penalties[0] += GIVE_UP if top and bottom else 0.15
            atoms.append(_Atom(x0, x1, _render(group, size, depth, penalties)))
            continue
        top_base, bottom_base = _mean_baseline([s for s in top if not _is_cmex(s)] or top), _mean_baseline(bottom)
        # a script that starts over the fraction, or just after it, belongs to its numerator or
        # denominator (the 2 of a last \sigma^2 sticks out on the right); a script of a whole
        # bracketed fraction starts after the closing bracket, further right
        for span in [s for s in small if x0 - 1 <= s.bbox[0] <= x1 + 0.25 * size]:
            small.remove(span)
            x1 = max(x1, span.bbox[2])
            (top if abs(span.baseline - top_base) < abs(span.baseline - bottom_base) else bottom).append(span)
        numerator = _render(top, size, depth, penalties)
        denominator = _render(bottom, size, depth, penalties)
        atoms.append(_Atom(x0, x1, rf"\frac{{{numerator}}}{{{denominator}}}"))
    return atoms


def _render(group: list[Span], size: float, depth: int, penalties: list[float], rules: list[Box] | None = None) -> str:
    if depth > 3:
        penalties[0] += 0.2
        return " ".join(_latex_of(s) for s in group)
    mains = [s for s in group if s.size >= SCRIPT_RATIO * size and not _is_cmex(s) and _latex_of(s) != r"\sqrt"]
    mains = mains or group
    centre = sum(s.baseline for s in mains) / len(mains) - 0.3 * size
    latex, confidence = rebuild_latex(group, centre, size, depth + 1, rules)
    penalties[0] += max(0.0, 0.9 - confidence) / 2
    return latex


def _script_runs(small: list[Span], size: float) -> list[list[Span]]:
    """Script spans in runs: neighbours on one baseline with no gap between them (the pieces of
    one limit "z ∈ D_{i,j}")."""
    runs: list[list[Span]] = []
    for span in sorted(small, key=lambda s: (s.bbox[0], s.baseline)):
        run = next((r for r in runs if abs(r[-1].baseline - span.baseline) < 0.5
                    and -0.5 <= span.bbox[0] - r[-1].bbox[2] < 0.3 * size), None)
        if run is None:
            runs.append([span])
        else:
            run.append(span)
    return runs


def _limit_host(run: list[Span], atoms: list[_Atom], baseline: float, size: float) -> _Atom | None:
    """The big operator a run of scripts is the limit of: far above or below the line, and
    overlapping the operator though it may be wider than it (or None)."""
    if abs(run[0].baseline - baseline) < 0.6 * size:
        return None
    x0, x1 = min(s.bbox[0] for s in run), max(s.bbox[2] for s in run)
    return next((a for a in atoms if a.big and _overlap((a.x0, a.x1), (x0, x1))), None)


def _attach_script(span: Span, atoms: list[_Atom], baseline: float, size: float, host: _Atom | None = None) -> None:
    if host is not None:
        (host.sup if span.baseline < baseline else host.sub).append(span)
        return
    for atom in atoms:
        if atom.big and _overlap((atom.x0, atom.x1), (span.bbox[0], span.bbox[2])):
            host = atom
            break
        if atom.x0 <= span.bbox[0] + 0.5:
            host = atom
    if host is None:
        atoms.insert(0, _Atom(span.bbox[0], span.bbox[2], _latex_of(span)))
        return
    raised = span.baseline < baseline - 0.1 * size
    (host.sup if raised else host.sub).append(span)


def _assemble(atoms: list[_Atom], size: float, depth: int, penalties: list[float]) -> str:
    parts: list[str] = []
    k = 0
    while k < len(atoms):
        atom = atoms[k]
        latex = atom.latex + _scripts(atom)
        if atom.radical and atom.extent is not None:
            inner = []
            while k + 1 < len(atoms) and (atoms[k + 1].x0 + atoms[k + 1].x1) / 2 < atom.extent:
                k += 1
                inner.append(atoms[k].latex + _scripts(atoms[k]))
            latex = rf"\sqrt{{{' '.join(inner)}}}" + _scripts(atom)
        elif atom.radical and k + 1 < len(atoms):
            following = atoms[k + 1]
            latex = rf"\sqrt{{{following.latex + _scripts(following)}}}"
            penalties[0] += 0.05
            k += 1
        parts.append(latex)
        k += 1
    return " ".join(p for p in parts if p)


def _scripts(atom: _Atom) -> str:
    out = ""
    if atom.sub:
        out += "_{" + _script_latex(atom.sub) + "}"
    if atom.sup:
        out += "^{" + _script_latex(atom.sup) + "}"
    return out


def _script_latex(spans: list[Span]) -> str:
    """A script's LaTeX; smaller spans in it are its own scripts (the 1 of ``e^{j\\theta_1}``)."""
    ordered = sorted(spans, key=lambda s: s.bbox[0])
    size = max(s.size for s in ordered)
    mains = [s for s in ordered if s.size >= SCRIPT_RATIO * size]
    if len(mains) == len(ordered):
        return " ".join(_latex_of(s) for s in ordered)
    centre = sum(s.baseline for s in mains) / len(mains) - 0.3 * size
    return rebuild_latex(ordered, centre, size, depth=1)[0]
