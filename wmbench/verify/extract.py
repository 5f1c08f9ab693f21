"""Response → answers: strip reasoning, find ``\\boxed{}`` contents, read an option letter.

Everything here is a linear scan (no recursion, no backtracking regex), so megabyte responses
and 10^4-deep brace nesting cost milliseconds.
"""

from __future__ import annotations

import re

from wmbench.schema import OPTION_LETTERS

# <think> ... </think> reasoning blocks; an unclosed block that starts the response is all
# reasoning until the closing tag, and a response that only opens one has no final answer.
_THINK_BLOCK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_THINK_CLOSE = re.compile(r"</think>", re.IGNORECASE)
_THINK_OPEN = re.compile(r"<think>", re.IGNORECASE)

# \boxed / \fbox followed by optional spaces; the argument is a balanced {...} group or,
# for ``\boxed x``, the single next token.
_BOX_COMMAND = re.compile(r"\\(?:boxed|fbox)(?![A-Za-z])\s*")
_BRACE_OR_ESCAPE = re.compile(r"\\.|[{}]", re.DOTALL)  # an escape pair, or a brace
_BARE_TOKEN = re.compile(r"\\[A-Za-z]+|[^\s{}\\$]")

MAX_ANSWER_CHARS = 4000  # verdicts show at most this much of an answer (longer ones are junk)


def strip_think(text: str) -> str:
    """The response without ``<think>`` blocks (closed ones, and everything before a lone ``</think>``)."""
    text = _THINK_BLOCK.sub(" ", text)
    closes = list(_THINK_CLOSE.finditer(text))
    if closes:  # a block whose opening tag was in the chat template
        text = text[closes[-1].end():]
    opened = _THINK_OPEN.search(text)
    if opened is not None:  # unclosed: the model never left its reasoning
        text = text[: opened.start()]
    return text


def extract_boxed(text: str) -> list[str]:
    """Contents of every ``\\boxed{..}`` / ``\\fbox{..}`` / ``\\boxed x`` in order, stripped.

    Unbalanced boxes (no closing brace) are skipped; stray extra ``}`` after a box is ignored.
    """
    found: list[str] = []
    closing: dict[int, int] | None = None  # computed on the first braced box
    pos = 0
    while True:
        match = _BOX_COMMAND.search(text, pos)
        if match is None:
            return found
        start = match.end()
        if start < len(text) and text[start] == "{":
            if closing is None:
                closing = _brace_pairs(text)
            end = closing.get(start)
            if end is None:
                pos = start + 1
                continue
            found.append(text[start + 1 : end].strip())
            pos = end + 1
        else:
            bare = _BARE_TOKEN.match(text, start)
            if bare is not None:
                found.append(bare.group(0))
                pos = bare.end()
            else:
                pos = start


def _brace_pairs(text: str) -> dict[int, int]:
    """Index of every ``{`` → index of its closing ``}``, in one pass (escaped braces skipped)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for match in _BRACE_OR_ESCAPE.finditer(text):
        ch = match.group(0)
        if ch == "{":
            stack.append(match.start())
        elif ch == "}" and stack:
            pairs[stack.pop()] = match.start()
    return pairs


# A final answer stated in words, for general maths without a box (Minerva / lm-eval style):
# "The final answer is $X$", "Final Answer: X", "the answer is X.", "**Answer:** X".
_ANSWER_CUE = re.compile(
    r"""\b(?:final\s+)?answer\b   # "answer" / "final answer"
        (?:\s*:|\s+is\b\s*:?)      # then ":" or "is" (a bare "answer" states nothing)
        [\s\*]*                    # spaces, markdown bold""",
    re.IGNORECASE | re.VERBOSE,
)
_MATH_SPAN = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_SENTENCE_END = re.compile(r"\.(?=\s|$)|\n|,\s*(?:I hope|which|so)\b", re.IGNORECASE)
_SPAN_LIMIT = 300  # a statement longer than this is prose, not an answer
_CUES_TRIED = 3  # an empty last statement falls back to the one before, within reason
_HEDGE = re.compile(r"\b(?:or|and)\b", re.IGNORECASE)  # "$5$ or $6$", "(A) or (B)": no single answer


def stated_answer(text: str) -> str | None:
    """The answer of the last "final answer is X" / "Answer: X" statement, or None.

    X is the first ``$..$`` / ``\\(..\\)`` span right after the cue, else the plain text up to the
    end of the sentence or line (markdown bold and a trailing full stop dropped).
    """
    cues = list(_ANSWER_CUE.finditer(text))
    for cue in reversed(cues[-_CUES_TRIED:]):
        rest = text[cue.end(): cue.end() + _SPAN_LIMIT]
        answer = _answer_after_cue(rest)
        if answer:
            return answer
    return None


# "Final Answer: The largest $n$ is 34": in a stated sentence, the answer follows its last "is".
_LAST_IS = re.compile(r".*\b(?:is|are|equals|=)\s+", re.DOTALL | re.IGNORECASE)


