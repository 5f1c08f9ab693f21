"""What one ingestion path (LaTeX or PDF) extracts from a paper, before assembly into a Paper."""

from __future__ import annotations

from dataclasses import dataclass, field

from wmbench.paper import Equation


@dataclass
class Document:
    """Title, abstract, sections and display equations of one paper, from one kind of input."""

    title: str = ""
    abstract: str = ""
    sections: list[str] = field(default_factory=list)
    equations: list[Equation] = field(default_factory=list)
    glossary: dict[str, str] = field(default_factory=dict)  # symbol -> description, from all the prose
    template_sections: int = 0  # sections dropped as template text (a leftover sample article)
    warnings: list[str] = field(default_factory=list)  # what the reading could not do, for the ingest report
