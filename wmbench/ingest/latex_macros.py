"""Expand a paper's own macros: ``\\newcommand``, ``\\renewcommand``, ``\\providecommand``,
``\\DeclareRobustCommand``, ``\\def`` with plain ``#1#2`` parameters, ``\\DeclareMathOperator``
and ``\\let`` (a copy of a user macro, or a saved LaTeX command that is not expanded again), and
the paper's environments (``\\newenvironment``, ``\\renewenvironment``): ``\\begin{name}{args}``
and ``\\end{name}`` become their begin and end code (``\\newenvironment{eq}{\\begin{equation}}...``).

Definitions are collected from the whole document and removed from it; every use is then
replaced by its body with the arguments substituted, recursively up to ``MAX_DEPTH`` levels
(a macro that expands into itself is an :class:`IngestionError`). ``\\def`` with delimited
parameter text (``\\def\\a#1.{...}``) is left unexpanded with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from wmbench.errors import IngestionError

MAX_DEPTH = 32
MAX_EXPANDED_CHARS = 4_000_000

_DEFINER = re.compile(
    r"\\(?P<cmd>newcommand|renewcommand|providecommand|DeclareRobustCommand|DeclareMathOperator|def|let)(?![A-Za-z@])"
    r"(?P<star>\s*\*)?"  # \newcommand*, \DeclareMathOperator*
)
_ENVIRONMENT_DEFINER = re.compile(r"\\(?:new|renew|provide)environment(?![A-Za-z@])\s*\*?")
_CONTROL_WORD = re.compile(r"\\(?P<name>[A-Za-z@]+)")
_PLAIN_PARAMS = re.compile(r"(?:#[1-9])*")  # \def parameter text we can expand: #1#2...


@dataclass(frozen=True)
class Macro:
    """One user macro: ``n_args`` arguments, the first optional when ``default`` is not None."""

    name: str
    n_args: int
    body: str
    default: str | None = None
    literal: bool = False  # the body is a LaTeX command saved by \let: not expanded again


# Commands of common packages that KaTeX and MathJax do not know, as the equivalent they render
# (bbm's and dsfont's blackboard digits, LaTeX's text boxes); a paper's own definition wins.
PACKAGE_MACROS: dict[str, Macro] = {
    **{name: Macro(name, 1, r"\mathbb{#1}") for name in ("mathbbm", "mathbbmss", "mathds", "mathbbold")},
    "mbox": Macro("mbox", 1, r"\text{#1}"),
    "makebox": Macro("makebox", 2, r"\text{#2}", default=""),  # \makebox[width]{text}
}


def collect_macros(text: str) -> tuple[str, dict[str, Macro], list[str]]:
    """The text without its macro definitions, the macros by name, and warnings."""
    macros: dict[str, Macro] = {}
    warnings: list[str] = []
    out: list[str] = []
    pos = 0
    for match in _DEFINER.finditer(text):
        if match.start() < pos:
            continue
        parsed = _parse_definition(text, match)
        if parsed is None:
            continue
        macro, end = parsed
        if isinstance(macro, Macro) and macro.literal and macro.body[1:] in macros:  # \let\b\a copies a's meaning
            macro = replace(macros[macro.body[1:]], name=macro.name)
        out.append(text[pos : match.start()])
        pos = end
        if isinstance(macro, str):
            warnings.append(macro)
        elif match.group("cmd") != "providecommand" or macro.name not in macros:
            macros[macro.name] = macro
    out.append(text[pos:])
    text, environments = _collect_environments("".join(out))
    return _use_environments(text, environments), macros, warnings


def _collect_environments(text: str) -> tuple[str, dict[str, tuple[Macro, str]]]:
    """The text without environment definitions, and each environment's begin code (as a
    macro, for its arguments) and end code."""
    environments: dict[str, tuple[Macro, str]] = {}
    out: list[str] = []
    pos = 0
    for match in _ENVIRONMENT_DEFINER.finditer(text):
        if match.start() < pos:
            continue
        name, i = read_arg(text, match.end())
        n_args, default, i = _read_arity(text, i)
        begin, i = read_arg(text, i)
        end, i = read_arg(text, i)
        if not name or begin is None or end is None:
            continue
        out.append(text[pos : match.start()])
        pos = i
        environments.setdefault(name.strip(), (Macro(name.strip(), n_args, begin, default), end))
    out.append(text[pos:])
    return "".join(out), environments


def _use_environments(text: str, environments: dict[str, tuple[Macro, str]]) -> str:
    """``\\begin{name}`` and ``\\end{name}`` of the paper's environments replaced by their code."""
    if not environments:
        return text
    names = "|".join(re.escape(n) for n in sorted(environments, key=len, reverse=True))
    pattern = re.compile(r"\\(?P<which>begin|end)\s*\{(?P<name>" + names + r")\}")
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        if match.start() < pos:
            continue
        macro, end_code = environments[match.group("name")]
        out.append(text[pos : match.start()])
        if match.group("which") == "end":
            out.append(f" {end_code} ")
            pos = match.end()
            continue
        body, pos = _apply(text, match.end(), macro)
        out.append(f" {body} ")
    out.append(text[pos:])
    return "".join(out)


