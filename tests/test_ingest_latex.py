"""The LaTeX path: project flattening, comments, decoding, macros, equations, definitions."""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path

import pytest
from fixtures_ingest import MINIMAL_TEX, write_project

from wmbench.errors import IngestionError
from wmbench.ingest.definitions import parse_latex_definitions
from wmbench.ingest.latex_acronyms import Acronym, collect_acronyms, expand_acronyms
from wmbench.ingest.latex_document import parse_document
from wmbench.ingest.latex_macros import PACKAGE_MACROS, collect_macros, expand_macros
from wmbench.ingest.latex_path import read_latex_paper
from wmbench.ingest.latex_project import drop_disabled, load_latex_source, strip_comments
from wmbench.ingest.latex_refs import UNRESOLVED, rewrite_unresolved
from wmbench.ingest.template_text import is_template

# (definitions, use, expected expansion)
MACRO_CASES = [
    (r"\newcommand{\bh}{\mathbf{h}}", r"\bh_k^H", r"\mathbf{h}_k^H"),
    (r"\newcommand*{\bh}{\mathbf{h}}", r"\bh", r"\mathbf{h}"),
    (r"\newcommand{\norm}[1]{\left\|#1\right\|}", r"\norm{\bx}^2", r"\left\|\bx\right\|^2"),
    (r"\newcommand{\pair}[2]{(#1,#2)}", r"\pair{a}{b}", r"(a,b)"),
    (r"\newcommand{\opt}[2][1]{#1+#2}", r"\opt{x} \opt[y]{x}", r"1+x y+x"),
    (r"\def\snr{\mathsf{SNR}}", r"\snr/K", r"\mathsf{SNR}/K"),
    (r"\def\swap#1#2{#2#1}", r"\swap ab", r"ba"),
    (r"\DeclareMathOperator{\tr}{tr}", r"\tr(\mathbf{A})", r"\operatorname{tr}(\mathbf{A})"),
    (r"\DeclareMathOperator*{\argmax}{arg\,max}", r"\argmax_x", r"\operatorname*{arg\,max}_x"),
    (r"\newcommand{\bH}{\mathbf{H}}\newcommand{\G}{\bH\bH}", r"\G", r"\mathbf{H}\mathbf{H}"),
    (r"\newcommand{\al}{\alpha}", r"\al x", r"\alpha x"),
    (r"\def\fc{f_c}", r"4\pi\fc d", r"4\pi f_c d"),  # a command before a macro keeps its space
    (r"\newcommand{\x}{X}", r"\\x \xi", r"\\x \xi"),  # a line break then x; \xi is another macro
    (r"\renewcommand{\vec}[1]{\mathbf{#1}}", r"\vec{v}", r"\mathbf{v}"),
    (r"\newcommand{\a}{A}\providecommand{\a}{B}", r"\a", r"A"),
    (r"\DeclareRobustCommand{\vc}{\mathbf{c}}", r"\vc", r"\mathbf{c}"),
    (r"\newcommand{\nrm}[1]{\left\lVert#1\right\rVert}", r"\nrm{x}", r"\left\lVert x\right\rVert"),  # not \lVertx
    (r"\newcommand{\nrm}[1]{\|#1\|}\let\n\nrm \let\m=\nrm", r"\n{a} \m{b}", r"\|a\| \|b\|"),  # a copy
    # a saved command is not expanded again: no endless \sqrt -> \oldsqrt -> \sqrt
    (r"\let\oldsqrt\sqrt \renewcommand{\sqrt}[1]{\oldsqrt{#1}}", r"\sqrt{z} \oldsqrt x", r"\sqrt{z} \sqrt x"),
    # the paper's environments: their begin and end code, the arguments substituted
    (r"\newenvironment{eqn}{\begin{equation}}{\end{equation}}", r"\begin{eqn} y = x \end{eqn}",
     r"\begin{equation} y = x \end{equation}"),
    (r"\newenvironment{tagged}[1]{\begin{equation}\tag{#1}}{\end{equation}}", r"\begin{tagged}{P1} y \end{tagged}",
     r"\begin{equation}\tag{P1} y \end{equation}"),
]


@pytest.mark.parametrize(("definitions", "use", "expected"), MACRO_CASES)
def test_macro_expansion(definitions: str, use: str, expected: str) -> None:
    text, macros, _ = collect_macros(definitions + "\n" + use)
    assert " ".join(expand_macros(text, macros, where="t.tex").split()) == expected


def test_package_commands_katex_lacks_read_as_their_equivalent_unless_the_paper_defines_them() -> None:
    text, macros, _ = collect_macros(r"\newcommand{\mathds}[1]{\mathbf{#1}} $\mathbbm{1}_{k} \mathds{E} \mbox{if } \makebox[1cm]{a}$")
    expanded = expand_macros(text, {**PACKAGE_MACROS, **macros}, where="t.tex")
    assert " ".join(expanded.split()) == r"$\mathbb{1}_{k} \mathbf{E} \text{if } \text{a}$"


