"""Masking: exact round trip, ratios near the targets, whole sub-expressions only, seeded choice."""

from __future__ import annotations

import pytest
from fixtures_build import CASES

from wmbench.generate.latex_tree import count_tokens, parse
from wmbench.generate.masking import (
    FILL_TARGETS,
    MaskConfig,
    apply_masks,
    choose_masks,
    fill_back,
    full_mask,
)
from wmbench.schema import MASK

EQUATIONS = CASES["equations"]


@pytest.mark.parametrize("latex", EQUATIONS)
def test_masks_fill_back_exactly_and_hide_whole_subexpressions(latex: str) -> None:
    tree = parse(latex)
    whole = {tree.text(s) for s in tree.spans}
    maskings = choose_masks(tree, 0, "paper", 1)
    assert maskings, "every case equation allows at least one fill-in type"
    for ptype, masking in maskings.items():
        assert fill_back(masking.masked, masking.answers) == latex
        assert masking.masked.count(MASK) == len(masking.answers)
        assert all(answer in whole for answer in masking.answers), (ptype, masking.answers)
        assert abs(masking.ratio - FILL_TARGETS[ptype]) <= MaskConfig().tolerance


@pytest.mark.parametrize("latex", EQUATIONS)
def test_types_of_one_equation_hide_different_things(latex: str) -> None:
    maskings = choose_masks(parse(latex), 0, "paper", 1)
    assert len({m.masked for m in maskings.values()}) == len(maskings)


def test_ratios_are_near_targets_on_average() -> None:
    errors = {t: [] for t in FILL_TARGETS}
    for latex in EQUATIONS:
        for ptype, masking in choose_masks(parse(latex), 0, "paper", 1).items():
            errors[ptype].append(abs(masking.ratio - FILL_TARGETS[ptype]))
    for ptype, errs in errors.items():
        assert errs and sum(errs) / len(errs) < 0.08, (ptype, errs)


def test_full_mask_hides_the_whole_equation() -> None:
    latex = EQUATIONS[1]
    masking = full_mask(latex)
    assert masking.masked == MASK and fill_back(masking.masked, masking.answers) == latex
    assert masking.boxed == f"\\boxed{{{latex}}}"


def test_choice_is_seeded_and_repeatable() -> None:
    first = [choose_masks(parse(e), 0, "paper", i) for i, e in enumerate(EQUATIONS)]
    again = [choose_masks(parse(e), 0, "paper", i) for i, e in enumerate(EQUATIONS)]
    other = [choose_masks(parse(e), 5, "paper", i) for i, e in enumerate(EQUATIONS)]
    assert first == again
    assert first != other


@pytest.mark.parametrize(
    ("latex", "piece", "kind"),
    [
        ("R = \\log_2\\left(1+\\frac{a}{b}\\right)", "a", "numerator"),
        ("R = \\log_2\\left(1+\\frac{a}{b}\\right)", "b", "denominator"),
        ("R = \\log_2\\left(1+\\frac{a}{b}\\right)", "1+\\frac{a}{b}", "argument"),
        ("y = h x + n", "h x", "term"),
        ("y = h x + n", "y", "side"),
        ("P = |h|^2", "2", "exponent"),
        ("s = \\sqrt{P_s} x", "P_s", "radicand"),
        ("I = \\sum_{j\\neq k} p_j g_j", "p_j g_j", "body"),
    ],
)
def test_tree_offers_whole_subexpressions(latex: str, piece: str, kind: str) -> None:
    tree = parse(latex)
    assert any(tree.text(s) == piece and s.kind == kind for s in tree.spans), [(s.kind, tree.text(s)) for s in tree.spans]


def test_tree_never_offers_partial_tokens_or_labels() -> None:
    tree = parse("T_k^{\\mathrm{cmp}} = \\frac{c_k D_k}{f_k}")
    texts = {tree.text(s) for s in tree.spans}
    assert "\\mathrm{cmp}" not in texts and "c_k D_" not in texts
    assert all(t == t.strip() for t in texts)


def test_apply_masks_counts_tokens() -> None:
    tree = parse("y = h x + n")
    span = next(s for s in tree.spans if tree.text(s) == "n")
    masking = apply_masks(tree.latex, [span])
    assert masking.masked == "y = h x + [MASK]"
    assert masking.ratio == pytest.approx(1 / count_tokens("y = h x + n"))


# --- property: any equation built from the usual pieces masks and fills back exactly -----------

from hypothesis import given, settings
from hypothesis import strategies as st

_ATOMS = st.sampled_from(["x", "h_k", "\\mathbf{h}_k^H", "\\sigma^2", "P", "\\gamma_{\\mathrm{th}}", "N_0", "2", "\\beta_{k}"])


def _expr(children):
    return st.one_of(
        st.tuples(children, children).map(lambda t: f"{t[0]} + {t[1]}"),
        st.tuples(children, children).map(lambda t: f"{t[0]} {t[1]}"),
        st.tuples(children, children).map(lambda t: f"\\frac{{{t[0]}}}{{{t[1]}}}"),
        children.map(lambda c: f"\\sqrt{{{c}}}"),
        children.map(lambda c: f"\\log_2\\left(1+{c}\\right)"),
        children.map(lambda c: f"|{c}|^2"),
    )


