"""Expand acronyms as the paper's acronym package prints them: ``acronym`` (``\\acro``, ``\\ac``,
``\\acp``, ``\\acs``, ``\\acl``, ``\\acf``...), ``acro`` (``\\DeclareAcronym``, same commands) and
``glossaries`` / ``glossaries-extra`` (``\\newacronym``, ``\\newabbreviation``,
``\\newglossaryentry``; ``\\gls``, ``\\glspl``, ``\\acrshort``, ``\\acrlong``, ``\\acrfull``...).

Definitions are collected from the whole document (the ``acronym`` list often sits at its end)
and removed with their list. In prose a use reads as the package prints it: the first ``\\ac``
or ``\\gls`` of an acronym is "long (short)", later ones the short form. In maths every use is
the short form (``I^{\\text{\\gls{ambc}}}`` is ``I^{\\text{AmBC}}``; a bare one becomes
``\\mathrm{...}``) and does not count as the first use; nor does a use in the title, which
reads short. A key with no definition reads as its upper-cased self, with a warning: a
lower-cased key ("ris") is never left in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from wmbench.ingest.latex_equations import MATH_ENVIRONMENTS
from wmbench.ingest.latex_macros import read_arg, read_bracket, read_group, skip_space

Form = Literal["auto", "short", "long", "full", "none"]


@dataclass(frozen=True)
class Acronym:
    """One defined acronym: its short and long forms and their plurals ("" when it has no long form)."""

    short: str
    long: str = ""
    short_plural: str = ""
    long_plural: str = ""
    first: str = ""  # glossaries' first= / firstplural=: the full form, as the paper wrote it
    first_plural: str = ""

    def text(self, form: Form, *, plural: bool) -> str:
        short = self.short_plural or f"{self.short}s" if plural else self.short
        long = (self.long_plural or f"{self.long}s" if plural else self.long) if self.long else ""
        if form == "full" and (self.first_plural if plural else self.first):
            return self.first_plural if plural else self.first
        if form == "short" or not long:
            return short
        if form == "long":
            return long
        return f"{long} ({short})"


@dataclass(frozen=True)
class _Command:
    form: Form
    plural: bool = False
    case: Literal["", "first", "upper"] = ""
    marks_used: bool = True


# Commands that print a form without spending the first use (the acronym package's \\acs, \\acl...).
_NON_MARKING = {"glstext", "glsplural", "glsname", "glssymbol", "acrshort", "acrlong", "acrfull", "acs", "acl",
                "acf", "acsp", "aclp", "acfp"}


def _family(names: dict[str, tuple[Form, bool]], *, upper: bool) -> dict[str, _Command]:
    """Each command with its capitalised (``\\Ac``) and, for glossaries, upper-case (``\\GLS``) variant."""
    out: dict[str, _Command] = {}
    for name, (form, plural) in names.items():
        marks = name not in _NON_MARKING
        out[name] = _Command(form, plural, "", marks)
        out[name[0].upper() + name[1:]] = _Command(form, plural, "first", marks)
        if upper:
            out[name[:3].upper() + name[3:]] = _Command(form, plural, "upper", marks)
    return out


# The use commands of the acronym and acro packages (same names) and of glossaries(-extra).
_COMMANDS: dict[str, _Command] = {
    **_family({"ac": ("auto", False), "acp": ("auto", True), "acs": ("short", False), "acsp": ("short", True),
               "acl": ("long", False), "aclp": ("long", True), "acf": ("full", False), "acfp": ("full", True),
               "acfi": ("full", False), "iac": ("auto", False)}, upper=False),
    "acsu": _Command("short"), "aclu": _Command("long"),
    **_family({"gls": ("auto", False), "glspl": ("auto", True), "glstext": ("short", False),
               "glsfirst": ("full", False), "glsplural": ("short", True), "glsname": ("short", False),
               "glssymbol": ("short", False),
               "acrshort": ("short", False), "acrshortpl": ("short", True), "acrlong": ("long", False),
               "acrlongpl": ("long", True), "acrfull": ("full", False), "acrfullpl": ("full", True),
               "glsxtrshort": ("short", False), "glsxtrshortpl": ("short", True), "glsxtrlong": ("long", False),
               "glsxtrlongpl": ("long", True), "glsxtrfull": ("full", False), "glsxtrfullpl": ("full", True),
               "glsentryshort": ("short", False), "glsentryshortpl": ("short", True),
               "glsentrylong": ("long", False), "glsentrylongpl": ("long", True),
               "glsentryfull": ("full", False), "glsentryname": ("short", False),
               "glsentrytext": ("short", False), "glsentryplural": ("short", True)}, upper=True),
}
# Commands that only change the first-use memory: used -> mark used, reset -> forget.
# \glsdisp{key}{text} / \glslink{key}{text} print their own text.
_DISPLAYS = {"glsdisp": "used", "glslink": "none"}
_MEMORY = {"acused": "used", "glsunset": "used", "acreset": "reset", "glsreset": "reset", "glsadd": "none"}
_MEMORY_ALL = {"acresetall": "reset", "glsresetall": "reset", "glsunsetall": "used", "acuseall": "used",
               "glsaddall": "none"}
# Definitions and their arguments: k key, s short, l long, [s] optional short, o optional
# options, v key=value list.
_DEFINERS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("acro", "acrodef", "newacro", "acroplural", "acrodefplural"), ("k", "[s]", "l")),
    **dict.fromkeys(("newacronym", "newabbreviation"), ("o", "k", "s", "l")),
    **dict.fromkeys(("DeclareAcronym", "newglossaryentry"), ("k", "v")),
}
_FIELDS = {"k": "key", "s": "short", "[s]": "short", "l": "long", "o": "options", "v": "keyval"}
# Lists that print the definitions (or nothing): dropped whole.
_LISTS = re.compile(r"\\begin\{acronym\}.*?\\end\{acronym\}", re.S)
_LIST_COMMANDS = re.compile(r"\\(?:printacronyms|printglossar(?:y|ies)|printabbreviations|makeglossaries|"
                            r"makenoidxglossaries|printnoidxglossar(?:y|ies)|setacronymstyle|setabbreviationstyle|"
                            r"acsetup|glsdisablehyper)(?![A-Za-z@])(?:\s*\[[^\]]*\])?(?:\s*\{[^{}]*\})?")
_NAME = r"(?![A-Za-z@])"
_DEFINITION = re.compile(r"\\(?P<name>" + "|".join(sorted(_DEFINERS, key=len, reverse=True)) + ")" + _NAME + r"\*?")
_MATH_ENVS = "|".join(re.escape(name) for name in sorted(MATH_ENVIRONMENTS, key=len, reverse=True))
# One pass over the text finds math delimiters and acronym commands, in order.
_TOKEN = re.compile(
    r"(?P<escaped>\\[\\$])"  # \\ and \$: not delimiters
    r"|(?P<display>\$\$)|(?P<inline>\$)"
    r"|(?P<open>\\[(\[])|(?P<close>\\[)\]])"
    r"|\\begin\{(?P<begin>" + _MATH_ENVS + r")\}|\\end\{(?P<end>" + _MATH_ENVS + r")\}"
    r"|\\(?P<command>" + "|".join(sorted([*_COMMANDS, *_MEMORY, *_MEMORY_ALL, *_DISPLAYS], key=len, reverse=True)) + ")"
    + _NAME + r"(?P<star>\*)?"
)
# Groups inside maths that already set their content as text: the short form goes in as it is.
_TEXT_GROUP = re.compile(r"\\(?:text|textrm|textnormal|textit|textbf|textsf|mbox|mathrm|mathsf|mathit|mathbf|"
                         r"operatorname|mathtt|texttt)\s*\{$")
_TITLE = re.compile(r"\\title\s*(?:\[[^\]]*\])?\s*\{")
_ENSUREMATH = re.compile(r"\\ensuremath\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_WRAPPER = re.compile(r"^\\(?:ensuremath|mathrm|text|textrm|textnormal|mathsf|textsc)\s*\{(?P<inner>.*)\}$", re.S)


def collect_acronyms(text: str) -> tuple[str, dict[str, Acronym]]:
    """The text without acronym definitions and lists, and the acronyms by key."""
    acronyms: dict[str, Acronym] = {}
    plurals: dict[str, tuple[str, str]] = {}
    out: list[str] = []
    pos = 0
    for match in _DEFINITION.finditer(text):
        if match.start() < pos:
            continue
        parsed = _parse_definition(text, match.group("name"), match.end())
        if parsed is None:
            continue
        key, acronym, end = parsed
        out.append(text[pos : match.start()])
        pos = end
        if match.group("name") in ("acroplural", "acrodefplural"):
            plurals[key] = (acronym.short, acronym.long)
        elif key not in acronyms or match.group("name") != "acrodef":
            acronyms[key] = acronym
    out.append(text[pos:])
    for key, (short, long) in plurals.items():
        if key in acronyms:
            base = acronyms[key]
            acronyms[key] = replace(base, short_plural=short if short != base.short else "", long_plural=long)
    cleaned = _LIST_COMMANDS.sub("", _LISTS.sub("", "".join(out)))
    return cleaned, acronyms


def _parse_definition(text: str, name: str, i: int) -> tuple[str, Acronym, int] | None:
    values: dict[str, str] = {}
    for part in _DEFINERS[name]:
        if part in ("o", "[s]"):
            j = skip_space(text, i)
            if text.startswith("[", j):
                values[_FIELDS[part]], i = read_bracket(text, j)
            continue
        value, i = read_arg(text, i)
        if value is None:
            return None
        values[_FIELDS[part]] = value
    key = values.get("key", "").strip()
    if not key:
        return None
    if "keyval" in values:
        fields = _keyvals(values["keyval"])
        short = fields.get("short", fields.get("name", fields.get("text", key)))
        acronym = Acronym(short, fields.get("long", ""), fields.get("short-plural-form", fields.get("plural", "")),
                          fields.get("long-plural-form", ""))
    else:
        options = _keyvals(values.get("options", ""))
        acronym = Acronym(values.get("short", key), values.get("long", ""),
                          options.get("shortplural", options.get("plural", "")), options.get("longplural", ""),
                          options.get("first", ""), options.get("firstplural", ""))
    return key, Acronym(*(" ".join(f.split()) for f in (acronym.short, acronym.long, acronym.short_plural,
                                                         acronym.long_plural, acronym.first,
                                                         acronym.first_plural))), i


def _keyvals(text: str) -> dict[str, str]:
    """``key=value`` pairs split on top-level commas, one level of braces removed from values."""
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    fields: dict[str, str] = {}
    for part in parts:
        if "=" in part:
            key, value = part.split("=", 1)
            value = value.strip()
            if value.startswith("{") and value.endswith("}"):
                value = value[1:-1]
            fields[key.strip()] = value.strip()
    return fields


def expand_acronyms(text: str, acronyms: dict[str, Acronym]) -> tuple[str, list[str]]:
    """``text`` with every acronym use replaced by its printed form, and warnings for unknown keys."""
    out: list[str] = []
    used: set[str] = set()
    unknown: set[str] = set()
    math: str | None = None  # the delimiter or environment that opened the current maths
    math_start = 0
    titles = _title_spans(text)
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() < pos:
            continue
        kind = match.lastgroup if match.lastgroup != "star" else "command"
        if kind != "command":
            math, math_start = _math_state(match, math, math_start)
            continue
        name = match.group("command")
        out.append(text[pos : match.start()])
        pos = match.end()
        if name in _MEMORY_ALL:
            used = set(acronyms) if _MEMORY_ALL[name] == "used" else set()
            continue
        keys, pos = _read_keys(text, pos)
        if name in _DISPLAYS:
            shown, pos = read_arg(text, pos)
            out.append(shown or "")
            used = _remembered(_DISPLAYS[name], used, keys)
            continue
        if name in _MEMORY:
            used = _remembered(_MEMORY[name], used, keys)
            continue
        key = keys[0] if keys else ""
        command = _COMMANDS[name]
        j = skip_space(text, pos)
        insert = ""
        if name.lower().startswith("gls") and text.startswith("[", j):  # \gls{key}[insert]
            insert, pos = read_bracket(text, j)
        acronym = acronyms.get(key)
        if acronym is None:
            unknown.add(key)
            acronym = Acronym(key.upper())
        in_title = any(start <= match.start() < end for start, end in titles)
        if math is not None:
            printed = _in_math(acronym.text("short", plural=command.plural), text, match.start(), math_start)
        else:
            printed = _prose_form(acronym, command, first_use=key not in used and not in_title)
            if not in_title and command.marks_used and not match.group("star"):
                used.add(key)
        out.append(_cased(printed, command.case) + insert)
    out.append(text[pos:])
    warnings = [f"acronym key {k!r} is used but never defined; read as {k.upper()!r}" for k in sorted(unknown) if k]
    return "".join(out), warnings


def _remembered(mode: str, used: set[str], keys: list[str]) -> set[str]:
    """The first-use memory after a command that marks ``keys`` used, resets them, or neither."""
    if mode == "used":
        return used | set(keys)
    if mode == "reset":
        return used - set(keys)
    return used


def _prose_form(acronym: Acronym, command: _Command, *, first_use: bool) -> str:
    """What a use prints in prose: an "auto" command the full form on first use, the short one after."""
    form = command.form
    if form == "auto":
        form = "full" if first_use else "short"
    prose = replace(acronym, short=_in_prose(acronym.short), short_plural=_in_prose(acronym.short_plural))
    return prose.text(form, plural=command.plural)


def _title_spans(text: str) -> list[tuple[int, int]]:
    """Where the ``\\title{...}`` arguments are: an acronym there reads short and is no first use."""
    spans = []
    for match in _TITLE.finditer(text):
        start = match.end() - 1
        _, end = read_group(text, start)
        spans.append((start, end))
    return spans


def _math_state(match: re.Match[str], math: str | None, start: int) -> tuple[str | None, int]:
    """The maths state after a delimiter (escaped characters change nothing)."""
    kind = match.lastgroup
    if kind == "escaped":
        return math, start
    if kind in ("display", "inline"):
        token = match.group(kind)
        if math is None:
            return token, match.end()
        return (None, start) if math == token else (math, start)
    if kind == "open":
        return (match.group(kind), match.end()) if math is None else (math, start)
    if kind == "close":
        return (None, start) if math is not None and math[-1] in "([" else (math, start)
    if kind == "begin":
        return (match.group(kind), match.end()) if math is None else (math, start)
    if kind == "end":
        return (None, start) if math == match.group(kind) else (math, start)
    return math, start


def _read_keys(text: str, i: int) -> tuple[list[str], int]:
    """The key argument (after an optional ``[options]``), split on commas for ``\\acused{a,b}``."""
    j = skip_space(text, i)
    if text.startswith("[", j):
        _, i = read_bracket(text, j)
    value, end = read_arg(text, i)
    if value is None:
        return [], i
    return [k.strip() for k in value.split(",") if k.strip()], end


def _cased(text: str, case: str) -> str:
    if case == "upper":
        return text.upper()
    if case == "first" and text[:1].isalpha():
        return text[0].upper() + text[1:]
    return text


def _plain(short: str) -> str:
    """The form without ``\\ensuremath``/``\\mathrm``/``\\text`` wrappers around plain text."""
    inner = short.strip()
    while (match := _WRAPPER.match(inner)) is not None:
        inner = match.group("inner").strip()
    return inner


def _in_prose(printed: str) -> str:
    plain = _plain(printed)
    if "\\" not in plain and "$" not in plain:
        return plain
    return _ENSUREMATH.sub(r"$\1$", printed)


def _in_math(printed: str, text: str, pos: int, math_start: int) -> str:
    """The short form inside maths: as it is within a text group, else upright."""
    plain = _plain(printed)
    if "\\" in plain or "$" in plain:
        return _ENSUREMATH.sub(r"{\1}", printed)
    if _TEXT_GROUP.search(_open_group_head(text, math_start, pos)):
        return plain
    return rf"\mathrm{{{plain}}}"


def _open_group_head(text: str, start: int, pos: int) -> str:
    """The text before the innermost brace still open at ``pos`` (searched from ``start``), ending in ``{``."""
    depth = 0
    for k in range(pos - 1, start - 1, -1):
        ch = text[k]
        if ch == "}" and text[k - 1 : k] != "\\":
            depth += 1
        elif ch == "{" and text[k - 1 : k] != "\\":
            if depth == 0:
                return text[max(start, k - 20) : k + 1]
            depth -= 1
    return ""