@pytest.mark.parametrize("definitions", [r"\newcommand{\a}{\a}", r"\newcommand{\a}{\b}\newcommand{\b}{x\a}", r"\def\loop{\loop}"])
def test_recursive_macros_are_a_clear_error(definitions: str) -> None:
    text, macros, _ = collect_macros(definitions + r" $\a \loop$")
    with pytest.raises(IngestionError, match=r"expands recursively \(more than 32 levels\)") as info:
        expand_macros(text, macros, where="paper.tar.gz")
    assert info.value.where == "paper.tar.gz"


def test_def_with_delimited_parameters_is_left_alone_with_a_warning() -> None:
    text, macros, warnings = collect_macros(r"\def\pt#1.{[#1]} $\pt 3.$")
    assert "pt" not in macros and "delimited parameters" in warnings[0]


COMMENT_CASES = [
    ("a% note\nb", "ab"),  # the comment eats its newline, as in TeX
    ("a % note\nb", "a b"),
    ("50\\% of users % why\n  rest", "50\\% of users rest"),
    ("x \\\\% after a line break\ny", "x \\\\y"),
    ("% whole line\n% another\ntext", "text"),
]


@pytest.mark.parametrize(("source", "expected"), COMMENT_CASES)
def test_strip_comments(source: str, expected: str) -> None:
    assert strip_comments(source) == expected


def test_inputs_are_resolved_and_the_main_file_found(tmp_path: Path) -> None:
    write_project(tmp_path, {
        "zz_notes.tex": "no documentclass here",
        "paper.tex": "\\documentclass{article}\\begin{document}\\input{sec/a}\\include{sec/b.tex}\\end{document}",
        "sec/a.tex": "Alpha \\input sec/c",
        "sec/b.tex": "Beta",
        "sec/c.tex": "Gamma",
    })
    source = load_latex_source(tmp_path, where="proj/")
    assert source.main == "paper.tex"
    assert "Alpha Gamma" in source.text and "Beta" in source.text


def test_missing_input_names_the_file(tmp_path: Path) -> None:
    write_project(tmp_path, {"main.tex": "\\documentclass{article}\\begin{document}\\input{sections/model}\\end{document}"})
    with pytest.raises(IngestionError, match=r"\\input\{sections/model\} in main.tex: file not found"):
        load_latex_source(tmp_path, where="proj/")


def test_a_missing_figure_or_table_input_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """Such inputs hold no equations; a missing section input still fails (see above)."""
    body = ("\\documentclass{article}\\begin{document}A $x$.\\input{figs/fig1.tikz}\\input{tables/results}"
            "\\input{plot.pgf}B.\\end{document}")
    write_project(tmp_path, {"main.tex": body})
    source = load_latex_source(tmp_path, where="proj/")
    assert "A $x$.B." in source.text
    assert [w.split(":")[0] for w in source.warnings] == [
        "\\input{figs/fig1.tikz} in main.tex", "\\input{tables/results} in main.tex", "\\input{plot.pgf} in main.tex"]
    assert all(w.endswith("(a figure or table input: left out)") for w in source.warnings)


def test_input_outside_the_project_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "secret.tex").write_text("SECRET")
    project = write_project(tmp_path / "proj", {"main.tex": "\\documentclass{article}\\input{../secret}"})
    with pytest.raises(IngestionError, match="file not found"):
        load_latex_source(project, where="proj/")


def test_symlink_out_of_a_project_folder_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "outside.tex").write_text("\\documentclass{article}\\begin{document}OUTSIDE\\end{document}")
    project = write_project(tmp_path / "proj", {"main.tex": MINIMAL_TEX})
    (project / "aaa.tex").symlink_to(tmp_path / "outside.tex")
    source = load_latex_source(project, where="proj/")
    assert source.main == "main.tex" and "OUTSIDE" not in source.text


def test_latin1_source_decodes_with_a_warning(tmp_path: Path) -> None:
    body = MINIMAL_TEX.replace("A Tiny Channel Model", "Syst\u00e8me \u00e0 r\u00e9cepteur")
    write_project(tmp_path, {"main.tex": body.encode("latin-1")})
    document, warnings = read_latex_paper(tmp_path, where="proj/")
    assert document.title == "Syst\u00e8me \u00e0 r\u00e9cepteur"
    assert warnings == ["main.tex: not UTF-8, decoded as latin-1"]


def test_no_main_file_is_an_error(tmp_path: Path) -> None:
    write_project(tmp_path, {"notes.tex": "just text"})
    with pytest.raises(IngestionError, match="no .tex file with \\\\documentclass"):
        load_latex_source(tmp_path, where="proj/")