_EXPRESSIONS = st.recursive(_ATOMS, _expr, max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(lhs=_ATOMS, rhs=_EXPRESSIONS, seed=st.integers(0, 10))
def test_any_equation_masks_and_fills_back(lhs: str, rhs: str, seed: int) -> None:
    latex = f"{lhs} = {rhs}"
    tree = parse(latex)
    whole = {tree.text(s) for s in tree.spans}
    for masking in choose_masks(tree, seed, "p", 1).values():
        assert fill_back(masking.masked, masking.answers) == latex
        assert all(a in whole and a == a.strip() for a in masking.answers)


# Words inside maths are atoms: no span starts or ends inside them, and their letters are no symbols.
WORD_CASES = [
    # (equation, words it holds, symbols that must be listed, letters that must not be)
    ("\\textnormal{R-max} = \\frac{a}{b} + c", ["\\textnormal{R-max}"], ["a", "b", "c"], ["R", "m", "x"]),
    ("\\text{SINR}_{k} = \\frac{p_k g_k}{\\sigma^2 + I_k}", ["\\text{SINR}"], ["p_k", "g_k"], ["S", "I", "N", "R"]),
    ("\\mathrm{Relative \\thinspace error} = \\frac{|x-y|}{|x|}", ["Relative", "error"], ["x", "y"],
     ["\\mathrm{Relative \\thinspace error}", "R", "e"]),
    ("Relative \\thinspace error = \\frac{|x-\\hat{x}|}{|x|}", ["Relative", "error"], ["x", "\\hat{x}"], ["R", "e", "l"]),
    ("T_{c} = TXOP + N_{s} \\cdot \\delta", ["TXOP"], ["T_{c}", "TXOP", "N_{s}", "\\delta"], ["X", "O"]),
    ("\\operatorname{diag}(\\mathbf{v}) = \\mathbf{V} + \\mathbf{E}", ["\\operatorname{diag}"], ["\\mathbf{v}"], ["d", "g"]),
    ("{\\bf y}_j = {\\bf H}_j {\\bf x} + {\\bf n}_j", ["{\\bf y}_j", "{\\bf H}_j"], ["{\\bf y}_j", "{\\bf x}"], ["y", "H"]),
    ("\\mathbf Y = \\left[\\mathbf y_1, \\mathbf y_2, \\mathbf y_3\\right] + \\mathbf N",
     ["\\mathbf y_1", "\\mathbf y_2"], ["\\mathbf Y", "\\mathbf y_1", "\\mathbf N"], ["\\mathbf y_"]),
]


@pytest.mark.parametrize(("latex", "words", "listed", "not_listed"), WORD_CASES)
def test_words_inside_maths_are_never_cut(latex: str, words: list[str], listed: list[str], not_listed: list[str]) -> None:
    from wmbench.generate.latex_tree import symbols

    tree = parse(latex)
    inside = [(latex.index(w), latex.index(w) + len(w)) for w in words]
    for span in tree.spans:
        for start, end in inside:
            assert not start < span.start < end and not start < span.end < end, (tree.text(span), latex[start:end])
    for masking in choose_masks(tree, 0, "paper", 1).values():
        assert fill_back(masking.masked, masking.answers) == latex
    found = symbols(tree)
    assert all(s in found for s in listed), found
    assert not any(s in found for s in not_listed), found


def test_a_word_counts_as_one_token() -> None:
    assert count_tokens("TXOP + N") == 3
    assert count_tokens("\\mathrm{max}") == 2
    assert count_tokens("x y") == 2


@pytest.mark.parametrize(
    ("latex", "never_alone"),
    [
        ("\\varphi = \\arccos\\!\\bigl[\\sin a \\sin b + \\cos a \\cos b\\bigr]", "\\arccos"),
        ("y = \\sin\\theta \\cos\\phi + x", "\\sin"),
    ],
)
def test_a_function_name_is_no_blank_without_its_argument(latex: str, never_alone: str) -> None:
    tree = parse(latex)
    assert never_alone not in {tree.text(s) for s in tree.spans}


@pytest.mark.parametrize(
    ("latex", "listed"),
    [
        # a marker or power written before the subscript is no part of the symbol
        ("\\mathbf{U}_{r} \\mathbf{R} \\mathbf{U}^\\dagger_{r} = \\mathbf{h}^H_k \\mathbf{w}_k",
         ["\\mathbf{U}_{r}", "\\mathbf{R}", "\\mathbf{h}_k", "\\mathbf{w}_k"]),
        ("y = x^2_{k} + z", ["y", "x_{k}", "z"]),
        # a label superscript is
        ("P^{\\mathrm{max}}_k = y^{(t)}_k", ["P^{\\mathrm{max}}_k", "y^{(t)}_k"]),
    ],
)
def test_symbols_are_base_and_subscript(latex: str, listed: list[str]) -> None:
    from wmbench.generate.latex_tree import symbols

    assert symbols(parse(latex)) == listed
