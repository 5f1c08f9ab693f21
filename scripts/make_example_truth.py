#!/usr/bin/env python3
"""Write the ground truth of the example corpus from its LaTeX sources.

Used by ``scripts/make_example_papers.sh`` after compiling every paper; standard library only.
For each ``examples/sources/<paper_id>/`` project it lists every display-math row in reading
order, macros expanded, ``&``/``\\label``/``\\nonumber``/``\\notag`` removed, with the number
LaTeX prints (counted here and cross-checked against the ``\\newlabel`` entries of the compiled
``.aux``). It also writes ``examples/papers/papers.csv`` from ``examples/sources/manifest.csv``.

Conventions of the truth (documented in examples/README.md):
- one entry per row of align/gather/eqnarray; ``equation`` with ``split`` and ``multline``
  are one entry whose rows are joined by a space;
- ``\\DeclareMathOperator{\\tr}{tr}`` expands to ``\\operatorname{tr}`` (starred: ``\\operatorname*``);
- whitespace is collapsed to single spaces; trailing punctuation is kept as written.

Usage: make_example_truth.py --sources examples/sources [--build BUILD_DIR]
       --truth examples/papers_truth.jsonl --csv examples/papers/papers.csv
Without --build (no texlive needed) the numbers are not checked against LaTeX's own; the tests
use this to check that the committed truth is not stale.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

# Environments whose body is display math, and whether each row is numbered by default.
ROW_ENVS = {"align": True, "align*": False, "gather": True, "gather*": False,
            "eqnarray": True, "eqnarray*": False}
SINGLE_ENVS = {"equation": True, "equation*": False, "multline": True, "multline*": False}
MAX_EXPANSION_DEPTH = 10
TEXT_SYMBOLS = {"\\'e": "\u00e9", "---": "\u2014", "--": "\u2013"}  # used in titles

DISPLAY_START = re.compile(
    r"(?<!\\)\\begin\{(?P<env>" + "|".join(re.escape(e) for e in [*ROW_ENVS, *SINGLE_ENVS]) + r")\}"
    r"|(?<!\\)\\\["        # \[ ... \]
    r"|\$\$"               # $$ ... $$
)
COMMENT = re.compile(r"(?<!\\)%.*")
INPUT = re.compile(r"\\(?:input|include)\{(?P<name>[^}]+)\}")
LABEL = re.compile(r"\\label\{(?P<label>[^}]*)\}")
NO_NUMBER = re.compile(r"\\(?:nonumber|notag)(?![A-Za-z])")
SECTION = re.compile(r"\\section(?P<star>\*?)\{")
NEWLABEL = re.compile(r"\\newlabel\{(?P<label>[^}]*)\}\{\{(?P<number>[^}]*)\}")
MACRO_DEF = re.compile(
    r"\\(?:newcommand|renewcommand)\*?\s*\{?\\(?P<name>[A-Za-z]+)\}?\s*(?:\[(?P<nargs>\d)\])?\s*\{"
    r"|\\def\\(?P<dname>[A-Za-z]+)\s*\{"
    r"|\\DeclareMathOperator(?P<star>\*?)\s*\{\\(?P<oname>[A-Za-z]+)\}\s*\{"
)


@dataclass(frozen=True)
class Macro:
    nargs: int
    body: str


def braced(text: str, start: int) -> tuple[str, int]:
    """Contents of the brace group opening at ``text[start] == '{'`` and the index after it."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "\\":
            continue
        if text[i] == "{" and text[i - 1] != "\\":
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
    raise ValueError(f"unbalanced braces near: {text[start:start + 60]!r}")


def read_project(path: Path) -> str:
    """The file with comments stripped and \\input/\\include resolved recursively."""
    text = "\n".join(COMMENT.sub("", line) for line in path.read_text(encoding="utf-8").splitlines())

    def include(match: re.Match[str]) -> str:
        name = match["name"] if match["name"].endswith(".tex") else match["name"] + ".tex"
        return read_project(path.parent / name)

    return INPUT.sub(include, text)