def _answer_after_cue(rest: str) -> str:
    span = _MATH_SPAN.match(rest)
    if span is None:
        sentence = _sentence(rest).strip("*").strip().rstrip(".").strip()
        said = _LAST_IS.match(sentence)
        if said is not None and sentence[said.end():].strip():
            sentence = sentence[said.end():].strip().strip("$").strip()
        return sentence
    tail = _sentence(rest[span.end():])
    if _HEDGE.search(tail) or "$" in tail or "\\(" in tail:  # "$5$ or $6$" states no single answer
        return f"{rest[: span.end()]} {tail}".strip()
    return next(group for group in span.groups() if group is not None).strip()


def _sentence(text: str) -> str:
    """The text up to the end of its sentence or line."""
    end = _SENTENCE_END.search(text)
    return (text[: end.start()] if end is not None else text).strip()


_OPENERS, _CLOSERS = "([{", ")]}"


def split_list(text: str) -> list[str]:
    """The items of a top-level comma-separated list (``(1, 2), (2, 1)`` → two pairs); a set's braces dropped."""
    body = text.strip()
    for opening, closing in ((r"\{", r"\}"), (r"\left\{", r"\right\}")):
        if body.startswith(opening) and body.endswith(closing):
            body = body[len(opening): -len(closing)]
    items, depth, start, i = [], 0, 0, 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            i += 2
            continue
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
        i += 1
    items.append(body[start:].strip())
    return [item for item in items if item]


def last_answers(response: str, k: int) -> tuple[str, ...]:
    """The last ``k`` boxed answers of the final part of a response, in order (fewer if absent)."""
    boxes = extract_boxed(strip_think(response))
    return tuple(boxes[-k:]) if k > 0 else ()


# --- option letters -------------------------------------------------------------------------

# A boxed letter, possibly wrapped: "B", "(B)", "\text{B}", "\textbf{(B)}", "B.", "B)", "Option B".
_LETTER_WRAPPERS = re.compile(r"\\(?:text|textbf|mathrm|mathbf|mbox|textit|mathit)\s*\{([^{}]*)\}")
_BOXED_LETTER = re.compile(
    r"""^\s*(?:option\s*|choice\s*)?   # optional word
        [\(\[]?\s*([A-D])\s*[\)\]]?     # the letter, maybe in brackets
        \s*[\.:]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A letter used as a label before the option's text: "(C) ZY", "C: ZY", "C. ZY".
_LABELLED_OPTION = re.compile(r"^\s*[\(\[]?([A-D])(?:[\)\]]\s*[:.]?|\s*[:.])\s+\S")

# A stated letter: "the answer is B", "Answer: (B)", "correct option is **C**", "final answer: D".
# Only cue phrases count: "option A is wrong because ..." states nothing.
_STATED_LETTER = re.compile(
    r"""(?:answer|correct\s+(?:option|choice)|I\s+think\s+it(?:'s|\s+is)|I\s+(?:choose|pick))   # the cue
        \s*(?:is|:|=)?\s*                         # "is" / ":" / "="
        (?:(?:for\s+sure|definitely|clearly|surely|probably)\s*)?  # "the answer is for sure D"
        (?:option\s*|choice\s*)?                  # "the answer is option B"
        [\*\(\[\s]*([A-D])[\*\)\]]*               # the letter, maybe bold or bracketed
        (?![A-Za-z0-9])
        ((?:\s*(?:,|/|\bor\b|\band\b)\s*[\*\(\[]*[A-D][\*\)\]]*(?![A-Za-z0-9]))*)  # "A, B or C": more letters""",
    re.IGNORECASE | re.VERBOSE,
)


def boxed_letter(content: str) -> str | None:
    """The option letter a box content names, or None when it names no single letter."""
    inner = _LETTER_WRAPPERS.sub(r"\1", content)
    labelled = _LABELLED_OPTION.match(inner)
    if labelled is not None and not _HEDGE.search(inner):  # "C: \mathbf{Z}\mathbf{Y}" names option C
        return labelled.group(1)
    match = _BOXED_LETTER.match(inner)
    if match is None:
        return None
    letter = match.group(1)
    return letter.upper() if letter.upper() in OPTION_LETTERS and (letter.isupper() or len(inner.strip()) > 1) else None


def stated_letters(text: str) -> list[str]:
    """Letters stated in plain text with a cue ("the answer is B"), or a bare one-letter response."""
    letters = []
    for match in _STATED_LETTER.finditer(text):
        letters += [ch for ch in match.group(1) + match.group(2) if ch in OPTION_LETTERS]
    if not letters:
        bare = _BOXED_LETTER.match(text.strip()) if len(text.strip()) <= 12 else None
        if bare is not None and bare.group(1).isupper():
            letters = [bare.group(1)]
    if not letters:
        leading = _LEADING_LETTER.match(text)
        letters = [leading.group(1)] if leading is not None else []
    return letters


# A response that opens with a labelled letter, "D. it can't be A or B", "(B) because ...".
_LEADING_LETTER = re.compile(r"^\s*[\(\[]?([A-D])(?:[\)\]]|\.(?=\s))")
