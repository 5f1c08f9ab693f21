"""Page numbers of LaTeX equations from the plain text of the PDF's pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_ingest import write_text_pdf

from wmbench.errors import IngestionError
from wmbench.ingest.pages import assign_pages, read_page_texts
from wmbench.paper import Equation

PAGES = [
    "I. SYSTEM MODEL\nThe base station serves K users.\ny = hx + n\n(1)\nwhere h is the channel.\n",
    "as given in (1)\nand the power budget is shared\nby all users of the cell\nP = p1 + p2\nThe rate of the first user is then\n"
    "R = log(1 + SNR)\n(2)\n",
    "A note on (3)\nC = B log(1 + SNR)\n(3)\nThe outage probability reads\nP = 1 - exp(-x)\n",
]


def _equations(*specs: tuple[str | None, str, str]) -> list[Equation]:
    return [Equation(latex="x", number=number, context_before=before, context_after=after)
            for number, before, after in specs]


def test_numbers_are_found_on_their_own_line_from_the_previous_page_on() -> None:
    equations = _equations(("1", "", ""), ("2", "", ""), ("3", "", ""))
    assert assign_pages(equations, PAGES) == 3
    assert [e.page for e in equations] == [1, 2, 3]  # "(1)" and "(3)" quoted at line ends elsewhere do not count


def test_unnumbered_equations_between_pages_are_placed_by_their_context() -> None:
    equations = _equations(
        ("1", "", ""),
        (None, "and the power budget is shared by all users of the cell", ""),  # page 2 by the words before
        ("2", "", ""),
        ("3", "", ""),
        (None, "The outage probability reads", ""),  # after the last numbered one: page 3
        (None, "no such $x$ words anywhere in it", ""),  # no match: the previous neighbour's page
    )
    assign_pages(equations, PAGES)
    assert [e.page for e in equations] == [1, 2, 2, 3, 3, 3]


def test_an_unknown_number_has_no_page() -> None:
    equations = _equations(("9", "", ""))
    assert assign_pages(equations, PAGES) == 0 and equations[0].page is None


def test_page_texts_of_a_real_pdf_and_unusable_ones(tmp_path: Path) -> None:
    pdf = write_text_pdf(tmp_path / "p.pdf")  # a paragraph, an equation numbered (1), a where-clause
    texts = read_page_texts(pdf, where="p.pdf")
    equations = _equations(("1", "", ""))
    assert len(texts) == 1 and assign_pages(equations, texts) == 1 and equations[0].page == 1
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf at all")
    with pytest.raises(IngestionError, match="bad.pdf: not a PDF"):
        read_page_texts(tmp_path / "bad.pdf", where="bad.pdf")