def macros(text: str) -> dict[str, Macro]:
    """The paper's macro definitions; later definitions win, like \\renewcommand."""
    found: dict[str, Macro] = {}
    for match in MACRO_DEF.finditer(text):
        body, _ = braced(text, match.end() - 1)
        if match["oname"]:
            star = "*" if match["star"] else ""
            found[match["oname"]] = Macro(0, f"\\operatorname{star}{{{body}}}")
        else:
            found[match["name"] or match["dname"]] = Macro(int(match["nargs"] or 0), body)
    return found


def _argument(text: str, pos: int) -> tuple[str, int]:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if text[pos] == "{":
        return braced(text, pos)
    if text[pos] == "\\":
        name = re.match(r"\\[A-Za-z]+|\\.", text[pos:])[0]
        return name, pos + len(name)
    return text[pos], pos + 1


def expand(latex: str, defs: dict[str, Macro]) -> str:
    """Expand the paper's macros until none is left (depth-limited)."""
    if not defs:
        return latex
    pattern = re.compile(r"\\(" + "|".join(sorted(defs, key=len, reverse=True)) + r")(?![A-Za-z])")
    for _ in range(MAX_EXPANSION_DEPTH):
        match = pattern.search(latex)
        if not match:
            return latex
        out, pos = [], 0
        while match:
            macro = defs[match[1]]
            body, end = macro.body, match.end()
            for k in range(1, macro.nargs + 1):
                arg, end = _argument(latex, end)
                body = body.replace(f"#{k}", arg)
            before = latex[pos:match.start()]
            # keep control words from gluing onto letters: \pi\fc -> \pi f_c, \bH x stays apart
            if re.search(r"\\[A-Za-z]+$", body) and re.match(r"[A-Za-z]", latex[end:end + 1]):
                body += " "
            if re.search(r"\\[A-Za-z]+$", before) and re.match(r"[A-Za-z]", body):
                body = " " + body
            out.append(before + body)
            pos = end
            match = pattern.search(latex, pos)
        latex = "".join(out) + latex[pos:]
    raise ValueError(f"macro expansion deeper than {MAX_EXPANSION_DEPTH}: {latex[:80]!r}")


def _top_level_split(body: str) -> list[str]:
    """Split at ``\\\\`` outside braces and nested environments (cases, matrices...)."""
    rows, depth, start, i = [], 0, 0, 0
    while i < len(body):
        if body.startswith("\\begin{", i) or (body[i] == "{" and body[i - 1:i] != "\\"):
            depth += 1
        elif body.startswith("\\end{", i) or (body[i] == "}" and body[i - 1:i] != "\\"):
            depth -= 1
        if body.startswith("\\\\", i):
            if depth == 0:
                rows.append(body[start:i])
                skip = re.match(r"\\\\\*?(\[[^\]]*\])?", body[i:])[0]
                start = i + len(skip)
                i = start
                continue
            i += 2
            continue
        if body[i] == "\\":
            i += 2 if i + 1 < len(body) and not body[i + 1].isalpha() else 1
            continue
        i += 1
    rows.append(body[start:])
    return rows


def _drop_alignment(row: str) -> str:
    """Remove top-level ``&`` markers (those inside nested environments are kept)."""
    out, depth = [], 0
    for i, ch in enumerate(row):
        if row.startswith("\\begin{", i):
            depth += 1
        elif row.startswith("\\end{", i):
            depth -= 1
        if ch == "&" and depth == 0 and row[i - 1:i] != "\\":
            out.append(" ")
            continue
        out.append(ch)
    return "".join(out)


def _unwrap_split(body: str) -> str:
    match = re.search(r"\\begin\{split\}(.*?)\\end\{split\}", body, re.S)
    if not match:
        return body
    inner = " ".join(_drop_alignment(r) for r in _top_level_split(match[1]))
    return body[:match.start()] + inner + body[match.end():]


def _clean(row: str) -> str:
    row = NO_NUMBER.sub(" ", LABEL.sub(" ", row))
    return re.sub(r"\s+", " ", row).strip()