def _read_arity(text: str, i: int) -> tuple[int, str | None, int]:
    """``[n]`` and ``[default]`` after a defined name: the number of arguments and the optional one's default."""
    n_args, default = 0, None
    i = skip_space(text, i)
    if text.startswith("[", i):
        close = text.find("]", i)
        n_args, i = int(text[i + 1 : close].strip() or 0), close + 1
        i = skip_space(text, i)
        if text.startswith("[", i):
            default, i = read_bracket(text, i)
    return n_args, default, i


def _parse_definition(text: str, match: re.Match[str]) -> tuple[Macro | str, int] | None:
    cmd, i = match.group("cmd"), match.end()
    name, i = _read_name(text, i)
    if name is None:
        return None
    if cmd == "def":
        params_end = text.find("{", i)
        params = text[i:params_end] if params_end >= 0 else ""
        if params_end < 0 or not _PLAIN_PARAMS.fullmatch(params.replace(" ", "")):
            body, end = read_group(text, params_end) if params_end >= 0 else (None, i)
            return f"\\def\\{name} has delimited parameters {params.strip()!r}; left unexpanded", end
        body, end = read_group(text, params_end)
        return (Macro(name, params.count("#"), body), end) if body is not None else None
    if cmd == "let":  # \let\new\old, \let\new=\old
        target = re.match(r"\s*=?\s*\\([A-Za-z@]+)", text[i:])
        return (Macro(name, 0, "\\" + target.group(1), literal=True), i + target.end()) if target else None
    if cmd == "DeclareMathOperator":
        body, end = read_arg(text, i)
        op = "\\operatorname*" if match.group("star") else "\\operatorname"
        return Macro(name, 0, f"{op}{{{body}}}"), end
    n_args, default, i = _read_arity(text, i)
    body, end = read_arg(text, i)
    return (Macro(name, n_args, body, default), end) if body is not None else None


def expand_macros(text: str, macros: dict[str, Macro], *, where: str) -> str:
    """Replace every use of ``macros`` in ``text`` by its expansion."""
    if not macros:
        return text
    return _expand(text, macros, where, depth=0, budget=[MAX_EXPANDED_CHARS])


