"""Licence URL classification: which source licences let derived problems be released."""

from __future__ import annotations

import pytest

from wmbench.release.licenses import classify_license

# (licence as found in a metadata sidecar, class, bucket, record_license)
CASES: tuple[tuple[str | None, str, str, str | None], ...] = (
    # CC BY and CC BY-SA: public, record keeps the source's terms and version
    ("http://creativecommons.org/licenses/by/4.0/", "cc-by", "public", "CC-BY-4.0"),
    ("http://creativecommons.org/licenses/by/4.0", "cc-by", "public", "CC-BY-4.0"),
    ("https://creativecommons.org/licenses/by/4.0/", "cc-by", "public", "CC-BY-4.0"),
    ("https://www.creativecommons.org/licenses/by/3.0/", "cc-by", "public", "CC-BY-3.0"),
    ("  HTTP://CreativeCommons.org/licenses/BY/4.0/  ", "cc-by", "public", "CC-BY-4.0"),
    ("http://creativecommons.org/licenses/by/3.0/de/", "cc-by", "public", "CC-BY-3.0"),
    ("http://creativecommons.org/licenses/by-sa/4.0/", "cc-by-sa", "public", "CC-BY-SA-4.0"),
    ("https://creativecommons.org/licenses/by-sa/3.0", "cc-by-sa", "public", "CC-BY-SA-3.0"),
    ("CC-BY-4.0", "cc-by", "public", "CC-BY-4.0"),
    # CC0 and the public domain mark: public, released as CC BY 4.0 like the reference
    ("http://creativecommons.org/publicdomain/zero/1.0/", "cc0", "public", "CC-BY-4.0"),
    ("https://creativecommons.org/publicdomain/mark/1.0", "public-domain", "public", "CC-BY-4.0"),
    ("CC0-1.0", "cc0", "public", "CC-BY-4.0"),
    # non-commercial: their own config
    ("http://creativecommons.org/licenses/by-nc-sa/4.0/", "cc-by-nc-sa", "nc", "CC-BY-NC-SA-4.0"),
    ("http://creativecommons.org/licenses/by-nc/3.0", "cc-by-nc", "nc", "CC-BY-NC-3.0"),
    # no derivatives: withheld
    ("http://creativecommons.org/licenses/by-nc-nd/4.0/", "cc-by-nc-nd", "withheld", None),
    ("https://creativecommons.org/licenses/by-nd/4.0", "cc-by-nd", "withheld", None),
    # arXiv's default licence: withheld
    ("http://arxiv.org/licenses/nonexclusive-distrib/1.0/", "arxiv-nonexclusive", "withheld", None),
    ("https://arxiv.org/licenses/nonexclusive-distrib/1.0", "arxiv-nonexclusive", "withheld", None),
    ("http://arxiv.org/licenses/assumed-1991-2003/", "arxiv-assumed", "withheld", None),
    # empty and unknown: withheld
    (None, "unknown", "withheld", None),
    ("", "unknown", "withheld", None),
    ("   ", "unknown", "withheld", None),
    ("https://example.org/my-license", "unknown", "withheld", None),
    ("http://creativecommons.org/licenses/by-xx/4.0/", "unknown", "withheld", None),
    ("MIT", "unknown", "withheld", None),
)


@pytest.mark.parametrize(("url", "license_class", "bucket", "record_license"), CASES)
def test_classify_license(url, license_class, bucket, record_license):
    info = classify_license(url)
    assert (info.license_class, info.bucket, info.record_license) == (license_class, bucket, record_license)
    assert info.reason


def test_withheld_reasons_name_the_licence():
    assert "forbids derivatives" in classify_license("http://creativecommons.org/licenses/by-nd/4.0/").reason
    assert "arXiv" in classify_license("http://arxiv.org/licenses/nonexclusive-distrib/1.0/").reason
    assert "example.org" in classify_license("https://example.org/x").reason
    assert classify_license("http://creativecommons.org/licenses/by/4.0/").hub_id == "cc-by-4.0"