def display_blocks(doc: str):
    """Yield (position, environment, body) for each display block of the document body."""
    pos = 0
    while match := DISPLAY_START.search(doc, pos):
        if match["env"]:
            env, end_marker = match["env"], f"\\end{{{match['env']}}}"
        elif match[0] == "$$":
            env, end_marker = "$$", "$$"
        else:
            env, end_marker = "\\[", "\\]"
        end = doc.index(end_marker, match.end())
        yield match.start(), env, doc[match.end():end]
        pos = end + len(end_marker)


def equations(doc: str, defs: dict[str, Macro], per_section: bool) -> list[dict]:
    """Every display row of the document body in order, with the number LaTeX prints."""
    sections = [m.start() for m in SECTION.finditer(doc) if not m["star"]]
    result, counter, current_section = [], 0, 0
    for start, env, body in display_blocks(doc):
        section = sum(1 for s in sections if s < start)
        if per_section and section != current_section:
            current_section, counter = section, 0
        if env in ROW_ENVS:
            rows, numbered_env = [_drop_alignment(r) for r in _top_level_split(body)], ROW_ENVS[env]
        else:
            joined = " ".join(_drop_alignment(r) for r in _top_level_split(_unwrap_split(body)))
            rows, numbered_env = [joined], SINGLE_ENVS.get(env, False)
        for row in rows:
            latex = _clean(expand(row, defs))
            if not latex:
                continue
            numbered = numbered_env and not NO_NUMBER.search(row)
            number = None
            if numbered:
                counter += 1
                number = f"{section}.{counter}" if per_section else str(counter)
            label = LABEL.search(row)
            result.append({"latex": latex, "number": number, "label": label["label"] if label else None,
                           "environment": env, "numbered": numbered})
    return result


def plain_title(tex: str) -> str:
    match = re.search(r"\\title\{", tex)
    title, _ = braced(tex, match.end() - 1)
    title = re.sub(r"\\\\|~", " ", title)
    for tex_text, plain in TEXT_SYMBOLS.items():
        title = title.replace(tex_text, plain)
    return re.sub(r"\s+", " ", title).strip()


def paper_truth(project: Path, build: Path | None, given_as: str) -> dict:
    main = next(p for p in sorted(project.rglob("*.tex")) if "\\documentclass" in p.read_text("utf-8"))
    tex = read_project(main)
    preamble, doc = tex.split("\\begin{document}", 1)
    per_section = "\\numberwithin{equation}{section}" in preamble
    eqs = equations(doc, macros(tex), per_section)
    if build is not None:
        _check_against_aux(project.name, eqs, build / project.name / (main.stem + ".aux"))
    layout = "ieeetran" if re.search(r"\\documentclass(\[[^\]]*\])?\{IEEEtran\}", preamble) else "article"
    return {"paper_id": project.name, "title": plain_title(tex), "layout": layout,
            "given_as": given_as, "equations": eqs}


def _check_against_aux(paper_id: str, eqs: list[dict], aux: Path) -> None:
    printed = {m["label"]: m["number"] for m in NEWLABEL.finditer(aux.read_text("utf-8"))}
    for eq in eqs:
        if eq["label"] and eq["label"] in printed and printed[eq["label"]] != eq["number"]:
            raise SystemExit(f"{paper_id}: {eq['label']} counted as {eq['number']}, "
                             f"LaTeX printed {printed[eq['label']]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--build", type=Path, help="folder with <paper_id>/<main>.aux to check the numbers against")
    parser.add_argument("--truth", type=Path, required=True)
    parser.add_argument("--csv", type=Path, required=True)
    args = parser.parse_args()
    with open(args.sources / "manifest.csv", newline="", encoding="utf-8") as f:
        manifest = list(csv.DictReader(f))
    truths = [paper_truth(args.sources / row["paper_id"], args.build, row["given_as"]) for row in manifest]
    args.truth.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in truths), "utf-8")
    with open(args.csv, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["paper_id", "title", "license", "arxiv_id"])
        for row, truth in zip(manifest, truths):
            if row["in_papers_csv"] == "yes":
                writer.writerow([row["paper_id"], truth["title"], row["license"], row["paper_id"]])
    for truth in truths:
        print(f"{truth['paper_id']}: {len(truth['equations'])} display rows")


if __name__ == "__main__":
    main()
