"""Tables that turn PDF glyphs into LaTeX: Unicode math, Computer Modern extension glyphs,
font families (bold, blackboard, calligraphic, sans) and upright function names.
"""

from __future__ import annotations

import re
from functools import lru_cache

GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ϵ": r"\epsilon", "ε": r"\varepsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ϑ": r"\vartheta", "ι": r"\iota", "κ": r"\kappa",
    "λ": r"\lambda", "μ": r"\mu", "µ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ϖ": r"\varpi",
    "ρ": r"\rho", "ϱ": r"\varrho", "σ": r"\sigma", "ς": r"\varsigma", "τ": r"\tau", "υ": r"\upsilon",
    "φ": r"\phi", "ϕ": r"\phi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega",
    "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi",
    "Σ": r"\Sigma", "Υ": r"\Upsilon", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
    "∆": r"\Delta", "Ω": r"\Omega",  # the increment and ohm signs some fonts (Latin Modern) give
}
OPERATORS = {
    "−": "-", "∗": "*", "·": r"\cdot", "×": r"\times", "÷": r"\div", "±": r"\pm", "∓": r"\mp",
    "≤": r"\leq", "≥": r"\geq", "≪": r"\ll", "≫": r"\gg", "≈": r"\approx", "∼": r"\sim", "≃": r"\simeq",
    "≠": r"\neq", "≡": r"\equiv", "≜": r"\triangleq", "∝": r"\propto", "∈": r"\in", "∉": r"\notin",
    "⊂": r"\subset", "⊆": r"\subseteq", "∪": r"\cup", "∩": r"\cap", "∀": r"\forall", "∃": r"\exists",
    "∂": r"\partial", "∇": r"\nabla", "∞": r"\infty", "→": r"\to", "←": r"\leftarrow", "⇒": r"\Rightarrow",
    "⇔": r"\Leftrightarrow", "↦": r"\mapsto", "∥": r"\|", "‖": r"\|", "⊥": r"\perp", "⊗": r"\otimes",
    "⊕": r"\oplus", "⊙": r"\odot", "†": r"\dagger", "∑": r"\sum", "∏": r"\prod", "∫": r"\int",
    "√": r"\sqrt", "…": r"\dots", "⋯": r"\cdots", "⋮": r"\vdots", "⋱": r"\ddots", "ℓ": r"\ell",
    "ℜ": r"\Re", "ℑ": r"\Im", "∅": r"\emptyset", "⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil",
    "⌉": r"\rceil", "⟨": r"\langle", "⟩": r"\rangle", "′": "'", "∘": r"\circ", "⋆": r"\star",
    "{": r"\{", "}": r"\}", "̸": r"\not",
    # pieces of a tall bracket (Unicode and the private-use codes Latin Modern's extension font
    # gives): the top piece stands for the bracket, the others add nothing
    "⎛": "(", "\uf8eb": "(", "⎞": ")", "\uf8f6": ")", "⎡": "[", "\uf8ee": "[", "⎤": "]", "\uf8f9": "]",
    "⎧": r"\{", "\uf8f1": r"\{", "⎫": r"\}", "\uf8fc": r"\}",
    **dict.fromkeys("⎜⎝⎟⎠⎢⎣⎥⎦⎨⎩⎪⎬⎭\uf8ec\uf8ed\uf8f7\uf8f8\uf8ef\uf8f0\uf8fa\uf8fb\uf8f2\uf8f3\uf8f4\uf8fd\uf8fe", ""),
}
# Computer Modern extension font (CMEX10): glyph code -> LaTeX (big delimiters and operators).
CMEX = {
    "\x00": "(", "\x10": "(", "\x12": "(", "\x20": "(", "0": "(",
    "\x01": ")", "\x11": ")", "\x13": ")", "\x21": ")", "1": ")",
    "\x02": "[", "h": "[", "\x14": "[", "\x22": "[", "2": "[",
    "\x03": "]", "i": "]", "\x15": "]", "\x23": "]", "3": "]",
    "\x08": r"\{", "n": r"\{", "\x1a": r"\{", "(": r"\{", "8": r"\{",
    "\x09": r"\}", "o": r"\}", "\x1b": r"\}", ")": r"\}", "9": r"\}",
    "\x0a": r"\langle", "D": r"\langle", "\x1c": r"\langle", "*": r"\langle",
    "\x0b": r"\rangle", "E": r"\rangle", "\x1d": r"\rangle", "+": r"\rangle",
    "\x0c": "|", "\x0d": r"\|", "j": "|", "k": r"\|", "w": r"\|",
    # the lower and middle pieces of a tall ( ) [ ] { }: the top piece ("0", "1", "2", "3", "8", "9")
    # stands for the whole bracket, these add nothing
    **dict.fromkeys("@ABC4567:;<=>", ""),
    "P": r"\sum", "X": r"\sum", "Q": r"\prod", "Y": r"\prod", "R": r"\int", "Z": r"\int",
    "S": r"\bigcup", "[": r"\bigcup", "T": r"\bigcap", "\\": r"\bigcap",
    "L": r"\bigoplus", "M": r"\bigoplus", "N": r"\bigotimes", "O": r"\bigotimes",
    "p": r"\sqrt", "q": r"\sqrt", "r": r"\sqrt", "s": r"\sqrt", "t": r"\sqrt", "v": "",
    "b": r"\widehat", "c": r"\widehat", "d": r"\widehat", "e": r"\widetilde", "f": r"\widetilde", "g": r"\widetilde",
}
# Accent glyphs set above a letter -> the LaTeX accent command.
ACCENTS = {"¯": r"\bar", "ˆ": r"\hat", "^": r"\hat", "˙": r"\dot", "˜": r"\tilde", "~": r"\tilde",
           "¨": r"\ddot", "ˇ": r"\check", "˘": r"\breve", "⃗": r"\vec", "→": r"\vec"}