EQUATIONS_DOC = r"""
\section{Model}
First \begin{equation} a = b \label{eq:first} \end{equation} then
\begin{align}
x &= y + z \label{eq:x} \\
  &\leq w \nonumber \\
u &= v \tag{T} \\
p &= q \notag
\end{align}
\[ \text{unnumbered} = 1 \]
$$ c = d $$
\begin{equation*} e = f \end{equation*}
\begin{gather} g = h \\ i = j \end{gather}
\begin{multline} k = l \\ + m \end{multline}
\begin{eqnarray} n &=& o \label{eq:n} \end{eqnarray}
\begin{equation}\begin{split} s &= t \\ &= r \end{split}\label{eq:split}\end{equation}
\begin{subequations}\begin{align} q_1 &= 1 \\ q_2 &= 2 \end{align}\end{subequations}
\begin{IEEEeqnarray}{rCl} y &=& h x \label{eq:ieee} \\ z &=& w \IEEEnonumber \end{IEEEeqnarray}
\begin{IEEEeqnarray*}{c} v = 0 \IEEEyesnumber \end{IEEEeqnarray*}
\begin{equation}\begin{aligned} f &= g \\ &= e \end{aligned}\end{equation}
\begin{dmath} r = s + t \end{dmath}
See \eqref{eq:x}, \ref{eq:n} and \eqref{eq:ieee}.
"""
# (latex, number, label)
EXPECTED_ROWS = [
    ("a = b", "1", "eq:first"),
    ("x = y + z", "2", "eq:x"),
    (r"\leq w", None, None),
    ("u = v", "T", None),
    ("p = q", None, None),
    (r"\text{unnumbered} = 1", None, None),
    ("c = d", None, None),
    ("e = f", None, None),
    ("g = h", "3", None),
    ("i = j", "4", None),
    ("k = l + m", "5", None),
    ("n = o", "6", "eq:n"),
    ("s = t = r", "7", "eq:split"),
    ("q_1 = 1", "8a", None),
    ("q_2 = 2", "8b", None),
    ("y = h x", "9", "eq:ieee"),  # IEEEtran: the column spec {rCl} is not part of the equation
    ("z = w", None, None),
    ("v = 0", "10", None),
    ("f = g = e", "11", None),
    ("r = s + t", "12", None),
]


def test_display_math_rows_numbers_and_labels() -> None:
    document = parse_document(EQUATIONS_DOC, where="t.tex")
    got = [(e.latex, e.number, e.label) for e in document.equations]
    assert got == EXPECTED_ROWS
    assert all(e.section == "Model" for e in document.equations)
    assert document.equations[0].context_before == "First"
    assert "See (2), 6 and (9)." in document.equations[-1].context_after


def test_numbering_within_sections() -> None:
    text = r"\numberwithin{equation}{section}\section{A}\begin{equation}a\end{equation}\section{B}\begin{equation}b\end{equation}"
    assert [e.number for e in parse_document(text, where="t.tex").equations] == ["1.1", "2.1"]


