"""Builders for ingestion test inputs: LaTeX projects, archives (good and hostile) and PDFs.

Everything is generated in a temporary folder: PDFs with pymupdf, archives with tarfile /
zipfile / gzip (streaming, so a 200 MB bomb costs no memory).
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
EXAMPLE_PAPERS = EXAMPLES / "papers"
EXAMPLE_TRUTH = EXAMPLES / "papers_truth.jsonl"

MINIMAL_TEX = r"""\documentclass{article}
\newcommand{\bh}{\mathbf{h}}
\title{A Tiny Channel Model}
\begin{document}
\maketitle
\begin{abstract}
A two-equation note.
\end{abstract}
\section{Model}
The received signal is
\begin{equation}\label{eq:y}
y = \bh^H x + n,
\end{equation}
where $\bh$ is the channel vector, $x$ denotes the symbol, and $n$ represents the noise.
The rate is
\begin{equation}
R = \log_2(1+\mathrm{SNR}).
\end{equation}
\end{document}
"""


def write_project(folder: Path, files: dict[str, str | bytes]) -> Path:
    """A LaTeX project folder with ``files`` (relative name -> text or bytes)."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return folder


def write_targz(path: Path, files: dict[str, str | bytes]) -> Path:
    """A well-formed ``.tar.gz`` holding ``files``."""
    with tarfile.open(path, "w:gz") as tar:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def write_hostile_tar(path: Path, kind: str) -> Path:
    """A ``.tar.gz`` with one good main.tex and one hostile member of ``kind``."""
    with tarfile.open(path, "w:gz") as tar:
        data = MINIMAL_TEX.encode()
        good = tarfile.TarInfo("main.tex")
        good.size = len(data)
        tar.addfile(good, io.BytesIO(data))
        evil = tarfile.TarInfo({"dotdot": "../evil.tex", "absolute": "/tmp/wmbench-evil.tex"}.get(kind, "evil"))
        payload = b"owned"
        if kind in ("dotdot", "absolute"):
            evil.size = len(payload)
            tar.addfile(evil, io.BytesIO(payload))
            return path
        evil.type = {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE, "device": tarfile.CHRTYPE,
                     "fifo": tarfile.FIFOTYPE}[kind]
        evil.linkname = "../../etc/passwd" if kind in ("symlink", "hardlink") else ""
        tar.addfile(evil)
    return path


def write_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


def write_gzip_zeros(path: Path, megabytes: int) -> Path:
    """A gzip of ``megabytes`` MB of zeros, written in 1 MB chunks (bounded memory)."""
    chunk = bytes(1 << 20)
    with gzip.open(path, "wb", compresslevel=1) as handle:
        for _ in range(megabytes):
            handle.write(chunk)
    return path


def write_tar_many_files(path: Path, count: int) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for k in range(count):
            info = tarfile.TarInfo(f"f{k}.tex")
            info.size = 0
            tar.addfile(info, io.BytesIO(b""))
    return path


EQUATION_PAGE = [
    ("Abstract We study a channel model for a simple link.", 72, 90),
    ("1 Introduction", 72, 130),
    ("A transmitter sends a symbol x to a receiver over a flat fading link. The", 72, 150),
    ("received signal is given by the usual expression below in this note.", 72, 164),
    ("y = h x + n", 250, 200),
    ("(1)", 520, 200),
    ("where h is the channel gain, x is the symbol, and n is the noise.", 72, 236),
    ("The signal-to-noise ratio then follows from the powers of these terms.", 72, 250),
]


def write_text_pdf(path: Path, lines: list[tuple[str, float, float]] = EQUATION_PAGE, *, encrypt: bool = False) -> Path:
    """A one-page PDF with ``lines`` of text placed at (x, y) with pymupdf."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    for text, x, y in lines:
        page.insert_text((x, y), text, fontsize=10, fontname="helv")
    if encrypt:
        doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    else:
        doc.save(path)
    doc.close()
    return path


def write_image_pdf(path: Path) -> Path:
    """A 'scanned' PDF: one page holding only an image, no text layer."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 64, 64), False)
    pixmap.clear_with(200)
    page.insert_image(pymupdf.Rect(72, 72, 400, 400), pixmap=pixmap)
    doc.save(path)
    doc.close()
    return path
