"""Turn one schema-checked row into a :class:`WorkRow`, checking what a schema cannot.

Identifier check digits, shares that sum to at most 1, a split that sums to
exactly 1, a file that exists inside the import folder and holds what ``kind``
says, fingerprints that agree with the kind and the file. A field the schema
already refused is skipped here, so each problem is reported once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Context, Decimal
from functools import lru_cache, reduce
from pathlib import Path
from typing import Any

from consentry.domain import ConsentState, Fingerprints, Role, Split, Use, WorkKind
from consentry.errors import InvalidInput
from consentry.fingerprint.exact import IMAGE_NORM, TEXT_NORM
from consentry.fingerprint.near import NearFingerprint
from consentry.identifiers import (
    normalise_ipi,
    normalise_isni,
    normalise_orcid,
    normalise_work_identifier,
)
from consentry.work_import.files import FileProblem, file_fingerprints
from consentry.work_import.model import PartyRef, WorkRow
from consentry.work_import.schema import row_problems

MAX_SHARE_PLACES = 18
"""Shares and splits may have at most this many decimal places."""

_NORM_KIND = {TEXT_NORM: WorkKind.TEXT, IMAGE_NORM: WorkKind.IMAGE}
_PARTY_IDS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("isni", lru_cache(maxsize=65536)(normalise_isni)),
    ("ipi", lru_cache(maxsize=65536)(normalise_ipi)),
    ("orcid", lru_cache(maxsize=65536)(normalise_orcid)),
)
_FINGERPRINT_KEYS = ("sha256", "content_sha256", "norm")
_ROLES = {role.value: role for role in Role}
_USES = {use.value: use for use in Use}
_STATES = {state.value: state for state in ConsentState}
_EXACT = Context(prec=60)
_ZERO = Decimal(0)
_PLAIN_ISBN13 = re.compile(r"97[89][0-9]{10}")


def work_identifier(scheme: str, value: str) -> str:
    """:func:`~consentry.identifiers.normalise_work_identifier`, with a fast path.

    A bare 13-digit ISBN with a correct check digit is already canonical; it
    is by far the commonest identifier in a catalogue, and checking it here is
    ten times quicker than the general route (the tests hold both to the same
    answers). Everything else takes the general route.
    """
    if scheme == "isbn" and _PLAIN_ISBN13.fullmatch(value):
        odd, even = sum(map(int, value[0:12:2])), sum(map(int, value[1:12:2]))
        if (10 - (odd + 3 * even) % 10) % 10 == int(value[12]):
            return value
    return normalise_work_identifier(scheme, value)


def to_decimal(value: str | int | Decimal) -> Decimal:
    """A share or split value as an exact Decimal, from its text (never via float)."""
    return value if isinstance(value, Decimal) else Decimal(value)


def consent_map(raw: Mapping[str, str] | None) -> dict[Use, ConsentState]:
    """A schema-checked ``{use: state}`` object as enums."""
    if not raw:
        return {}
    return {_USES[use]: _STATES[state] for use, state in raw.items()}


class RowBuilder:
    """Builds one :class:`WorkRow`, collecting every problem and warning on the way.

    The schema is checked first; a field it refuses is not checked again.
    """

    def __init__(self, line: int, raw: Mapping[str, Any], base: Path) -> None:
        self.line = line
        self.raw = raw
        self.base = base
        problems, refused = row_problems(raw)
        self.refused = refused
        self.problems: list[str] = problems
        self.warnings: list[str] = []

    def usable(self, name: str) -> bool:
        """True when the row has ``name`` and the schema did not refuse it."""
        return name in self.raw and (name,) not in self.refused

    def build(self) -> WorkRow | None:
        """The row, or None when :attr:`problems` says what is wrong with it."""
        kind = WorkKind(self.raw["kind"]) if self.usable("kind") else None
        identifiers = self._identifiers()
        creators = self._parties("creators")
        rightsholders = self._parties("rightsholders")
        split = self._split()
        fingerprints = self._fingerprints(kind)
        if self.problems or kind is None:
            return None
        self._identity_warnings(fingerprints, identifiers, kind)
        return WorkRow(
            line=self.line,
            id=self.raw.get("id"),
            title=self.raw["title"].strip(),
            kind=kind,
            identifiers=identifiers,
            fingerprints=fingerprints,
            creators=creators,
            rightsholders=rightsholders,
            split=split,
            consent=consent_map(self.raw.get("consent")),
            file=self.raw.get("file"),
        )

    def _identifiers(self) -> dict[str, tuple[str, ...]]:
        if not self.usable("identifiers"):
            return {}
        found: dict[str, tuple[str, ...]] = {}
        for scheme, given in self.raw["identifiers"].items():
            if ("identifiers", scheme) in self.refused:
                continue
            canonical: dict[str, None] = {}
            for value in [given] if isinstance(given, str) else given:
                try:
                    canonical[work_identifier(scheme, value)] = None
                except InvalidInput as exc:
                    self.problems.append(exc.message)
            found[scheme] = tuple(canonical)
        return found

    def _parties(self, group: str) -> tuple[PartyRef, ...]:
        if not self.usable(group):
            return ()
        items: list[Mapping[str, Any]] = self.raw[group]
        if any((group, i) in self.refused for i in range(len(items))):
            # Check the parties the schema accepted; their shares cannot be summed.
            for i, item in enumerate(items):
                if (group, i) not in self.refused:
                    self._party(group, i + 1, item, None)
            return ()
        shares = [self._share(group, i, item) for i, item in enumerate(items, start=1)]
        refs = [
            self._party(group, i, item, share)
            for i, (item, share) in enumerate(zip(items, shares, strict=True), start=1)
        ]
        if any(s is not None for s in shares):
            self._check_shares(group, items, shares)
        return tuple(r for r in refs if r is not None)

    def _label(self, group: str, position: int, item: Mapping[str, Any]) -> str:
        return f"{group[:-1]} {position} ({item['name']!r})"

    def _share(self, group: str, position: int, item: Mapping[str, Any]) -> Decimal | None:
        given = item.get("share")
        if given is None:
            return None
        share = to_decimal(given)
        if _places(given, share) > MAX_SHARE_PLACES:
            label = self._label(group, position, item)
            self.problems.append(
                f"{label} share {given} has more than {MAX_SHARE_PLACES} decimal places"
            )
        return share

    def _party(
        self, group: str, position: int, item: Mapping[str, Any], share: Decimal | None
    ) -> PartyRef | None:
        ids: dict[str, str] = {}
        for key, normalise in _PARTY_IDS:
            if key in item:
                try:
                    ids[key] = normalise(item[key])
                except InvalidInput as exc:
                    self.problems.append(f"{self._label(group, position, item)}: {exc.message}")
                    return None
        creator = group == "creators"
        return PartyRef(
            name=item["name"].strip(),
            id=item.get("id"),
            email=item.get("email"),
            role=_ROLES[item.get("role", "author")] if creator else None,
            share=share,
            territory=None if creator else item.get("territory", "world"),
            consent=consent_map(item.get("consent")),
            **ids,
        )

    def _check_shares(
        self, group: str, items: list[Mapping[str, Any]], shares: list[Decimal | None]
    ) -> None:
        """Within each territory (creators: one), the shares given sum to at most 1."""
        territories = [None if group == "creators" else i.get("territory", "world") for i in items]
        for territory in dict.fromkeys(territories):
            members = [n for n, t in enumerate(territories) if t in (territory, "world")]
            total = exact_sum(shares[n] for n in members)
            place = (
                ""
                if territory in (None, "world")
                else (f" in {territory} (with the world-wide shares)")
            )
            if total > 1:
                self.problems.append(f"{group}' shares sum to {total}{place}, more than 1")
            elif total == 1:
                for n in (n for n in members if shares[n] is None):
                    self.warnings.append(
                        f"{group}' shares sum to 1{place}, leaving nothing for "
                        f"{self._label(group, n + 1, items[n])}, who has no share"
                    )

    def _split(self) -> Split | None:
        if not self.usable("split"):
            return None
        given = self.raw["split"]
        split = Split(to_decimal(given["creators"]), to_decimal(given["rightsholders"]))
        places = max(
            _places(given["creators"], split.creators),
            _places(given["rightsholders"], split.rightsholders),
        )
        if places > MAX_SHARE_PLACES:
            self.problems.append(f"split has more than {MAX_SHARE_PLACES} decimal places")
        total = exact_sum((split.creators, split.rightsholders))
        if total != 1:
            self.problems.append(
                f"split sums to {total}, not 1 (creators {given['creators']}, "
                f"rightsholders {given['rightsholders']})"
            )
        for group, part in (("creators", split.creators), ("rightsholders", split.rightsholders)):
            if part > 0 and group not in self.raw:
                self.problems.append(f"split gives {part} to {group}, but the row lists none")
        return split

    def _fingerprints(self, kind: WorkKind | None) -> Fingerprints:
        given = self._given_fingerprints(kind) if self.usable("fingerprints") else None
        if kind is None or not self.usable("file"):
            return given or Fingerprints()
        name: str = self.raw["file"]
        try:
            computed = file_fingerprints(self.base, name, kind)
        except FileProblem as exc:
            self.problems.append(str(exc))
            return given or Fingerprints()
        for key in _FINGERPRINT_KEYS if given is not None else ():
            mine, theirs = getattr(given, key), getattr(computed, key)
            if mine is not None and mine != theirs:
                self.problems.append(
                    f"fingerprints.{key} {mine!r} does not match file {name!r} "
                    f"(its {key} is {theirs!r})"
                )
        return computed

    def _given_fingerprints(self, kind: WorkKind | None) -> Fingerprints:
        raw: Mapping[str, Any] = self.raw["fingerprints"]
        norm = raw.get("norm")
        if kind is not None and norm is not None and _NORM_KIND[norm] is not kind:
            self.problems.append(
                f"fingerprints.norm {norm!r} is for {_NORM_KIND[norm]} works, but kind is {kind}"
            )
        return Fingerprints(
            sha256=raw["sha256"].lower() if "sha256" in raw else None,
            content_sha256=raw["content_sha256"].lower() if "content_sha256" in raw else None,
            norm=norm,
            near=self._given_near(raw.get("near", {})),
        )

    def _given_near(self, given: Mapping[str, str]) -> dict[str, bytes]:
        near: dict[str, bytes] = {}
        for scheme, text in given.items():
            try:
                near[scheme] = NearFingerprint.from_text(scheme, text).data
            except InvalidInput as exc:
                self.problems.append(f"fingerprints.near: {exc.message}")
        return near

    def _identity_warnings(
        self,
        fingerprints: Fingerprints,
        identifiers: Mapping[str, tuple[str, ...]],
        kind: WorkKind,
    ) -> None:
        if fingerprints.sha256 is None and fingerprints.content_sha256 is None:
            if set(identifiers) == {"iscc"}:
                self.warnings.append(
                    "only an ISCC identifies this work; it will match only by ISCC"
                )
            else:
                schemes = ", ".join(identifiers)
                self.warnings.append(
                    f"no file or fingerprints: this work will match only by its identifiers "
                    f"({schemes})"
                )
        elif fingerprints.content_sha256 is None and kind in _NORM_KIND.values():
            self.warnings.append(
                "only the sha256 of the raw bytes identifies this work; it will match "
                "byte-identical copies only"
            )


def _places(given: object, value: Decimal) -> int:
    """Decimal places of a share, from its text when it came as text (the quick way)."""
    if isinstance(given, str):
        point = given.find(".")
        return 0 if point < 0 else len(given) - point - 1
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def exact_sum(values: Iterable[Decimal | None]) -> Decimal:
    """The sum of the values given, exactly (shares have at most 18 places)."""
    return reduce(_EXACT.add, (v for v in values if v is not None), _ZERO)
