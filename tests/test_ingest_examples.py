"""Ingestion of the real example papers (pdflatex PDFs and their sources) against
``examples/papers_truth.jsonl``: the LaTeX path is exact, the PDF path finds most equations.

Thresholds for the PDF path were measured with ``benchmarks/ingest_recovery.py`` (lowest per
paper: recall 0.90, precision 0.87, similarity 0.86; overall 0.99 / 0.97 / 0.93) and are set
with a margin below.
"""

from __future__ import annotations

import json
import re

import pytest
from fixtures_ingest import EXAMPLE_PAPERS, EXAMPLE_TRUTH

from wmbench.ingest import discover_papers, ingest_paper
from wmbench.ingest.pdf_path import read_pdf_paper
from wmbench.ingest.recovery import exact_recovery, pdf_recovery, squash

PDF_MIN_RECALL, PDF_MIN_PRECISION, PDF_MIN_SIMILARITY = 0.8, 0.75, 0.7  # per paper
PDF_MIN_OVERALL_RECALL, PDF_MIN_OVERALL_SIMILARITY = 0.9, 0.8
# "where $x$ is ..." right after an equation: such equations must get definitions.
_WHERE_DEFINES = re.compile(r"^\W{0,3}where \$[^$]+\$ (?:is|are|denotes?|represents?)\b")

TRUTH = {t["paper_id"]: t for t in map(json.loads, EXAMPLE_TRUTH.read_text(encoding="utf-8").splitlines()) if t}
ITEMS = {item.paper_id: item for item in discover_papers(EXAMPLE_PAPERS)[0]}
WITH_SOURCE = sorted(p for p in TRUTH if ITEMS[p].source is not None)
PAIRS = sorted(p for p in WITH_SOURCE if ITEMS[p].pdf is not None)
WITH_PDF = sorted(p for p in TRUTH if ITEMS[p].pdf is not None)


@pytest.fixture(scope="module")
def papers() -> dict:
    return {paper_id: ingest_paper(ITEMS[paper_id]) for paper_id in TRUTH}


@pytest.fixture(scope="module")
def pdf_documents() -> dict:
    return {paper_id: read_pdf_paper(ITEMS[paper_id].pdf, where=paper_id) for paper_id in WITH_PDF}


def test_examples_are_present() -> None:
    assert len(TRUTH) >= 12 and len(WITH_SOURCE) >= 6 and len(WITH_PDF) == len(TRUTH)
    assert set(ITEMS) == set(TRUTH)


@pytest.mark.parametrize("paper_id", WITH_SOURCE)
def test_latex_path_recovers_exactly_the_truth(papers: dict, paper_id: str) -> None:
    truth, paper = TRUTH[paper_id]["equations"], papers[paper_id]
    recovery = exact_recovery([e["latex"] for e in truth], [e.latex for e in paper.equations])
    assert (recovery.recall, recovery.precision) == (1.0, 1.0)
    assert [squash(e.latex) for e in paper.equations] == [squash(e["latex"]) for e in truth]  # same order
    assert [e.number for e in paper.equations] == [e["number"] for e in truth]
    assert [e.label for e in paper.equations] == [e["label"] for e in truth]
    assert all(e.source == "latex" and e.confidence == 1.0 and e.section for e in paper.equations)
    assert paper.title == TRUTH[paper_id]["title"]


@pytest.mark.parametrize("paper_id", WITH_SOURCE)
def test_where_clauses_become_definitions(papers: dict, paper_id: str) -> None:
    defining = [e for e in papers[paper_id].equations if _WHERE_DEFINES.match(e.context_after)]
    assert all(e.definitions for e in defining), [e.context_after[:80] for e in defining if not e.definitions]
    for equation in defining:
        assert all(symbol and description for symbol, description in equation.definitions.items())


def test_most_papers_have_where_definitions(papers: dict) -> None:
    with_definitions = sum(1 for p in WITH_SOURCE if any(e.definitions for e in papers[p].equations))
    assert with_definitions == len(WITH_SOURCE)


@pytest.mark.parametrize("paper_id", PAIRS)
def test_pairs_get_page_numbers_from_the_pdf(papers: dict, paper_id: str) -> None:
    import pymupdf

    equations = papers[paper_id].equations
    pages = [e.page for e in equations]
    assert None not in pages and pages == sorted(pages)
    with pymupdf.open(ITEMS[paper_id].pdf) as doc:
        assert pages[-1] <= doc.page_count
        for equation in equations:
            if equation.number:  # the number "(n)" is printed on the page found
                assert doc[equation.page - 1].search_for(f"({equation.number})"), equation.number


@pytest.mark.parametrize("paper_id", WITH_PDF)
def test_pdf_path_finds_most_display_equations(pdf_documents: dict, paper_id: str) -> None:
    truth = [(e["number"], e["latex"]) for e in TRUTH[paper_id]["equations"]]
    found = pdf_documents[paper_id].equations
    recovery = pdf_recovery(truth, [(e.number, e.latex) for e in found])
    assert recovery.recall >= PDF_MIN_RECALL and recovery.precision >= PDF_MIN_PRECISION
    assert recovery.similarity >= PDF_MIN_SIMILARITY
    assert all(e.source == "pdf" and 0 < e.confidence <= 1 and e.text and e.page for e in found)


def test_pdf_path_overall(pdf_documents: dict) -> None:
    recoveries = [
        pdf_recovery([(e["number"], e["latex"]) for e in TRUTH[p]["equations"]],
                     [(e.number, e.latex) for e in pdf_documents[p].equations])
        for p in WITH_PDF
    ]
    matched = sum(r.matched for r in recoveries)
    assert matched / sum(r.truth for r in recoveries) >= PDF_MIN_OVERALL_RECALL
    assert sum(r.similarity * r.matched for r in recoveries) / matched >= PDF_MIN_OVERALL_SIMILARITY


@pytest.mark.parametrize("paper_id", WITH_PDF)
def test_pdf_path_reads_title_and_sections(pdf_documents: dict, paper_id: str) -> None:
    document = pdf_documents[paper_id]
    assert " ".join(document.title.split()) == " ".join(TRUTH[paper_id]["title"].split())
    assert len(document.sections) >= 3 and document.abstract
