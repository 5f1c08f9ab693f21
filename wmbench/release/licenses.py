"""Which source-paper licences allow a derived problem to be redistributed, and under what id.

A paper's licence is the URL from its metadata sidecar (arXiv OAI-PMH, e.g.
``http://creativecommons.org/licenses/by/4.0/``). :func:`classify_license` maps it to a
:class:`LicenseInfo`: a class name as the reference release spells it (``cc-by``,
``arxiv-nonexclusive``...), the SPDX-like ``record_license`` of the exported record, and the
release bucket: ``public`` (CC BY, CC BY-SA, CC0, public domain), ``nc`` (non-commercial,
shipped in its own config) or ``withheld`` (arXiv's default licence, any ND licence, unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Bucket = Literal["public", "nc", "withheld"]

# A licence URL after normalisation: lowercase, no scheme, no "www.", no trailing slash.
_CC_LICENSE = re.compile(
    r"^creativecommons\.org/licenses/"
    r"(?P<terms>by(?:-nc)?(?:-sa|-nd)?)"  # by, by-sa, by-nd, by-nc, by-nc-sa, by-nc-nd
    r"/(?P<version>\d+\.\d+)"  # 2.0, 2.5, 3.0, 4.0
    r"(?:/[a-z-]+)?$"  # an optional jurisdiction port (e.g. /de)
)
_CC_PUBLIC_DOMAIN = re.compile(r"^creativecommons\.org/publicdomain/(?P<tool>zero|mark)/\d+\.\d+$")
_ARXIV_DEFAULT = re.compile(
    r"^arxiv\.org/licenses/"
    r"(?:(?P<nonexclusive>nonexclusive-distrib/\d+\.\d+)"  # the default licence since 2004
    r"|(?P<assumed>assumed-1991-2003))$"  # papers older than the licence choice
)
# An SPDX id given directly instead of a URL (CC-BY-4.0, cc-by-nc-sa-4.0, CC0-1.0).
_SPDX_ID = re.compile(r"^cc-(?P<terms>by(?:-nc)?(?:-sa|-nd)?)-(?P<version>\d+\.\d+)$|^(?P<cc0>cc0)-1\.0$")
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?")

_BUCKET_OF_TERMS: dict[str, Bucket] = {
    "by": "public",
    "by-sa": "public",
    "by-nc": "nc",
    "by-nc-sa": "nc",
    "by-nd": "withheld",
    "by-nc-nd": "withheld",
}
# Records derived from CC0 / public-domain papers are released under CC BY 4.0, as the reference does.
PUBLIC_DOMAIN_RECORD_LICENSE = "CC-BY-4.0"


@dataclass(frozen=True)
class LicenseInfo:
    """What a source licence allows for the problems derived from it."""

    url: str
    license_class: str
    bucket: Bucket
    record_license: str | None
    reason: str

    @property
    def hub_id(self) -> str | None:
        """The Hub's ``license:`` value for the exported records (lowercase SPDX)."""
        return self.record_license.lower() if self.record_license else None


@lru_cache(maxsize=256)
def classify_license(url: str | None) -> LicenseInfo:
    """Classify a licence URL (or SPDX id); unknown and empty values are withheld."""
    raw = (url or "").strip()
    key = _URL_PREFIX.sub("", raw.lower()).rstrip("/")
    if not key:
        return LicenseInfo(raw, "unknown", "withheld", None, "no licence recorded for the source paper")
    if match := _ARXIV_DEFAULT.match(key):
        klass = "arxiv-nonexclusive" if match["nonexclusive"] else "arxiv-assumed"
        return LicenseInfo(raw, klass, "withheld", None,
                           "arXiv's default non-exclusive licence does not permit redistribution")
    if match := _CC_PUBLIC_DOMAIN.match(key):
        klass = "cc0" if match["tool"] == "zero" else "public-domain"
        return LicenseInfo(raw, klass, "public", PUBLIC_DOMAIN_RECORD_LICENSE, f"{klass} source")
    match = _CC_LICENSE.match(key) or _SPDX_ID.match(key)
    if match is None:
        return LicenseInfo(raw, "unknown", "withheld", None, f"unknown licence {raw!r}")
    if match.groupdict().get("cc0"):
        return LicenseInfo(raw, "cc0", "public", PUBLIC_DOMAIN_RECORD_LICENSE, "cc0 source")
    terms, version = match["terms"], match["version"]
    bucket = _BUCKET_OF_TERMS[terms]
    if bucket == "withheld":
        return LicenseInfo(raw, f"cc-{terms}", bucket, None,
                           f"CC {terms.upper()} {version} forbids derivatives")
    record = f"CC-{terms.upper()}-{version}"
    return LicenseInfo(raw, f"cc-{terms}", bucket, record, f"CC {terms.upper()} {version} source")