def _expand(text: str, macros: dict[str, Macro], where: str, depth: int, budget: list[int]) -> str:
    out: list[str] = []
    i = 0
    while True:
        match = _CONTROL_WORD.search(text, i)
        if match is None:
            out.append(text[i:])
            break
        out.append(text[i : match.start()])
        if text[match.start() - 1 : match.start()] == "\\" and _odd_backslashes(text, match.start()):
            out.append(match.group(0))  # "\\name" is a line break followed by letters
            i = match.end()
            continue
        macro = macros.get(match.group("name"))
        if macro is None:
            out.append(match.group(0))
            i = match.end()
            continue
        if depth >= MAX_DEPTH:
            raise IngestionError(where, f"macro \\{macro.name} expands recursively (more than {MAX_DEPTH} levels)")
        if macro.literal:  # a command saved by \let (\let\oldsqrt\sqrt): its own meaning, not a user macro's
            out.append(macro.body + (" " if text[match.end() : match.end() + 1].isalpha() else ""))
            i = match.end()
            continue
        body, i = _apply(text, match.end(), macro)
        expanded = _expand(body, macros, where, depth + 1, budget)
        budget[0] -= len(expanded)
        if budget[0] < 0:
            raise IngestionError(where, f"macro expansion exceeds {MAX_EXPANDED_CHARS} characters (\\{macro.name})")
        if expanded[:1].isalpha() and re.search(r"\\[A-Za-z@]+$", next((s for s in reversed(out) if s), "")):
            out.append(" ")  # keep "\pi\fc" from becoming "\pif_c"
        out.append(expanded)
        if re.search(r"\\[A-Za-z@]+$", expanded) and text[i : i + 1].isalpha():
            out.append(" ")  # keep "\alpha x" from becoming "\alphax"
    return "".join(out)


def _apply(text: str, i: int, macro: Macro) -> tuple[str, int]:
    """The body of ``macro`` with the arguments read at ``i`` substituted, and the index after them."""
    args, end = _read_args(text, i, macro)
    body = macro.body
    for k, arg in enumerate(args, 1):
        body = _substitute(body, k, arg)
    return body, end


def _substitute(body: str, k: int, arg: str) -> str:
    """``body`` with ``#k`` replaced by ``arg``; a control word before it stays one (``\\lVert#1``
    with ``x`` is ``\\lVert x``, not the unknown ``\\lVertx``)."""
    def put(match: re.Match[str]) -> str:
        word = match.group("word") or ""
        return word + (" " if word and arg[:1].isalpha() else "") + arg

    return re.sub(rf"(?P<word>\\[A-Za-z@]+)?#{k}", put, body)


def _odd_backslashes(text: str, pos: int) -> bool:
    """Whether the backslash at ``pos`` is escaped by an odd run of backslashes before it."""
    run = 0
    while pos - run - 1 >= 0 and text[pos - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def _read_args(text: str, i: int, macro: Macro) -> tuple[list[str], int]:
    args: list[str] = []
    if macro.n_args == 0:
        return args, i
    remaining = macro.n_args
    if macro.default is not None:
        j = skip_space(text, i)
        if text.startswith("[", j):
            value, i = read_bracket(text, j)
        else:
            value = macro.default
        args.append(value)
        remaining -= 1
    for _ in range(remaining):
        value, i = read_arg(text, i)
        args.append(value if value is not None else "")
    return args, i


def skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def _read_name(text: str, i: int) -> tuple[str | None, int]:
    """``{\\name}`` or ``\\name`` after a definer."""
    i = skip_space(text, i)
    if text.startswith("{", i):
        group, end = read_group(text, i)
        match = _CONTROL_WORD.fullmatch((group or "").strip())
        return (match.group("name"), end) if match else (None, end)
    match = _CONTROL_WORD.match(text, i)
    return (match.group("name"), match.end()) if match else (None, i)


def read_arg(text: str, i: int) -> tuple[str | None, int]:
    """One TeX argument: a braced group (without braces), a control sequence or a character."""
    i = skip_space(text, i)
    if i >= len(text):
        return None, i
    if text[i] == "{":
        return read_group(text, i)
    if text[i] == "\\":
        match = _CONTROL_WORD.match(text, i)
        end = match.end() if match else i + 2
        return text[i:end], end
    return text[i], i + 1


def read_group(text: str, i: int) -> tuple[str | None, int]:
    """The content of the balanced ``{...}`` starting at ``i`` and the index after it."""
    depth = 0
    j = i
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j], j + 1
        j += 1
    return None, len(text)


def read_bracket(text: str, i: int) -> tuple[str, int]:
    """The content of ``[...]`` at ``i`` (braces inside are skipped over)."""
    depth = 0
    j = i + 1
    while j < len(text):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
        elif text[j] == "]" and depth == 0:
            return text[i + 1 : j], j + 1
        j += 1
    return text[i + 1 :], len(text)
