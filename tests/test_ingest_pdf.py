"""The PDF path on generated PDFs: every kind of unusable file gets a one-line reason, and a
text PDF with a numbered display equation yields it with its definitions."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_ingest import EXAMPLE_PAPERS, write_image_pdf, write_text_pdf

from wmbench.build.gates import GateConfig
from wmbench.build.paper_job import generate_paper
from wmbench.build.select import SelectConfig
from wmbench.errors import IngestionError
from wmbench.ingest import PaperInput, ingest_paper
from wmbench.ingest.definitions import parse_pdf_definitions
from wmbench.ingest.pdf_equations import _DIGIT_RUN, FRAGMENT_PENALTY, PdfEquation, _penalize_torn
from wmbench.ingest.pdf_graphics import is_caption
from wmbench.ingest.pdf_latex import rebuild_latex
from wmbench.ingest.pdf_layout import Span
from wmbench.ingest.pdf_path import _join, pdf_symbol_latex, read_pdf_paper
from wmbench.ingest.pdf_symbols import family, span_to_latex
from wmbench.ingest.recovery import best_similarity


def _zero_byte(path: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path) -> None:
    """The first half of a real pdflatex PDF (a tiny uncompressed PDF would be repaired)."""
    data = (EXAMPLE_PAPERS / "2501.00006v1.pdf").read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _corrupt(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)


def _renamed_text(path: Path) -> None:
    path.write_text("This is a plain text file that someone renamed to .pdf\n")


BAD_PDFS = [  # (builder, words the reason must contain)
    (_zero_byte, "empty file (0 bytes)"),
    (_truncated, "truncated PDF"),
    (_corrupt, "corrupt PDF"),
    (_renamed_text, "not a PDF (no %PDF- header)"),
    (lambda p: write_text_pdf(p, encrypt=True), "encrypted PDF"),
    (write_image_pdf, "no text layer"),
]


@pytest.mark.parametrize(("build", "reason"), BAD_PDFS, ids=[r for _, r in BAD_PDFS])
def test_unusable_pdf_gives_a_one_line_reason(tmp_path: Path, capfd: pytest.CaptureFixture[str], build, reason: str) -> None:
    path = tmp_path / "paper.pdf"
    build(path)
    with pytest.raises(IngestionError) as info:
        read_pdf_paper(path, where="paper.pdf")
    assert info.value.where == "paper.pdf"
    assert reason in info.value.reason
    assert "\n" not in info.value.one_line() and str(tmp_path) not in info.value.reason
    assert capfd.readouterr().err == ""  # MuPDF's own warnings are silenced


def test_numbered_display_equation_is_found_with_definitions(tmp_path: Path) -> None:
    document = read_pdf_paper(write_text_pdf(tmp_path / "eq.pdf"), where="eq.pdf")
    assert len(document.equations) == 1
    equation = document.equations[0]
    assert (equation.latex, equation.number, equation.page, equation.source) == ("y = h x + n", "1", 1, "pdf")
    assert 0.0 < equation.confidence <= 1.0 and equation.text == "y = h x + n"
    assert equation.context_before.endswith("given by the usual expression below in this note.")
    assert equation.definitions == {"h": "the channel gain", "x": "the symbol", "n": "the noise"}


def test_a_pdf_without_display_math_has_no_equations(tmp_path: Path) -> None:
    lines = [(f"Line {k} of ordinary running text without any display mathematics at all.", 72, 80 + 14 * k) for k in range(12)]
    assert read_pdf_paper(write_text_pdf(tmp_path / "t.pdf", lines), where="t.pdf").equations == []


# (span text, font, expected LaTeX)
GLYPH_CASES = [
    ("γ", "CMMI10", r"\gamma"),
    ("HH", "CMBX10", r"\mathbf{H} \mathbf{H}"),
    ("CN", "CMSY10", r"\mathcal{CN}"),
    ("E", "MSBM10", r"\mathbb{E}"),
    ("SNR", "CMSS10", r"\mathsf{SNR}"),
    ("log", "CMR10", r"\log"),
    ("tr", "CMR10", r"\operatorname{tr}"),
    ("≤", "CMSY10", r"\leq"),
    ("X", "CMEX10", r"\sum"),
    ("\x00", "CMEX10", "("),
    ("sum", "CMR7", r"\mathrm{sum}"),
]


@pytest.mark.parametrize(("text", "font", "expected"), GLYPH_CASES)
def test_glyphs_to_latex(text: str, font: str, expected: str) -> None:
    assert span_to_latex(text, font) == expected


@pytest.mark.parametrize(("symbol", "expected"), [("hk", "h_{k}"), ("σ", r"\sigma"), ("βk", r"\beta_{k}"), ("P", "P")])
def test_pdf_symbols(symbol: str, expected: str) -> None:
    assert pdf_symbol_latex(symbol) == expected


def test_two_column_ieee_pdf_layout() -> None:
    """A real pdflatex IEEEtran PDF: title, abstract, sections and numbered equations in order."""
    document = read_pdf_paper(EXAMPLE_PAPERS / "2501.00001v1.pdf", where="2501.00001v1.pdf")
    assert document.title.startswith("Linear Precoding for the Multiuser MISO Downlink")
    assert document.abstract.startswith("We revisit linear precoding")
    assert document.sections[:3] == ["Introduction", "System Model", "Performance Analysis"]
    numbers = [e.number for e in document.equations if e.number]
    assert numbers == sorted(numbers, key=int) and len(numbers) >= 12
    first = document.equations[0]
    assert first.latex == r"y_{k} = \mathbf{h}_{k}^{H} \mathbf{x} + n_{k} ," and first.section == "System Model"


def _span(text: str, font: str, x0: float, x1: float, baseline: float, size: float = 10.0) -> Span:
    return Span(text, font, size, (x0, baseline - 0.7 * size, x1, baseline + 0.2 * size), baseline)


# (spans of one row around baseline 100 in a 10 pt main size, expected LaTeX, confidence range)
REBUILD_CASES = [
    ([_span("y", "CMMI10", 0, 5, 100), _span("k", "CMMI7", 5, 8, 102, 7), _span("=", "CMR10", 10, 17, 100),
      _span("x", "CMMI10", 19, 24, 100), _span("2", "CMR7", 24, 28, 96, 7)], "y_{k} = x^{2}", (0.85, 0.95)),
    ([_span("=", "CMR10", 0, 7, 100), _span("a", "CMMI10", 10, 15, 93), _span("b", "CMMI10", 10, 15, 107)],
     r"= \frac{a}{b}", (0.85, 0.95)),
    ([_span("=", "CMR10", 0, 7, 100), _span("X", "CMEX10", 10, 24, 90), _span("k", "CMMI7", 11, 14, 112, 7),
      _span("=1", "CMR7", 14, 22, 112, 7), _span("K", "CMMI7", 14, 19, 88, 7), _span("x", "CMMI10", 26, 31, 100)],
     r"= \sum_{k = 1}^{K} x", (0.85, 0.95)),
    ([_span("γ", "CMMI10", 0, 5, 100), _span("¯", "CMR10", 0.5, 4.5, 93), _span("=", "CMR10", 8, 15, 100),
      _span("1", "CMR10", 17, 22, 100)], r"\bar{\gamma} = 1", (0.85, 0.95)),
    # a zero-width \vec arrow stands at the left edge of its letter, right after a big operator
    ([_span("v", "CMMI10", 0, 5, 100), _span("=", "CMR10", 7, 14, 100), _span("P", "CMEX10", 16, 26, 92.5),
      _span("⃗", "CMMI10", 26, 26, 92.5), _span("e", "CMMI10", 27, 32, 100)], r"v = \sum \vec{e}", (0.85, 0.95)),
    ([_span("α", "CMMI10", 0, 5, 100), _span("β", "CMMI10", 7, 12, 100)], r"\alpha \beta", (0.05, 0.7)),
    ([_span("x", "CMMI10", 0, 5, 100), _span("=", "CMR10", 7, 14, 100), _span("\u2603", "CMSY10", 16, 22, 100)],
     "x = \u2603", (0.05, 0.85)),
]


@pytest.mark.parametrize(("spans", "latex", "confidence"), REBUILD_CASES)
def test_rebuild_latex_from_spans(spans: list[Span], latex: str, confidence: tuple[float, float]) -> None:
    got, score = rebuild_latex(spans, centre=100 - 3.0, size=10.0)
    assert got == latex
    assert confidence[0] <= score <= confidence[1]


# (text after a PDF equation, expected definitions)
PDF_DEFINITION_CASES = [
    ("where hk ∈ CM×1 is the channel vector, x is the signal, and nk ∼ CN(0, σ2) is the noise. Next.",
     {"h_{k}": "the channel vector", "x": "the signal", "n_{k}": "the noise"}),
    ("where σ2 denotes the noise power and P represents the budget.", {r"\sigma_{2}": "the noise power", "P": "the budget"}),
    ("where the numerator is the desired power.", {}),
    ("The rate follows, where x is late.", {}),
]


@pytest.mark.parametrize(("after", "expected"), PDF_DEFINITION_CASES)
def test_pdf_where_clause_definitions(after: str, expected: dict[str, str]) -> None:
    assert parse_pdf_definitions(after, pdf_symbol_latex) == expected


@pytest.mark.parametrize(("font", "wrapper"), [
    ("SYWOFV+CMMI10", None), ("SOSTRQ+CMR10", r"\mathrm"), ("ABCDEF+CMBX10", r"\mathbf"),
    # Times (mathptmx, newtx, IEEEtran with Times): italic text fonts set the variables
    ("EUIGPH+NimbusRomNo9L-ReguItal", None), ("HZMFAM+NimbusRomNo9L-Regu", r"\mathrm"),
    ("FQTRKF+NimbusRomNo9L-Medi", r"\mathbf"), ("QVCFWU+NimbusRomNo9L-MediItal", r"\mathbf"),
    ("Times-Italic", None), ("Times-Roman", r"\mathrm"), ("TimesNewRomanPS-BoldMT", r"\mathbf"),
    ("FLOWLY+LMMathItalic10-Regular", None), ("HVIXTM+LMMathSymbols10-Regular", r"\mathcal"),
    ("GXWEVI+LMRoman10-Regular", r"\mathrm"), ("TRKUCP+LMRoman10-Bold", r"\mathbf"),
])
def test_font_families_of_math_letters(font: str, wrapper: str | None) -> None:
    assert family(font) == wrapper


TIMES_PAPER = Path(__file__).parent / "data" / "times_paper" / "times_paper.pdf"  # mathptmx, built from the .tex beside it


def test_a_times_font_pdf_keeps_italic_variables_bold_vectors_and_fractions() -> None:
    """Times sets math letters in NimbusRomNo9L-ReguItal: they were read as \\mathrm before."""
    latex = [e.latex for e in read_pdf_paper(TIMES_PAPER, where="times_paper.pdf").equations]
    assert any(text.startswith(r"y_{k} = \mathbf{h}_{k}^{H} \mathbf{w}_{k} s_{k}") for text in latex), latex
    assert not any(r"\mathrm{k}" in text or r"\mathrm{y}" in text for text in latex)
    # the denominator sat on a line of its own (Times glyphs are shorter): it was lost
    assert r"\mathsf{SNR} = \frac{P}{\sigma^{2}}" in latex
    # the 2 of a last \sigma^2 sticks out of the numerator: it used to be a script of the fraction
    assert any(r"\sigma^{2}}{P \beta_{k}}" in text for text in latex), latex
    # the sum sign is a symbol-font glyph, its upper limit a lone italic "K" line; the numerator "P"
    # of a fraction under a root sits on a line of its own between the root sign and the row
    assert r"R = \sum_{k = 1}^{K} \log_{2} ( 1 + \gamma_{k} )" in latex
    assert any(text.startswith(r"\mathbf{W}_{\mathrm{ZF}} = \sqrt{\frac{P}{\operatorname{tr}") for text in latex), latex


LMODERN_PAPER = Path(__file__).parent / "data" / "lmodern_paper" / "lmodern_paper.pdf"  # lmodern, from the .tex beside it


def test_a_latin_modern_pdf_reads_sums_unequal_signs_and_capital_deltas() -> None:
    """Latin Modern's extension font sets sums and big brackets by CMEX codes under another name
    ("X" was read as \\mathrm{X}); its \\neq puts the slash after the "="; its Delta is U+2206."""
    equations = read_pdf_paper(LMODERN_PAPER, where="lmodern_paper.pdf").equations
    assert [e.number for e in equations] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    latex = [e.latex for e in equations]
    # the limit of \max is wider than "max": it started left of it and went before it
    assert latex[6] == r"\max_{\mathbf{v} , \{ p_{k} \}} \min_{k} \log_{2} ( 1 + \gamma_{k} )"
    assert latex[7] == r"\text{s.t.} 0 \leq p_{k} \leq P , \forall k ."  # was "s . t ." (malformed for select)
    assert latex[1:4] + latex[5:6] == [
        r"\mathbf{h}_{k} = \mathbf{d}_{k} + \mathbf{G} \boldsymbol{\Theta} \mathbf{r}_{k} ,",  # bold Greek stays bold
        r"\mathbf{y} = \sum_{k = 1}^{K} \mathbf{h}_{k} s_{k} + \mathbf{n} ,",
        r"\mathbf{w}_{k} = ( \sum_{i \neq k} \mathbf{h}_{i} \mathbf{h}_{i}^{H} + \sigma^{2} \mathbf{I}_{M} )^{- 1} \mathbf{h}_{k} ,",
        r"\hat{\mathbf{V}}_{k} = \mathbf{V}_{k} + \Delta_{k} ,",
    ]
    # the 1 of \theta_1 is a script of a script: it was read inline as "\theta 1"
    assert latex[0] == r"\boldsymbol{\Theta} = \operatorname{diag} ( e^{j \theta_{1}} , \dots , e^{j \theta_{N}} ) ,"
    # tall bars are stacks of CMEX code 0x0C, which Python calls white space: they were dropped,
    # leaving a wrong but plausible SINR; the numerator's exponent sits on a line of its own
    assert latex[4] == (r"\gamma_{k} = \frac{p_{k} | \mathbf{w}_{k}^{H} \mathbf{h}_{k} |^{2}}"
                        r"{\sum_{i \neq k} p_{i} | \mathbf{w}_{k}^{H} \mathbf{h}_{i} |^{2} + \sigma^{2} \| \mathbf{w}_{k} \|^{2}} ,")


def test_extension_glyph_runs() -> None:
    """CMEX codes read as white space are glyphs; the stacked pieces of one bar are one bar."""
    assert span_to_latex("\x0c\x0c\x0c", "ABCDEF+CMEX10") == "|"
    assert span_to_latex("\x10 X", "ABCDEF+LMMathExtension10-Regular") == r"( \sum"
    assert span_to_latex("PP", "CMEX10") == r"\sum \sum"  # two sums stay two
    assert span_to_latex("0", "CMEX10") == "(" and span_to_latex("B", "CMEX10") == span_to_latex("@", "CMEX10") == ""
    assert span_to_latex(" ", "CMEX10") == "("  # code 0x20: the tallest "(" (a left paren of \left( ... \right))


def test_a_wide_lone_space_in_an_extension_font_is_a_glyph() -> None:
    """pymupdf gives CMEX code 0x20 (the tallest "(") as " "; a narrow " " is a space between glyphs."""
    paren = Span(" ", "ABCDEF+CMEX10", 10.9, (265.4, 334.7, 274.1, 341.7), 335.1)
    space = Span(" ", "ABCDEF+CMEX10", 10.9, (279.5, 461.8, 281.9, 477.0), 470.4)
    assert not paren.blank and space.blank and Span(" ", "CMR10", 10.9, (0, 0, 9, 9), 9).blank


def test_rows_next_to_a_fragment_lose_confidence() -> None:
    """A lone radical sign read as its own row means the display was cut wrongly around it."""
    rows = [PdfEquation("a = b", "a=b", "1", 1, 0.95, 3, 4), PdfEquation(r"\sqrt", "s", None, 1, 0.35, 6, 6),
            PdfEquation("c = d", "c=d", "2", 1, 0.9, 7, 7), PdfEquation("e = f", "e=f", "3", 1, 0.9, 12, 12)]
    assert [eq.confidence for eq in _penalize_torn(rows)] == [0.95, 0.35, round(0.9 - FRAGMENT_PENALTY, 3), 0.9]


def test_footnotes_stay_out_of_contexts_and_definitions() -> None:
    """The Latin Modern fixture has a footnote at the foot of its page, below a "where" clause
    that ends without a full stop: the clause ran on into the footnote."""
    document = read_pdf_paper(LMODERN_PAPER, where="lmodern_paper.pdf")
    texts = [e.context_before + " " + e.context_after for e in document.equations] + list(document.glossary.values())
    assert not any("FOOTNOTE" in text for text in texts), texts
    assert document.equations[5].context_after == "where ∆k is the estimation error. The surface and the powers are chosen by"
    assert document.glossary["\\Delta_{k}"] == "the estimation error"


def test_a_constraint_row_of_a_pdf_keeps_subject_to_and_its_accent() -> None:
    """Example paper 12 (PDF only): "s.t." was read as "s . t ." and the comma after a barred
    T went under the bar (\\bar{T ,}); select dropped the row as malformed."""
    pdf = Path(__file__).parents[1] / "examples" / "papers" / "2501.00012v1.pdf"
    rows = {e.number: e.latex for e in read_pdf_paper(pdf, where=pdf.name).equations}
    assert rows["10"] == r"\text{s.t.} \frac{E c_{k} D_{k}}{f_{k}} + \frac{s}{r_{k}} \leq \bar{T} , \forall k ,"


@pytest.mark.parametrize(("lines", "text"), [
    (["the trans-", "mitter sends"], "the transmitter sends"),  # a hyphenation break
    (["an $M$-", "antenna access point"], "an $M$-antenna access point"),  # "M-" is no word piece
    (["an M-", "antenna access point"], "an M-antenna access point"),
    (["K single-", "antenna users"], "K single-antenna users"),  # a compound's own hyphen
    (["5G-", "enabled"], "5G-enabled"),
    (["the SINR", "of user k"], "the SINR of user k"),
])
def test_lines_are_joined_into_running_text(lines: list[str], text: str) -> None:
    assert _join(lines) == text


FIGURE_MATRIX_PAPER = Path(__file__).parent / "data" / "figure_matrix_paper" / "figure_matrix_paper.pdf"
THRESHOLD = SelectConfig().min_pdf_confidence


def test_stacked_material_without_a_bar_is_never_a_fraction() -> None:
    """A column vector (bmatrix), cases and a pmatrix were read as fractions with full
    confidence, and the column vector's fraction was keyed as an MCQ answer: with no fraction
    bar between them, stacked rows give the reconstruction up."""
    rows = {e.number: e for e in read_pdf_paper(FIGURE_MATRIX_PAPER, where="figure_matrix_paper.pdf").equations}
    assert sorted(rows) == [str(n) for n in range(1, 10)]
    for number in ("1", "6", "7"):  # bmatrix, cases, pmatrix
        assert rows[number].confidence < THRESHOLD, rows[number]
    assert all(e.confidence >= THRESHOLD for n, e in rows.items() if n not in ("1", "6", "7"))


def test_rules_settle_fractions_square_roots_and_overlines() -> None:
    """Fraction bars, vinculums and overlines are rules: 1/sqrt(tau rho) lost its fraction and
    scrambled its scripts, sqrt(Nt Nr) covered Nt only, and the bar over y was dropped."""
    rows = {e.number: e.latex for e in read_pdf_paper(FIGURE_MATRIX_PAPER, where="figure_matrix_paper.pdf").equations}
    assert rows["2"] == r"\hat{\mathbf{h}}_{k} = \frac{1}{\sqrt{\tau_{t r} \rho_{t r}}} \mathbf{Y}_{k} \mathbf{p}_{k}^{H} ,"
    assert rows["3"] == r"G = \sqrt{N_{t} N_{r}} \beta_{0} ,"
    assert rows["4"] == r"\bar{\mathbf{h}}_{k} = \mathbf{h}_{k} - \mathbf{e}_{k} ,"
    assert rows["5"] == r"\overline{\mathbf{y}}_{k} = \mathbf{H}_{k} \mathbf{x}_{k} + \mathbf{n}_{k} ,"
    assert rows["9"] == r"\mathbf{w}_{k} = \frac{\hat{\mathbf{h}}_{k}}{\| \hat{\mathbf{h}}_{k} \|} ,"


def test_figure_text_tables_and_number_rows_are_no_equations() -> None:
    """Tick labels, legends, labels over an image, captions, a ruled table and a displayed row of
    numbers became equations ("- 2 0 - 1 5 - 1 0 - 5 0") or ran into the contexts."""
    document = read_pdf_paper(FIGURE_MATRIX_PAPER, where="figure_matrix_paper.pdf")
    assert all(e.number is not None for e in document.equations), [e.latex for e in document.equations]
    texts = [e.context_before + " " + e.context_after for e in document.equations]
    for words in ("SNR (dB)", "Rate against SNR", "Beam pattern", "Measured gains", "bit/s/Hz"):
        assert not any(words in text for text in texts), words
    assert any("The grid points of the search" in text for text in texts)  # the running text stays


def test_inline_maths_a_paragraph_runs_on_to_is_no_display() -> None:
    """An indented list item whose sentence ends on a line holding only "φk ≤ ρ1 + ρ2." was read
    as a display (and keyed): it follows a full line at the plain line distance."""
    document = read_pdf_paper(FIGURE_MATRIX_PAPER, where="figure_matrix_paper.pdf")
    assert not any(r"\rho_{1} + \rho_{2}" in e.latex for e in document.equations)
    assert any("φk ≤ ρ1 + ρ2" in e.context_after for e in document.equations)


def test_no_problem_is_keyed_from_a_reconstruction_below_its_threshold() -> None:
    """Every problem the build makes from a PDF-only paper comes from a confident equation (the
    fixture defines few symbols, so the solvability gate's allowance is opened: this is about keying)."""
    paper = ingest_paper(PaperInput("figure_matrix_paper", (FIGURE_MATRIX_PAPER,), FIGURE_MATRIX_PAPER, None))
    confidence = {e.number: e.confidence for e in paper.equations}
    problems = generate_paper(paper, seed=0, gate_config=GateConfig(max_undefined=99))["problems"]
    assert problems and all(confidence[p["equation_number"]] >= THRESHOLD for p in problems)
    assert not any(p["equation_number"] in ("1", "6", "7") for p in problems)


def _rule(x0: float, x1: float, y: float) -> tuple[float, float, float, float]:
    return (x0, y - 0.2, x1, y + 0.2)


STACKED = [_span("=", "CMR10", 0, 7, 100), _span("a", "CMMI10", 10, 15, 93), _span("b", "CMMI10", 10, 15, 107)]
RADICAL = [_span("G", "CMMI10", 0, 7, 100), _span("=", "CMR10", 9, 16, 100), _span("p", "CMEX10", 18, 26, 92.5),
           _span("N", "CMMI10", 26, 33, 100), _span("t", "CMMI7", 33, 36, 102, 7), _span("N", "CMMI10", 36, 43, 100),
           _span("r", "CMMI7", 43, 46, 102, 7), _span("β", "CMMI10", 48, 54, 100)]
# (spans, rules, expected LaTeX or None, confidence range): rules settle what stacked glyphs mean
RULED_CASES = [
    (STACKED, [_rule(9.5, 15.5, 97.5)], r"= \frac{a}{b}", (0.85, 0.95)),  # a bar: a fraction
    (STACKED, [], None, (0.0, 0.1)),  # no bar: a column vector, which is given up
    (STACKED, None, r"= \frac{a}{b}", (0.85, 0.95)),  # rules unknown: guessed from the glyphs
    (RADICAL, [_rule(26, 46, 92.5)], r"G = \sqrt{N_{t} N_{r}} \beta", (0.85, 0.95)),  # the vinculum ends after N_r
    ([_span("y", "CMBX10", 0, 6, 100), _span("k", "CMMI7", 6, 9, 102, 7), _span("=", "CMR10", 11, 18, 100),
      _span("x", "CMMI10", 20, 25, 100)], [_rule(0, 6, 92)], r"\overline{\mathbf{y}}_{k} = x", (0.85, 0.95)),
]


@pytest.mark.parametrize(("spans", "rules", "latex", "confidence"), RULED_CASES)
def test_rebuild_latex_with_rules(spans: list[Span], rules, latex: str | None, confidence: tuple[float, float]) -> None:
    got, score = rebuild_latex(spans, centre=100 - 3.0, size=10.0, rules=rules)
    assert latex is None or got == latex
    assert confidence[0] <= score <= confidence[1]


@pytest.mark.parametrize(("text", "caption"), [
    ("Fig. 3. Outage probability against SNR.", True), ("Figure 2: The system model", True),
    ("TABLE IV", True), ("Table 1: Measured gains", True), ("FIG. 1. Setup", True),
    ("Fig. 3 shows the outage probability", False), ("as shown in Fig. 3.", False), ("Tables of values", False),
])
def test_caption_lines(text: str, caption: bool) -> None:
    assert is_caption(text) is caption


@pytest.mark.parametrize(("text", "numbers"), [
    ("- 2 0 - 1 5 - 1 0 - 5 0", True), ("−20 −15 −10 −5 0", True), ("0.2 0.4 0.6 0.8 1", True), ("(12)", True),
    ("= 0", False), ("x = 1", False), ("10−3 SNR", False),
])
def test_digit_run_lines(text: str, numbers: bool) -> None:
    assert bool(_DIGIT_RUN.match(text)) is numbers


def test_best_similarity_is_blind_to_spellings_of_one_typeface() -> None:
    reference = [r"{\bm{g}}_{k} = \text{diag}(\bm{w})", r"x = \dfrac{1}{2}"]
    assert best_similarity(r"\mathbf{g}_{k} = \mathrm{diag} ( \mathbf{w} )", reference) == 1.0
    assert best_similarity(r"x = \frac{1}{2}", reference) == 1.0
    assert best_similarity("y = z", []) == 0.0
    assert best_similarity(r"\mathbf{g}_{k}^{(j) H}", [r"{\bm{g}}^{(j)H}_{k}"]) == 1.0  # script order
    assert best_similarity(r"q = [ q_{0} = 1 q_{1} = 2 ]", [r"q=\begin{bmatrix} q_{0}=1 & q_{1}=2 \end{bmatrix}"]) == 1.0
    assert best_similarity(r"\pi = \arg \max_{\pi} V", [r"\pi=\operatorname*{arg\,max}_{\pi}V"]) == 1.0
    assert best_similarity(r"\min_{\mu} W", [r"\underset{\mu}{\mathrm{min}} \; W"]) == 1.0