# (text after an equation, expected definitions)
DEFINITION_CASES = [
    (r"where $\mathbf{h}_k\in\mathbb{C}^{M}$ is the channel of user $k$, $x$ is the symbol, and $n_k\sim\mathcal{CN}(0,\sigma^2)$ is the noise. Next.",
     {r"\mathbf{h}_k": "the channel of user $k$", "x": "the symbol", "n_k": "the noise"}),
    (r", where $\alpha>0$ is the regularization parameter and $\xi$ is a normalization constant.",
     {r"\alpha": "the regularization parameter", r"\xi": "a normalization constant"}),
    (r"where $x$ and $y$ denote the inputs, respectively.", {"x": "the inputs", "y": "the inputs"}),
    # a "respectively" list of noun phrases pairs symbols and descriptions; if the counts differ, neither is defined
    (r"where $P_t$ and $\sigma^2$ are the transmit power and the noise power, respectively.",
     {"P_t": "the transmit power", r"\sigma^2": "the noise power"}),
    (r"where $\alpha$, $\beta$ and $\gamma$ denote the exponent, the shadowing, and the SNR, respectively.",
     {r"\alpha": "the exponent", r"\beta": "the shadowing", r"\gamma": "the SNR"}),
    (r"where $d_1$, $d_2$ and $d_3$ are the distance and the angles, respectively.", {}),
    (r"where $\mathbf{h}_k$ and $\mathbf{g}_k$ are the channels from the BS and the RIS to user $k$, respectively.",
     {r"\mathbf{h}_k": "the channels from the BS and the RIS to user $k$",
      r"\mathbf{g}_k": "the channels from the BS and the RIS to user $k$"}),  # one plural phrase, distributed
    (r"where $d_1$ and $d_2$ are the distances of the BS and users 1 and 2, respectively.",
     {"d_1": "the distances of the BS and users 1 and 2", "d_2": "the distances of the BS and users 1 and 2"}),
    # "and" inside one noun phrase: the phrase is shared, not split into "the losses of LoS" / "NLoS links"
    (r"where $\eta_1$ and $\eta_2$ are the losses of the LoS and NLoS links, respectively.",
     {r"\eta_1": "the losses of the LoS and NLoS links", r"\eta_2": "the losses of the LoS and NLoS links"}),
    (r"in which $\mathbf{F}$ stands for the precoder and $\mathbf{W}$ for the combiner.",
     {r"\mathbf{F}": "the precoder", r"\mathbf{W}": "the combiner"}),  # "stands" left out
    (r"where $P$ denotes the power; $B$ stands for the bandwidth.", {"P": "the power", "B": "the bandwidth"}),
    (r"in which $\theta$ represents the angle.", {r"\theta": "the angle"}),
    (r"where the numerator is the desired power.", {}),
    (r"The next sentence, where $x$ is late.", {}),
    (r"where $3.5$ is the exponent. Then $y$ is not part of it.", {"3.5": "the exponent"}),
    # the verb is often left out after the first item
    (r"where $x$ is the symbol, $P$ the transmit power, $h_1$ and $h_2$ the fading coefficients, and $n$ the noise.",
     {"x": "the symbol", "P": "the transmit power", "h_1": "the fading coefficients", "h_2": "the fading coefficients",
      "n": "the noise"}),
    # a definition by equation joined with "and" is not part of the description before it
    (r"where $n\sim\mathcal{CN}(0,\sigma^2)$ is the receiver noise and $\mathbf{v}=[e^{j\theta_1},\dots]^T$. Next.",
     {"n": "the receiver noise"}),
    (r"where $u$ is the message, $\phi\in(0,1]$ the power fraction of $u$ the user sends.",
     {"u": "the message", r"\phi": "the power fraction of $u$ the user sends"}),
]


@pytest.mark.parametrize(("after", "expected"), DEFINITION_CASES)
def test_where_clause_definitions(after: str, expected: dict[str, str]) -> None:
    assert parse_latex_definitions(after) == expected


def test_minimal_paper_end_to_end(tmp_path: Path) -> None:
    write_project(tmp_path, {"main.tex": MINIMAL_TEX})
    document, warnings = read_latex_paper(tmp_path, where="proj/")
    assert warnings == []
    assert document.title == "A Tiny Channel Model" and document.abstract == "A two-equation note."
    assert [e.latex for e in document.equations] == [r"y = \mathbf{h}^H x + n,", r"R = \log_2(1+\mathrm{SNR})."]
    assert document.equations[0].definitions == {
        r"\mathbf{h}": "the channel vector", "x": "the symbol", "n": "the noise",
    }


def test_contexts_after_a_reference_are_not_shifted() -> None:
    """A resolved \\eqref is shorter than its label: contexts used to be cut at the old offsets."""
    text = r"""\section{Model}
The signal model \eqref{eq:received-signal-of-the-typical-user} is used throughout.
\begin{equation} y = h x + n \label{eq:received-signal-of-the-typical-user} \end{equation}
where $h$ is the channel gain. Then the rate follows as
\begin{equation} R = \log_2(1+\gamma) \end{equation}
where $\gamma$ is the received SNR."""
    first, second = parse_document(text, where="t.tex").equations
    assert first.context_before == "The signal model (1) is used throughout."
    assert second.context_before == "where $h$ is the channel gain. Then the rate follows as"
    assert second.context_after == "where $\\gamma$ is the received SNR."
    assert second.definitions == {"\\gamma": "the received SNR"}


def test_figures_tables_and_the_bibliography_are_cut_before_parsing() -> None:
    """They are never walked; cutting them first changes nothing but the time."""
    body = r"""\section{Model}
The rate is
\begin{equation} R = \log_2(1+\gamma) \label{eq:r} \end{equation}
where $\gamma$ is the SNR.
\begin{figure*}[t]\includegraphics{f.pdf}\caption{Rate versus $\gamma$, see \eqref{eq:r}.}\label{fig:r}\end{figure*}
The outage probability follows as
\begin{equation} P_{\mathrm{out}} = 1 - e^{-x} \end{equation}
where $x$ is the threshold.
\begin{table}\begin{tabular}{ll} $B$ & 20 MHz \end{tabular}\end{table}
"""
    bibliography = r"\begin{thebibliography}{9}\bibitem{a} A. Author, ``Rates,'' 2020.\end{thebibliography}"
    plain = parse_document(body, where="t.tex")
    full = parse_document(body + bibliography, where="t.tex")
    assert [(e.latex, e.number, e.context_before, e.context_after) for e in full.equations] == \
        [(e.latex, e.number, e.context_before, e.context_after) for e in plain.equations]
    assert [e.number for e in full.equations] == ["1", "2"]
    assert full.equations[1].context_before.endswith("the SNR. The outage probability follows as")  # no caption
    assert "Rates" not in full.equations[1].context_after


