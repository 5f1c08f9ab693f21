r"""Optional: an LLM writes each selected equation's variable table, and the background is written from it.

One call per equation that still has problems after dedup: the equation, its symbols and its
paper context (the system-model sentences, the text around the display, the paper's own
definitions) go in through the versioned prompt ``templates/llm/variable_table.v1.jinja``; a
JSON object comes back with a scenario sentence, the equation's name, and per symbol its
meaning, dimension or set (``\mathbb{C}^{N\times 1}``), unit and domain.

The reply is checked against the paper, field by field (:func:`check_table`):

* every symbol of the table is an atom of the equation's LaTeX layer, else the entry is dropped;
* every symbol of the equation is in the table, else the rules' entry stands in;
* units, dimensions and domains are well-formed LaTeX of their kind, meanings and the scenario
  plain sentences, else that field falls back to what the rules read from the paper;
* per problem, no masked answer appears verbatim in any text (:func:`table_background`), else
  that field falls back too (the rules' field is never one that leaks: it is checked the same way).

Every fallback is counted by reason. The background a problem gets is written from the checked
table and must pass the build's text gates (``apply_tables`` in :mod:`wmbench.build.llm_stages`
runs the calls and the gates); when the call fails or the gates reject it, the rules'
background stays. The model never writes an equation, an answer or a distractor.

The request of each equation (:func:`table_request`) is made where the paper is at hand (the
paper job) and travels with the paper's cached result, so this stage runs once over the whole
build, with one concurrency limit and one call budget.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from wmbench.generate.background import BackgroundWriter, PaperScene, leaks, norm
from wmbench.generate.latex_tree import latex_context, parse, symbols
from wmbench.paper import Equation, Paper
from wmbench.schema import Problem
from wmbench.templating import load_template

TABLE_PROMPT = "llm/variable_table.v1.jinja"  # a new file (and version) whenever the prompt changes
TABLE_PROMPT_VERSION = "variable-table-v1"
FIELDS: tuple[str, ...] = ("meaning", "dimension", "unit", "domain")
CONTEXT_CHARS = 700  # of the text before the display (half as much after it)
MAX_SCENE_SENTENCES = 3
MAX_NAME_CHARS = 120

# The schema fixes the shape only: each field's content is checked on its own (check_table), so a
# field that fails falls back alone instead of costing the whole table.
_ENTRY = {"type": "object", "properties": {name: {"type": "string"} for name in ("symbol", *FIELDS)},
          "required": ["symbol", *FIELDS]}
TABLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"scenario": {"type": "string"}, "name": {"type": "string"},
                   "symbols": {"type": "array", "items": _ENTRY}},
    "required": ["scenario", "name", "symbols"],
}
MAX_FIELD_CHARS = {"meaning": 240, "dimension": 80, "unit": 24, "domain": 80}

# "none", "n/a", "-", "dimensionless", "scalar": the model saying there is nothing to state.
_NOTHING = re.compile(r"^\s*(?:|none|n/?a|-+|unitless|dimensionless|scalar|real scalar|unknown|not given)\s*$", re.I)
# A set or a dimension: \mathbb{C}^{N\times 1}, \mathcal{S}, \{0,1\}^K, N \times M.
_SET_LIKE = re.compile(r"^\s*(?:\\mathbb|\\mathcal|\\\{|\\left\\\{)|\\times")
# A domain: an interval or a set (after "\in"), or a condition on the symbol (after the symbol).
_INTERVAL = re.compile(r"^\s*(?:\[|\(|\\left[\[(]|\\\{|\\left\\\{|\\mathbb|\\mathcal)")
_CONDITION = re.compile(r"^\s*(?:<|>|=|\\(?:in|ge|geq|le|leq|neq|ne|succeq|succ|preceq|geqslant|leqslant)\b)")
# A unit: a few letters, maybe with a prefix, a slash or a power, maybe as \mathrm{...}.
_UNIT = re.compile(r"^[A-Za-z%°/\s^\-.{}\\0-9]{1,24}$")
# Prose a solver could not use: bullets, line breaks, lists.
_NOT_PROSE = re.compile(r"\n|^\s*(?:[*•\-]|\d+\.)\s")


@dataclass(frozen=True)
class Entry:
    """One symbol's row of a table; "" for a field the paper (or the model) does not state."""

    meaning: str = ""
    dimension: str = ""
    unit: str = ""
    domain: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        return cls(**{name: str(data.get(name) or "") for name in FIELDS})


@dataclass(frozen=True)
class Table:
    """A checked table: the scenario and name, the model's accepted entries, the rules' entries
    for each field that fell back, and the fallbacks by reason."""

    scenario: str
    name: str
    entries: dict[str, Entry]  # by equation symbol, in the equation's order
    rules: dict[str, Entry]
    rule_scenario: str
    fallbacks: Counter[str] = field(default_factory=Counter)