BIG_OPERATORS = {r"\sum", r"\prod", r"\int", r"\bigcup", r"\bigcap", r"\bigoplus", r"\bigotimes"}
FUNCTIONS = {
    "log", "ln", "exp", "max", "min", "sin", "cos", "tan", "det", "lim", "sup", "inf", "arg", "Pr",
    "deg", "dim", "ker", "sinh", "cosh", "tanh", "arcsin", "arccos", "arctan", "limsup", "liminf",
}
OPERATOR_NAMES = {"tr", "diag", "rank", "vec", "erfc", "erf", "sign", "argmax", "argmin", "Tr", "var", "Var"}

_BOLD_CALLIGRAPHIC = r"\boldsymbol\mathcal"
_FAMILY = (  # font-name pattern -> LaTeX wrapper for letters
    (re.compile(r"MSBM|BBold|DSRom", re.I), r"\mathbb"),
    (re.compile(r"EUFM|Fraktur", re.I), r"\mathfrak"),
    (re.compile(r"RSFS", re.I), r"\mathscr"),
    (re.compile(r"CMBSY", re.I), _BOLD_CALLIGRAPHIC),  # bold symbols: its capitals are \bm{\mathcal{V}}
    (re.compile(r"CMBX|CMMIB|Bold|Medi|Semibold|Black", re.I), r"\mathbf"),  # Times bold is "Medi"
    (re.compile(r"CMSS|LMSans", re.I), r"\mathsf"),
    (re.compile(r"CMSY|EUSM|LMMathSymbols", re.I), r"\mathcal"),  # Latin Modern names its CMSY so
    (re.compile(r"Ital|Oblique|Slant|-It$", re.I), None),  # italic text fonts set math variables too
    (re.compile(r"CMR|CMTT|Rom|Regu|Times|Roman", re.I), r"\mathrm"),
)
_WORD = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?|\s+|.", re.S)


# Extension fonts in the CMEX encoding: Computer Modern's own and Latin Modern's (lmodern).
_EXTENSION = re.compile(r"^(?:CMEX|LMMathExtension)", re.I)


@lru_cache(maxsize=512)
def is_extension_font(font: str) -> bool:
    """Whether ``font`` sets big operators and delimiters by CMEX glyph codes (see :data:`CMEX`)."""
    return bool(_EXTENSION.match(font.split("+")[-1]))


def family(font: str) -> str | None:
    """The LaTeX alphabet command for letters of ``font`` (None for math italic)."""
    name = font.split("+")[-1]
    return next((command for pattern, command in _FAMILY if pattern.search(name)), None)  # no match: math italic


def span_to_latex(text: str, font: str, accent: str | None = None) -> str:
    """LaTeX for the text of one span in ``font``, under ``accent`` (a glyph of ACCENTS) if given."""
    if accent is not None:
        return f"{ACCENTS[accent]}{{{span_to_latex(text, font)}}}"
    if is_extension_font(font):
        return " ".join(_extension_glyphs(text))
    wrapper = family(font)
    out: list[str] = []
    for token in _WORD.findall(text):
        if token.isspace():
            continue
        if token.isalpha() and token.isascii():
            out.append(_letters(token, wrapper))
        elif wrapper == r"\mathbf":  # a bold Greek letter is a vector or matrix: \bm{\Theta}
            out.append(" ".join(rf"\boldsymbol{{{GREEK[ch]}}}" if ch in GREEK else unicode_to_latex(ch) for ch in token))
        else:
            out.append(unicode_to_latex(token))
    return " ".join(out)


def _extension_glyphs(text: str) -> list[str]:
    """LaTeX of a run of CMEX glyphs. Codes 0x0A-0x0D and 0x1C-0x1D are delimiters here, not
    white space; the stacked pieces of one tall delimiter (``\\x0c\\x0c\\x0c``) are one delimiter."""
    if text == " ":
        return [CMEX[" "]]  # a lone code 0x20: the tallest "(" (spaces between glyphs are no glyphs)
    out: list[str] = []
    for ch in text:
        latex = "" if ch == " " else CMEX.get(ch, ch)
        if latex and not (out and latex == out[-1] and latex in _DELIMITERS):
            out.append(latex)
    return out


_DELIMITERS = frozenset({"|", r"\|", "(", ")", "[", "]", r"\{", r"\}", r"\langle", r"\rangle"})


def _letters(word: str, wrapper: str | None) -> str:
    if wrapper == r"\mathrm":
        if word in FUNCTIONS:
            return "\\" + word
        if word in OPERATOR_NAMES:
            return rf"\operatorname{{{word}}}"
        return rf"\mathrm{{{word}}}"
    if wrapper == _BOLD_CALLIGRAPHIC:
        return " ".join(rf"\boldsymbol{{\mathcal{{{c}}}}}" if c.isupper() else c for c in word)
    if wrapper == r"\mathcal" and not word.isupper():
        return word
    if wrapper in (r"\mathsf", r"\mathcal", r"\mathbb", r"\mathfrak", r"\mathscr"):
        return f"{wrapper}{{{word}}}"
    if wrapper:
        return f"{wrapper}{{{word}}}" if len(word) == 1 else " ".join(f"{wrapper}{{{c}}}" for c in word)
    return " ".join(word) if len(word) > 1 else word


def unicode_to_latex(text: str) -> str:
    """Greek letters and math symbols to LaTeX commands; other characters unchanged."""
    parts = []
    for ch in text:
        command = GREEK.get(ch) or OPERATORS.get(ch)
        parts.append(command if command is not None else ch)
    return " ".join(p for p in parts if p.strip())
