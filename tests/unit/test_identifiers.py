"""Identifiers: check digits verified, one canonical form per identifier."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.errors import InvalidInput
from consentry.identifiers import (
    WORK_SCHEMES,
    normalise_ipi,
    normalise_isni,
    normalise_orcid,
    normalise_work_identifier,
)
from consentry.work_import.rows import work_identifier


@pytest.mark.parametrize(
    ("scheme", "value", "canonical"),
    [
        ("isbn", "978-0-306-40615-7", "9780306406157"),
        ("isbn", "9780306406157", "9780306406157"),
        ("isbn", "0-306-40615-2", "9780306406157"),
        ("isbn", "0306406152", "9780306406157"),
        ("isbn", "1-86197-271-7", "9781861972712"),
        ("isbn", "080442957X", "9780804429573"),
        ("isbn", "979-10-90636-07-1", "9791090636071"),
        ("issn", "0378-5955", "03785955"),
        ("issn", "2049-3630", "20493630"),
        ("isrc", "US-S1Z-99-00001", "USS1Z9900001"),
        ("isrc", "uss1z9900001", "USS1Z9900001"),
        ("iswc", "T-034.524.680-1", "T0345246801"),
        ("iswc", "t0345246801", "T0345246801"),
        ("doi", "10.1000/182", "10.1000/182"),
        ("doi", "https://doi.org/10.1000/ABC", "10.1000/abc"),
        ("doi", "doi:10.1000/xyz", "10.1000/xyz"),
        ("iscc", "ISCC:KACYPXW445FTYNJ3", "ISCC:KACYPXW445FTYNJ3"),
        ("iscc", "kacypxw445ftynj3", "ISCC:KACYPXW445FTYNJ3"),
        ("url", " https://example.org/a?b=c ", "https://example.org/a?b=c"),
        ("URL", "http://example.org", "http://example.org"),
    ],
)
def test_valid_identifiers_have_one_canonical_form(scheme: str, value: str, canonical: str) -> None:
    assert normalise_work_identifier(scheme, value) == canonical


def test_isbn10_and_its_isbn13_are_equal() -> None:
    assert normalise_work_identifier("isbn", "0-306-40615-2") == normalise_work_identifier(
        "isbn", "978-0-306-40615-7"
    )


@pytest.mark.parametrize(
    ("scheme", "value", "message"),
    [
        (
            "isbn",
            "978-0-306-40615-8",
            "invalid ISBN '978-0-306-40615-8': The number's checksum or check digit is invalid.",
        ),
        ("isbn", "0-306-40615-3", "checksum or check digit is invalid"),
        ("isbn", "977-0-306-40615-7", "invalid ISBN"),
        ("isbn", "12345", "invalid ISBN"),
        ("issn", "0378-5954", "invalid ISSN '0378-5954'"),
        ("isrc", "XX-S1Z-99-00001", "invalid ISRC"),
        ("isrc", "US-S1Z-99-0000", "invalid ISRC"),
        ("iswc", "T-034.524.680-2", "invalid ISWC 'T-034.524.680-2': check digit does not match"),
        ("iswc", "034.524.680-1", "expected T-123.456.789-C"),
        ("doi", "11.1000/182", "invalid DOI"),
        ("doi", "10.1000", "invalid DOI"),
        ("iscc", "ISCC:abc!", "invalid ISCC"),
        ("iscc", "ISCC:KAC", "invalid ISCC"),
        ("url", "ftp://example.org/x", "expected an absolute http(s) URL"),
        ("url", "example.org", "invalid URL"),
        ("isbn", "  ", "empty isbn identifier"),
        ("ean", "123", "unknown identifier scheme 'ean'"),
    ],
)
def test_invalid_identifiers_are_refused(scheme: str, value: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        normalise_work_identifier(scheme, value)


def test_the_schemes() -> None:
    assert WORK_SCHEMES == ("isbn", "issn", "isrc", "iswc", "doi", "iscc", "url")


@pytest.mark.parametrize("value", ["0000 0001 2103 2683", "0000000121032683", "000000012146438X"])
def test_valid_isni(value: str) -> None:
    assert normalise_isni(value) == value.replace(" ", "")


@pytest.mark.parametrize("value", ["0000000121032684", "000000012103268", "abcd"])
def test_invalid_isni(value: str) -> None:
    with pytest.raises(InvalidInput, match="invalid ISNI"):
        normalise_isni(value)


@pytest.mark.parametrize(
    "value",
    [
        "0000-0002-1825-0097",
        "https://orcid.org/0000-0002-1825-0097",
        "0000000218250097",
        "0000-0001-5109-3700",
        "0000-0002-9079-593x",
    ],
)
def test_valid_orcid(value: str) -> None:
    canonical = normalise_orcid(value)
    assert len(canonical) == 19
    assert canonical.count("-") == 3
    assert canonical == canonical.upper()


def test_orcid_canonical_form() -> None:
    assert normalise_orcid("https://orcid.org/0000000218250097") == "0000-0002-1825-0097"


@pytest.mark.parametrize("value", ["0000-0002-1825-0098", "0000-0002-1825", "X000-0002-1825-0097"])
def test_invalid_orcid(value: str) -> None:
    with pytest.raises(InvalidInput, match="invalid ORCID"):
        normalise_orcid(value)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [("123456789", "00123456789"), ("00073982498", "00073982498"), ("1234-567-890", "01234567890")],
)
def test_valid_ipi_is_zero_padded(value: str, canonical: str) -> None:
    assert normalise_ipi(value) == canonical


@pytest.mark.parametrize("value", ["12345678", "123456789012", "12345678a"])
def test_invalid_ipi(value: str) -> None:
    with pytest.raises(InvalidInput, match="invalid IPI"):
        normalise_ipi(value)


# The import's quick route for bare ISBN-13s must give the general route's answers.
isbn_like = st.one_of(
    st.from_regex(r"97[89][0-9]{10}", fullmatch=True),
    st.from_regex(r"[0-9]{13}", fullmatch=True),
    st.from_regex(r"97[89]-?[0-9]{1,5}-?[0-9]{1,7}-?[0-9]{1,6}-?[0-9]", fullmatch=True),
    st.text(alphabet="0123456789X- ", max_size=17),
)


@settings(max_examples=500)
@given(isbn_like)
def test_the_quick_isbn_route_agrees_with_the_general_one(value: str) -> None:
    try:
        general: str | None = normalise_work_identifier("isbn", value)
    except InvalidInput:
        general = None
    try:
        quick: str | None = work_identifier("isbn", value)
    except InvalidInput:
        quick = None
    assert quick == general