def test_a_dropped_citation_leaves_no_space_before_the_full_stop() -> None:
    text = r"A receiver has $N$ antennas~\cite{tse}. The signal is \begin{equation} y = h x + n \end{equation} where $h$ is the gain."
    (equation,) = parse_document(text, where="t.tex").equations
    assert equation.context_before == "A receiver has $N$ antennas. The signal is"


def test_subequations_keep_the_paragraph_around_them() -> None:
    """The line breaks inside ``subequations`` (after its label, around the align) are layout:
    the rows' context is the sentence that introduces the problem and the one after it."""
    text = r"""\section{Problem}
We maximise the minimum rate:
\begin{subequations}\label{eq:p}
\begin{align}
\max_{p} \quad & \min_k R_k \label{eq:obj}\\
\text{s.t.} \quad & 0 \le p_k \le P, \quad \forall k. \label{eq:pow}
\end{align}
\end{subequations}
Constraint~\eqref{eq:pow} is a box."""
    rows = parse_document(text, where="t.tex").equations
    assert [e.number for e in rows] == ["1a", "1b"]
    assert all(e.context_before == "We maximise the minimum rate:" for e in rows)
    assert all(e.context_after == "Constraint (1b) is a box." for e in rows)


def test_intertext_is_no_part_of_a_row_and_eqno_numbers_a_display() -> None:
    text = r"""\begin{align}
R &= \log_2(1 + \gamma) \label{eq:r}\\
\intertext{and, by Jensen's inequality,}
R &\le \log_2(1 + \bar{\gamma})
\end{align}
$$ \mathbf{H} = \mathbf{U}\mathbf{\Sigma}\mathbf{V}^{H} \eqno(9) $$"""
    got = [(e.latex, e.number) for e in parse_document(text, where="t.tex").equations]
    assert got == [("R = \\log_2(1 + \\gamma)", "1"), ("R \\le \\log_2(1 + \\bar{\\gamma})", "2"),
                   ("\\mathbf{H} = \\mathbf{U}\\mathbf{\\Sigma}\\mathbf{V}^{H}", "9")]


# -- real-paper constructs, each as a small paper of our own with a golden ingest -------------------
# tests/data/latex_cases/<case>.tex (or <case>/ with a main file) -> <case>.golden.json, named for
# the construct that real papers exposed. Regenerate with WMBENCH_UPDATE_GOLDENS=1.
LATEX_CASES = Path(__file__).parent / "data" / "latex_cases"


def _ingest_summary(source: Path) -> dict:
    document, warnings = read_latex_paper(source, where=source.name)
    return {
        "title": document.title, "abstract": document.abstract, "sections": document.sections,
        "template_sections": document.template_sections, "warnings": warnings,
        "equations": [{"number": e.number, "section": e.section, "latex": e.latex, "before": e.context_before,
                       "after": e.context_after, "skip": e.skip} for e in document.equations],
    }


@pytest.mark.parametrize("source", sorted(p for p in LATEX_CASES.iterdir() if p.suffix == ".tex" or p.is_dir()),
                         ids=lambda p: p.stem)
def test_latex_case_matches_its_golden(source: Path) -> None:
    got = json.dumps(_ingest_summary(source), indent=2, ensure_ascii=False) + "\n"
    golden = LATEX_CASES / f"{source.stem}.golden.json"
    if os.environ.get("WMBENCH_UPDATE_GOLDENS") == "1":
        golden.write_text(got, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "golden", "got"))
    assert got == expected, diff


def test_no_latex_case_leaves_a_macro_a_key_or_a_question_mark() -> None:
    """The defects real papers showed, checked over every case's text at once."""
    for source in sorted(p for p in LATEX_CASES.iterdir() if p.suffix == ".tex" or p.is_dir()):
        text = json.dumps(_ingest_summary(source)["equations"]) + json.dumps(_ingest_summary(source)["abstract"])
        assert not re.search(r"\\\\(?:gls|Gls|glspl|acr\w+|ac|acp|Ac|acs|acl|acf|acro)\b", text), source.name
        assert "?" not in text, source.name
        assert not re.search(r"\b(?:bs|ut|ris|ambc|snr|csi)\b", text), source.name


