"""Validate and normalise work and party identifiers.

Check digits are verified wherever the scheme has them, with python-stdnum
(ISBN, ISSN, ISRC, ISNI) and ISO 7064 (ORCID); ISWC's check digit is computed
here because stdnum has no module for it. Every validator returns the
identifier in one canonical form, so that the same work registered twice with
different punctuation is recognised as the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from stdnum import isbn, isni, isrc, issn
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_11_2

from consentry.errors import InvalidInput

WORK_SCHEMES = ("isbn", "issn", "isrc", "iswc", "doi", "iscc", "url")

_ISWC = re.compile(r"^T(\d{9})(\d)$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ISCC = re.compile(r"^ISCC:[A-Z2-7]{16,}$")
_IPI = re.compile(r"^\d{9,11}$")


def _stdnum(module: object, label: str) -> Callable[[str], str]:
    def validate(value: str) -> str:
        try:
            return str(module.validate(value))  # type: ignore[attr-defined]
        except ValidationError as exc:
            raise InvalidInput(f"invalid {label} {value!r}: {exc}") from exc

    return validate


def _isbn(value: str) -> str:
    """ISBN-10 or ISBN-13, stored as ISBN-13 digits so both forms compare equal."""
    compact = _stdnum(isbn, "ISBN")(value)
    return str(isbn.to_isbn13(compact)).replace("-", "")


def _iswc(value: str) -> str:
    compact = re.sub(r"[\s.\-]", "", value.upper())
    found = _ISWC.match(compact)
    if found is None:
        raise InvalidInput(f"invalid ISWC {value!r}: expected T-123.456.789-C")
    digits, check = found.groups()
    total = 1 + sum(i * int(d) for i, d in enumerate(digits, start=1))
    if (10 - total % 10) % 10 != int(check):
        raise InvalidInput(f"invalid ISWC {value!r}: check digit does not match")
    return compact


def _doi(value: str) -> str:
    compact = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value.strip(), flags=re.I)
    if _DOI.match(compact) is None:
        raise InvalidInput(f"invalid DOI {value!r}: expected 10.<registrant>/<suffix>")
    return compact.lower()


def _iscc(value: str) -> str:
    compact = value.strip().upper()
    if not compact.startswith("ISCC:"):
        compact = "ISCC:" + compact
    if _ISCC.match(compact) is None:
        raise InvalidInput(f"invalid ISCC {value!r}: expected ISCC:<base32>")
    return compact


def _url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"invalid URL {value!r}: expected an absolute http(s) URL")
    return value.strip()


WORK_VALIDATORS: Mapping[str, Callable[[str], str]] = {
    "isbn": _isbn,
    "issn": _stdnum(issn, "ISSN"),
    "isrc": _stdnum(isrc, "ISRC"),
    "iswc": _iswc,
    "doi": _doi,
    "iscc": _iscc,
    "url": _url,
}


def normalise_work_identifier(scheme: str, value: str) -> str:
    """Validate ``value`` under ``scheme`` and return its canonical form."""
    validator = WORK_VALIDATORS.get(scheme.lower())
    if validator is None:
        known = ", ".join(WORK_SCHEMES)
        raise InvalidInput(f"unknown identifier scheme {scheme!r}", hint=f"use one of {known}")
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"empty {scheme} identifier")
    return validator(value)


def normalise_isni(value: str) -> str:
    """ISNI (ISO 27729), 16 characters with its ISO 7064 check character."""
    return str(_stdnum(isni, "ISNI")(value))


def normalise_orcid(value: str) -> str:
    """ORCID iD as 0000-0000-0000-000X, with its ISO 7064 MOD 11-2 check character."""
    compact = re.sub(r"^https?://orcid\.org/", "", value.strip()).replace("-", "").upper()
    if not re.fullmatch(r"\d{15}[\dX]", compact) or not mod_11_2.is_valid(compact):
        raise InvalidInput(f"invalid ORCID {value!r}: expected 0000-0000-0000-000X")
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


def normalise_ipi(value: str) -> str:
    """IPI name number: 9 to 11 digits, zero-padded to 11 (no public check digit)."""
    compact = re.sub(r"[\s.\-]", "", value)
    if _IPI.match(compact) is None:
        raise InvalidInput(f"invalid IPI {value!r}: expected 9 to 11 digits")
    return compact.zfill(11)