def table_request(paper: Paper, index: int, equation: Equation, latex: str, scene: PaperScene) -> dict[str, Any]:
    """What the call about one equation needs, JSON-able (it is cached with the paper's result):
    the equation, its symbols, its paper context, and the rules' own table to fall back on (the
    meanings, sets, units and domains the rule-made background reads from the paper)."""
    writer = BackgroundWriter(paper, equation, latex, scene)
    definitions: dict[str, str] = {}
    rules: dict[str, dict[str, str]] = {}
    for sym in writer.symbols:
        match = writer.glossary.find(sym)
        meaning = " ".join(match.description.split()).rstrip(".,; ") if match else ""
        if match:
            definitions[match.key] = meaning
        facts = next((f for table in writer.facts if (f := table.find(sym))), None)
        rules[sym] = {"meaning": meaning, "dimension": (facts.space or "") if facts else "",
                      "unit": (facts.unit or "") if facts else "", "domain": _rule_domain(sym, facts.domain if facts else None)}
    return {
        "paper_id": paper.paper_id, "index": index, "latex": latex, "symbols": list(writer.symbols),
        "context": {"paper_title": paper.title or "", "section": " ".join((equation.section or "").split()),
                    "system_model": " ".join(scene.sentences[:MAX_SCENE_SENTENCES]),
                    "text_before": " ".join(equation.context_before.split())[-CONTEXT_CHARS:],
                    "text_after": " ".join(equation.context_after.split())[: CONTEXT_CHARS // 2],
                    "paper_definitions": definitions},
        "rules": {"scenario": scene.sentences[0] if scene.sentences else "", "symbols": rules},
    }


def table_messages(request: dict[str, Any]) -> list[dict[str, str]]:
    """The chat messages of one table request, from the versioned prompt."""
    template = load_template(TABLE_PROMPT, keep_trailing_newline=False)
    payload = {"equation": request["latex"], "symbols": request["symbols"], **request["context"]}
    return [{"role": "system", "content": template.render(role="system", payload_json="")},
            {"role": "user", "content": template.render(role="user", payload_json=json.dumps(payload, ensure_ascii=False))}]


def check_table(reply: dict[str, Any], request: dict[str, Any]) -> Table:
    """The reply checked against the equation and the paper, field by field (see the module doc)."""
    fallbacks: Counter[str] = Counter()
    wanted = {norm(s): s for s in request["symbols"]}
    atoms = {norm(s) for s in symbols(parse(request["latex"]))} | set(wanted)
    entries: dict[str, Entry] = {}
    for row in reply["symbols"]:
        key = norm(row["symbol"])
        if key not in atoms:
            fallbacks["symbol not in the equation"] += 1
        elif key in wanted and wanted[key] not in entries:
            entries[wanted[key]] = _checked_entry(Entry.from_dict(row), fallbacks)
    for sym in request["symbols"]:
        if sym not in entries:
            fallbacks["symbol missing from the table"] += 1
    scenario = " ".join(reply["scenario"].split())
    if not _sentence(scenario):
        fallbacks["scenario not a usable sentence"] += 1
        scenario = ""
    name = " ".join(reply["name"].split()).rstrip(".")
    if name and not _phrase(name, MAX_NAME_CHARS):
        fallbacks["name not a usable phrase"] += 1
        name = ""
    rules = {sym: Entry.from_dict(row) for sym, row in request["rules"]["symbols"].items()}
    ordered = {sym: entries[sym] for sym in request["symbols"] if sym in entries}
    return Table(scenario, name, ordered, rules, request["rules"]["scenario"], fallbacks)


@dataclass(frozen=True)
class Written:
    """A background written from a table: its text, the symbols it leaves undefined, how many of
    its fields came from the model and from the rules, and the fields that fell back for a leak."""

    text: str
    undefined: tuple[str, ...]
    model_fields: int
    rule_fields: int
    leaks: int


def table_background(table: Table, symbols_: Iterable[str], hidden: tuple[str, ...]) -> Written:
    """The scenario, the name, then "$x \\in S$ denotes ... (in unit), with $x > 0$" per symbol."""
    symbols_ = tuple(symbols_)
    defined = {norm(s) for s in symbols_}
    leak_count = 0

    def safe(text: str) -> bool:
        return not any(leaks(a, text, defined) for a in hidden)

    scenario = table.scenario if table.scenario and safe(table.scenario) else ""
    leak_count += bool(table.scenario) and not scenario
    scenario = scenario or (table.rule_scenario if safe(table.rule_scenario) else "")
    sentences = [scenario] if scenario else []
    if table.name and safe(table.name):
        sentences.append(f"The equation considered gives {_lower_first(table.name)}.")
    leak_count += bool(table.name) and not safe(table.name)
    fragments, undefined, model_fields, rule_fields = [], [], 0, 0
    for sym in symbols_:
        model, rules = table.entries.get(sym, Entry()), table.rules.get(sym, Entry())
        chosen: dict[str, str] = {}
        for name in FIELDS:
            mine, theirs = getattr(model, name), getattr(rules, name)
            if mine and safe(f"${sym}$ {mine}"):
                chosen[name], model_fields = mine, model_fields + 1
            else:
                leak_count += bool(mine)
                if theirs and safe(f"${sym}$ {theirs}"):
                    chosen[name], rule_fields = theirs, rule_fields + 1
        if not chosen.get("meaning"):
            undefined.append(sym)
            continue
        fragments.append(_fragment(sym, Entry(**{n: chosen.get(n, "") for n in FIELDS})))
    text = " ".join(sentences)
    if fragments:
        text += (" " if text else "") + "Here, " + "; ".join(fragments) + "."
    return Written(text.strip(), tuple(undefined), model_fields, rule_fields, leak_count)


def equation_key(problem: Problem) -> str:
    """The equation a problem comes from: its id without the type (``paper-eq3``)."""
    return problem.problem_id.rsplit("-", 1)[0]


def request_key(paper_id: str, index: int) -> str:
    from wmbench.generate.problems import problem_id

    return problem_id(paper_id, index, "x").rsplit("-", 1)[0]


@lru_cache(maxsize=8192)
def well_formed(latex: str) -> bool:
    """LaTeX that parses strictly (pylatexenc), with balanced braces, no display maths and no dollars."""
    from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

    if "$" in latex or "\\begin" in latex or "\n" in latex or latex.count("{") != latex.count("}"):
        return False
    try:
        LatexWalker(latex, latex_context=latex_context(), tolerant_parsing=False).get_latex_nodes()
    except LatexWalkerError:
        return False
    return True


def _checked_entry(entry: Entry, fallbacks: Counter[str]) -> Entry:
    """The entry with every field that fails its check emptied (and counted)."""
    checks = {"meaning": _phrase, "dimension": lambda t: well_formed(t) and bool(_SET_LIKE.search(t)),
              "unit": lambda t: well_formed(t) and bool(_UNIT.match(t)),
              "domain": lambda t: well_formed(t) and bool(_INTERVAL.match(t) or _CONDITION.match(t))}
    kept: dict[str, str] = {}
    for name in FIELDS:
        value = " ".join(getattr(entry, name).split())
        if _NOTHING.match(value):
            continue
        if len(value) <= MAX_FIELD_CHARS[name] and checks[name](value):
            kept[name] = value
        else:
            fallbacks[f"{name} not well-formed"] += 1
    return Entry(**kept)


def _phrase(text: str, max_chars: int = 240) -> bool:
    """A piece of prose of plain length, no bullets or line breaks, with well-formed inline maths."""
    return (2 <= len(text) <= max_chars and not _NOT_PROSE.search(text) and text.count("$") % 2 == 0
            and all(well_formed(m) for m in text.split("$")[1::2]))


def _sentence(text: str) -> bool:
    return len(text) >= 30 and text[0].isupper() and text.endswith(".") and _phrase(text, 500)


def _rule_domain(symbol: str, domain: str | None) -> str:
    """The rules state a domain as the paper wrote it (``\\theta \\in [0, 2\\pi)``): keep the part after the symbol."""
    if not domain:
        return ""
    text = " ".join(domain.split())
    head = " ".join(symbol.split())
    return text[len(head):].strip() if text.startswith(head) else ""


def _fragment(symbol: str, entry: Entry) -> str:
    dimension = entry.dimension
    head = f"${symbol} \\in {dimension}$" if dimension.lstrip().startswith(("\\mathbb", "\\mathcal", "\\{")) else f"${symbol}$"
    size = f" (of size ${dimension}$)" if dimension and head == f"${symbol}$" else ""
    unit = f" (in {_unit(entry.unit)})" if entry.unit else ""
    domain = ""
    if entry.domain:
        relation = "" if _CONDITION.match(entry.domain) else "\\in "
        domain = f", with ${symbol} {relation}{entry.domain}$"
    return f"{head} denotes {entry.meaning}{size}{unit}{domain}"


def _unit(unit: str) -> str:
    return f"${unit}$" if "\\" in unit or "^" in unit else unit


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if first.isupper() or any(c.isupper() for c in first[1:]) or "$" in first else text[0].lower() + text[1:]