# (definitions, use, expected): each package's commands, in prose and in maths
ACRONYM_CASES = [
    (r"\newacronym{bs}{BS}{base station}", r"\gls{bs}, \gls{bs}, \Gls{bs}, \GLS{bs}", "base station (BS), BS, BS, BS"),
    (r"\newacronym{bs}{BS}{base station}", r"\glspl{bs} then \Glspl{bs}", "base stations (BSs) then BSs"),
    (r"\newacronym{bs}{BS}{base station}", r"\acrlong{bs}; \Acrlong{bs}; \acrshort{bs}; \gls{bs}",
     "base station; Base station; BS; base station (BS)"),  # \acrshort does not count as the first use
    (r"\newacronym[longplural={antennas in arrays}]{aa}{AA}{antenna array}", r"\acrlongpl{aa}", "antennas in arrays"),
    (r"\newacronym[plural=NFs, firstplural={network functions (NFs)}]{nf}{NF}{network function}",
     r"\glspl{nf} and \glspl{nf}", "network functions (NFs) and NFs"),
    (r"\newabbreviation{ue}{UE}{user equipment}", r"\glsxtrfull{ue} and \glsxtrshort{ue}", "user equipment (UE) and UE"),
    (r"\newglossaryentry{snr}{name={SNR}, description={signal-to-noise ratio}}", r"the \gls{snr}", "the SNR"),
    (r"\acro{ris}[RIS]{reconfigurable intelligent surface}", r"\ac{ris}, \ac{ris}, \acp{ris}, \Acl{ris}",
     "reconfigurable intelligent surface (RIS), RIS, RISs, Reconfigurable intelligent surface"),
    (r"\acro{ris}[RIS]{reconfigurable intelligent surface}", r"\acs{ris} then \ac{ris}; \acresetall \ac{ris}",
     "RIS then reconfigurable intelligent surface (RIS); reconfigurable intelligent surface (RIS)"),
    (r"\acro{ut}[UT]{user terminal}\acroplural{ut}[UTs]{user terminals}", r"\acfp{ut}", "user terminals (UTs)"),
    (r"\acro{ut}[UT]{user terminal}", r"\acused{ut}\ac{ut} \Ac{ut}", "UT UT"),
    (r"\DeclareAcronym{uav}{short=UAV, long={unmanned aerial vehicle}}", r"\ac{uav} then \ac{uav}",
     "unmanned aerial vehicle (UAV) then UAV"),
    (r"\acro{SNR}[\ensuremath{\mathrm{SNR}}]{signal-to-noise ratio}", r"\ac{SNR}", "signal-to-noise ratio (SNR)"),
    # in maths: the short form, upright unless a text group already holds it; no first use spent
    (r"\newacronym{ambc}{AmBC}{ambient backscatter communication}", r"$I^{\text{\gls{ambc}}}$ \gls{ambc}",
     r"$I^{\text{AmBC}}$ ambient backscatter communication (AmBC)"),
    (r"\acro{bs}[BS]{base station}", r"\begin{equation} P_{\ac{bs}} + P_{\acp{bs}} \end{equation}",
     r"\begin{equation} P_{\mathrm{BS}} + P_{\mathrm{BSs}} \end{equation}"),
    (r"\acro{SNR}[\ensuremath{\mathrm{SNR}}]{signal-to-noise ratio}", r"\[ \gamma = \ac{SNR} \]",
     r"\[ \gamma = \mathrm{SNR} \]"),
    ("", r"the \ac{ris} and $\gls{bs}$", r"the RIS and $\mathrm{BS}$"),
    (r"\newacronym{bs}{BS}{base station}", r"\glsdisp{bs}{the macro cell}, \gls{bs}", "the macro cell, BS"),  # never defined: upper-cased key
]


@pytest.mark.parametrize(("definitions", "use", "expected"), ACRONYM_CASES)
def test_acronym_expansion(definitions: str, use: str, expected: str) -> None:
    text, acronyms = collect_acronyms(definitions + "\n" + use)
    expanded, _ = expand_acronyms(text, acronyms)
    assert " ".join(expanded.split()) == expected


def test_an_undefined_acronym_key_is_a_warning() -> None:
    _, warnings = expand_acronyms(r"\ac{ris}", {})
    assert warnings == ["acronym key 'ris' is used but never defined; read as 'RIS'"]


def test_the_acronym_list_is_dropped_with_its_definitions() -> None:
    text, acronyms = collect_acronyms("Text.\n\\begin{acronym}[LTE]\n\\acro{lte}[LTE]{long term evolution}\n"
                                      "\\end{acronym}\n\\printacronyms")
    assert text.strip() == "Text." and acronyms["lte"] == Acronym("LTE", "long term evolution")


# (text with references, what it reads as): an unresolved reference never shows a "?"
_U = UNRESOLVED
UNRESOLVED_CASES = [
    (f"shown in Fig.~{_U}figure{_U}(b).", "shown in the figure."),
    (f"By Corollary {_U}{_U}, the rate", "By the corollary, the rate"),
    (f"Proposition {_U}{_U} shows", "The proposition shows"),
    (f"from ({_U}equation{_U}) and", "from the equation and"),
    (f"see {_U}{_U} for", "see for"),
    (f"as in {_U}theorem{_U}.", "as in the theorem."),
]


@pytest.mark.parametrize(("text", "expected"), UNRESOLVED_CASES)
def test_unresolved_references_read_neutrally(text: str, expected: str) -> None:
    assert rewrite_unresolved(text) == expected


@pytest.mark.parametrize(("text", "template"), [
    ("Lorem ipsum dolor sit amet, consectetur.", True),
    ("Paper Title (use style: paper title)", True),
    ("The abstract goes here.", True),
    ("This file shows the class options of the IEEEtran class and the LaTeX commands.", True),
    ("The received signal at the LaTeX-free receiver is y.", False),  # one weak marker is not enough
    ("We propose a template-matching detector for the radar echo.", False),
    ("Italicize the symbols of your equations and punctuate them.", True),  # guidance to the author
    ("Number it with the \\label command; LaTeX does the rest.", True),  # a PDF's text of a how-to
    ("If you deploy your RIS near the user, you gain the most.", False),  # a tutorial may speak to the reader
    # filler in the manner of Lorem ipsum (our own nonsense words), and real prose of the same length
    ("Vurum dolentis quam ribet sanctum aperit, nobis vocatur amentis doleret quibus estum. Farit "
     "velorum insunt tactis memorem dicunt, ut sequam lenitur oratis fugiant volupta nam vorem rerum.", True),
    ("We consider a downlink in which a base station with many antennas serves several users over a "
     "flat-fading channel, and the precoder is chosen to maximise the minimum rate of the users.", False),
    ("The channel is Rayleigh fading and the noise is white.", False),
])
def test_template_text(text: str, template: bool) -> None:
    assert is_template(text) is template


@pytest.mark.parametrize(("source", "expected"), [
    (r"a \iffalse b \fi c", "a  c"),
    (r"a \iffalse b \ifx\x\y q\else r\fi s \else t \fi u", "a  t  u"),  # nested conditionals; the else branch is read
    (r"x \iff y \iffalse \iff z\fi w", r"x \iff y  w"),  # \iff is a relation, not a conditional
])
def test_iffalse_blocks_are_dropped(source: str, expected: str) -> None:
    assert drop_disabled(source) == expected


def test_cref_to_several_labels_and_autoref_name_their_kinds() -> None:
    text = r"""\begin{figure}\caption{Setup}\label{fig:a}\end{figure}
\section{Model}\label{sec:m}
\begin{equation} y = h x + n \label{eq:y} \end{equation}
\begin{equation} z = g y + w \label{eq:z} \end{equation}
By \cref{eq:y,eq:z}, \autoref{fig:a} and \Cref{sec:m}, the end-to-end gain is
\begin{equation} z = g h x + g n + w \end{equation}"""
    last = parse_document(text, where="t.tex").equations[-1]
    assert last.context_before == "By Eq. (1) and Eq. (2), Fig. 1 and Section 1, the end-to-end gain is"


def test_an_abstract_given_as_a_command_in_the_preamble_is_read() -> None:
    text = r"""\documentclass{article}\abstract[Summary]{We estimate a fast-fading channel.}
\begin{document}\section{Model} The signal is \begin{equation} y = h x + n \end{equation}\end{document}"""
    assert parse_document(text, where="t.tex").abstract == "We estimate a fast-fading channel."


def test_references_inside_an_equation_print_numbers_and_a_braced_label_is_a_label() -> None:
    text = r"""\begin{equation}{\label{eq:p}} p_k \le P \end{equation}
\begin{align} \max_{p} \ & \sum_k R_k \\ \text{s.t.} \ & \eqref{eq:p}, \ref{eq:p} \end{align}
\begin{equation} \text{s.t.} \ \eqref{eq:gone} \end{equation}"""
    rows = parse_document(text, where="t.tex").equations
    assert (rows[0].label, rows[0].latex) == ("eq:p", "p_k \\le P")
    assert rows[2].latex == "\\text{s.t.} \\ \\text{(1)}, \\text{1}" and rows[2].skip is None
    assert rows[3].skip == "refers to an equation by a label the paper never defines"


def test_a_label_in_a_theorem_the_class_declares_or_in_a_list_names_no_section() -> None:
    """svjour3 and llncs declare their own theorems: their numbers are unknown here, so a
    reference to one reads neutrally instead of taking the section's number."""
    text = r"""\section{Analysis}\label{sec:a}
\begin{proposition}\label{prop:x} The rate grows with $P$. \end{proposition}
\begin{enumerate}\item[(a)] The rate is finite. \item The power is capped.\label{step:cap}\end{enumerate}
By Proposition~\ref{prop:x}, Step~\ref{step:cap} and Section~\ref{sec:a},
\begin{equation} R = \log_2(1 + P) \end{equation}"""
    (equation,) = parse_document(text, where="t.tex").equations
    assert equation.context_before.endswith("(a) The rate is finite. The power is capped. "
                                            "By the proposition, the step and Section 1,")
    assert "*" not in equation.context_before  # no bullet


def test_layout_commands_are_no_part_of_a_row() -> None:
    text = r"""\begin{IEEEeqnarray}{rCl} \small R & = & \log_2(1+\gamma) \IEEEeqnarraynumspace \end{IEEEeqnarray}"""
    (row,) = parse_document(text, where="t.tex").equations
    assert row.latex == "R = \\log_2(1+\\gamma)"


def test_display_maths_a_misparse_swallowed_is_a_warning() -> None:
    r"""A stray ``$`` makes the parser read the rest as maths: the lost equation is reported,
    not silently missing."""
    text = r"\begin{document} \mbox{$ a } \begin{equation} y = h x \end{equation} text \end{document}"
    document = parse_document(text, where="t.tex")
    assert document.warnings == ["1 of 1 display-math blocks could not be read (the LaTeX around them does not parse)"]


def test_a_label_on_an_algorithm_line_is_not_the_algorithm() -> None:
    text = r"""\begin{algorithm}\caption{Power control}\label{alg:pc}
\begin{algorithmic}\STATE update $p$ \label{line:up}\end{algorithmic}\end{algorithm}
Algorithm~\ref{alg:pc} repeats line~\ref{line:up} until
\begin{equation} |p^{(t+1)} - p^{(t)}| \le \epsilon \end{equation}"""
    (equation,) = parse_document(text, where="t.tex").equations
    assert equation.context_before == "Algorithm 1 repeats the line until"


@pytest.mark.parametrize("prose", [
    r"\begin{minted}{python} price = '$5' \end{minted}",  # code blocks are verbatim
    r"\begin{Verbatim} cost: $ \end{Verbatim}",
    r"see \url{http://example.org/~user/$file} and \href{http://example.org/$}{the code}.",  # so are URLs
])
def test_verbatim_text_with_a_dollar_does_not_swallow_the_equations(prose: str) -> None:
    text = rf"\begin{{document}} {prose} The signal is \begin{{equation}} y = h x \end{{equation}} \end{{document}}"
    document = parse_document(text, where="t.tex")
    assert [e.latex for e in document.equations] == ["y = h x"] and not document.warnings


def test_and_joining_two_equations_of_a_block_is_no_part_of_either() -> None:
    text = r"""\begin{align}
y &= h x + n, \quad \text{and} \\
\text{and }\; z &= g y + w \\
&\quad + v
\end{align}"""
    rows = [(e.number, e.latex) for e in parse_document(text, where="t.tex").equations]
    assert rows == [("1", "y = h x + n"), ("2", "z = g y + w"), ("3", "\\quad + v")]  # a continued line stays a row


def test_revision_colours_leave_their_text_and_no_colour_name() -> None:
    text = r"""\begin{document}\textcolor{blue}{We propose} a \color{red} scheme and \colorbox{yellow}{boxed} text:
\begin{equation} y = \textcolor{red}{h} x + {\color{blue} n} \end{equation}\end{document}"""
    (equation,) = parse_document(text, where="t.tex").equations
    assert equation.context_before == "We propose a scheme and boxed text:"
    assert equation.latex == "y = {h} x + {n}"


# (where an equation stands, the region ingestion records): proofs and appendices hold the steps
# of an argument, which selection does not pose as system-model equations.
REGIONS = [
    (r"\section{System Model} We consider a link. \begin{equation} y = h x + n \end{equation}", ["body"]),
    (r"\begin{proof} Hence \begin{equation} a = b + c \end{equation} \end{proof}", ["proof"]),
    (r"\begin{IEEEproof} We have \begin{align} a &= b \\ &= c \end{align} \end{IEEEproof}", ["proof", "proof"]),
    (r"\begin{theorem} \begin{equation} R = \log(1+x) \end{equation} \end{theorem}", ["body"]),
    (r"\appendix \section{Derivation} \begin{equation} d = e + f \end{equation}", ["appendix"]),
    (r"\begin{appendices} \section{Derivation} \begin{equation} d = e + f \end{equation} \end{appendices}", ["appendix"]),
    # a proof ends where its environment ends: the equation after it is in the body again
    (r"\begin{proof} \begin{equation} a = b \end{equation} \end{proof} Then \begin{equation} u = v + w \end{equation}",
     ["proof", "body"]),
]


@pytest.mark.parametrize(("body", "regions"), REGIONS, ids=[r[0][:40] for r in REGIONS])
def test_the_region_of_each_equation_is_read_from_the_structure(body: str, regions: list[str]) -> None:
    text = "\\documentclass{article}\\begin{document}\n" + body + "\n\\end{document}"
    assert [e.region for e in parse_document(text, where="t.tex").equations] == regions
