"""The public lookup: "may developer D use this content for use U?", answered fast.

Content is named by a SHA-256 (of the raw bytes or of the normalised content)
or an ISCC. The answer reuses the decision table the scan uses
(:func:`consentry.registry.decide_work`) for every registered work the
content matches: it is ``include`` only when every matching work is included
(withheld wins, as in a scan); content that matches no work is ``unknown``
(excluded under the consent regime).

:class:`LookupCache` keeps what the decision reads (works by hash, each work
with its consents, licences and mandates, developers by reference) and the
answers themselves, all keyed by the registry's version, which every logged
change advances. An answer is also dated: it is reused only until the next
moment any of its inputs changes by itself (a consent expires, a licence starts
or ends), so a cached answer is always the answer the decision table gives now.
A warm request costs one indexed read of the version on a dedicated connection.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.domain import Consent, Licence, Mandate, PartyKind, Use, Work
from consentry.errors import InvalidInput
from consentry.identifiers import normalise_work_identifier
from consentry.registry import decide_work
from consentry.store import Registry
from consentry.store.lookup import VersionProbe

MAX_CACHED = 200_000
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class LookupAnswer:
    """The answer: the decision, one reason per matching work, and those works."""

    decision: str
    reasons: tuple[str, ...]
    works: tuple[tuple[str, str, str], ...]  # (work id, decision, explanation)
    developer_id: str
    use: Use
    at: datetime


@dataclass(frozen=True)
class _Inputs:
    work: Work
    consents: list[Consent]
    licences: list[Licence]
    mandates: list[Mandate]

    def moments(self) -> Iterator[datetime]:
        """Every time at which this work's decision could change by itself."""
        for c in self.consents:
            yield c.recorded_at
            if c.expires_at is not None:
                yield c.expires_at
        for lic in self.licences:
            yield lic.starts_at
            yield from (t for t in (lic.ends_at, lic.revoked_at) if t is not None)
            yield from (g.granted_at for g in lic.grants)
        for m in self.mandates:
            yield m.granted_at
            if m.revoked_at is not None:
                yield m.revoked_at


AnswerKey = tuple[str, str, Use, str | None, str | None]


class LookupCache:
    """What lookups read, and their answers, valid for one registry version; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.version = -2
        self.works_of: dict[str, tuple[str, ...]] = {}
        self.inputs: dict[str, _Inputs] = {}
        self.answers: dict[AnswerKey, tuple[LookupAnswer, datetime | None]] = {}
        self.developers: dict[str, str] = {}
        self.probe: VersionProbe | None = None

    def sync(self, ws: Workspace) -> None:
        """Forget everything when the registry moved on (or the cache grew too big)."""
        if self.probe is None:
            self.probe = VersionProbe(ws.engine)
        version = self.probe.read()
        with self._lock:
            size = len(self.inputs) + len(self.works_of) + len(self.answers)
            if version != self.version or size > MAX_CACHED:
                self.version = version
                self.works_of, self.inputs, self.answers = {}, {}, {}

    def close(self) -> None:
        """Release the version probe's connection."""
        if self.probe is not None:
            self.probe.close()


def normalise_key(sha256: str | None, iscc: str | None) -> str:
    """``sha256:<hex>`` or ``iscc:<code>`` from exactly one of the two (InvalidInput else)."""
    if (sha256 is None) == (iscc is None):
        raise InvalidInput("give exactly one of sha256 or iscc")
    if sha256 is not None:
        value = sha256.strip().lower().removeprefix("sha256:")
        if len(value) != 64 or not set(value) <= _HEX:
            raise InvalidInput("sha256 must be 64 hexadecimal digits")
        return f"sha256:{value}"
    return f"iscc:{normalise_work_identifier('iscc', iscc or '')}"


def lookup(
    ws: Workspace,
    cache: LookupCache,
    developer_ref: str,
    use: Use,
    key: str,
    *,
    model: str | None = None,
    territory: str | None = None,
) -> LookupAnswer:
    """May ``developer_ref`` use the content named by ``key`` (see :func:`normalise_key`)?"""
    cache.sync(ws)
    return _lookup_synced(ws, cache, developer_ref, use, key, model, territory)


def _lookup_synced(
    ws: Workspace,
    cache: LookupCache,
    developer_ref: str,
    use: Use,
    key: str,
    model: str | None,
    territory: str | None,
) -> LookupAnswer:
    now = ws.now()
    developer = cache.developers.get(developer_ref)
    answer_key: AnswerKey = (key, developer or developer_ref, use, model, territory)
    cached = cache.answers.get(answer_key) if developer else None
    if cached is not None and (cached[1] is None or now < cached[1]):
        answer = cached[0]
        return LookupAnswer(
            answer.decision, answer.reasons, answer.works, answer.developer_id, use, now
        )
    held = cache.works_of.get(key)
    if developer is not None and held is not None and all(w in cache.inputs for w in held):
        inputs = [cache.inputs[w] for w in held]  # all read already (a batch's prefetch)
    else:
        with ws.engine.connect() as conn:
            registry = Registry(conn)
            developer = _developer(registry, cache, developer_ref)
            inputs = _inputs(registry, cache, key)
    answer = _answer(inputs, developer, use, now, model, territory)
    later = [t for i in inputs for t in i.moments() if t > now]
    if len(cache.answers) < MAX_CACHED:
        key_now: AnswerKey = (key, developer, use, model, territory)
        cache.answers[key_now] = (answer, min(later) if later else None)
    return answer


MAX_BATCH = 1000


def lookup_many(
    ws: Workspace,
    cache: LookupCache,
    developer_ref: str,
    use: Use,
    keys: list[str],
    *,
    model: str | None = None,
    territory: str | None = None,
) -> list[LookupAnswer]:
    """:func:`lookup` for many pieces of content at once (up to ``MAX_BATCH``), in order.

    What is not cached yet is read in a few batched queries for the whole list,
    so checking a corpus item by item costs a fraction of one request each.
    """
    if not 0 < len(keys) <= MAX_BATCH:
        raise InvalidInput(f"ask about 1 to {MAX_BATCH} items at once, not {len(keys)}")
    cache.sync(ws)
    with ws.engine.connect() as conn:
        registry = Registry(conn)
        _developer(registry, cache, developer_ref)
        _prefetch(registry, cache, keys)
    return [
        lookup(ws, cache, developer_ref, use, key, model=model, territory=territory) for key in keys
    ]


def _prefetch(registry: Registry, cache: LookupCache, keys: list[str]) -> None:
    hashes = [k.partition(":")[2] for k in keys if k.startswith("sha256:")]
    unseen = [h for h in dict.fromkeys(hashes) if f"sha256:{h}" not in cache.works_of]
    if unseen:
        found = registry.works_by_fingerprints(unseen)
        for value in unseen:
            cache.works_of[f"sha256:{value}"] = tuple(found.get(value, ()))
    wanted = {w for k in keys for w in cache.works_of.get(k, ()) if w not in cache.inputs}
    if wanted:
        cache.inputs.update(_load(registry, sorted(wanted)))


def _inputs(registry: Registry, cache: LookupCache, key: str) -> list[_Inputs]:
    work_ids = cache.works_of.get(key)
    if work_ids is None:
        work_ids = _works(registry, key)
        cache.works_of[key] = work_ids
    missing = [w for w in work_ids if w not in cache.inputs]
    if missing:
        cache.inputs.update(_load(registry, missing))
    return [cache.inputs[w] for w in work_ids]


def _developer(registry: Registry, cache: LookupCache, ref: str) -> str:
    known = cache.developers.get(ref)
    if known is not None:
        return known
    party = find_party(registry, ref)
    if party.kind is not PartyKind.DEVELOPER:
        raise InvalidInput(f"{ref} is a {party.kind}, not a developer")
    if len(cache.developers) < MAX_CACHED:
        cache.developers[ref] = party.id  # a party never changes kind
    return party.id


def _works(registry: Registry, key: str) -> tuple[str, ...]:
    scheme, _, value = key.partition(":")
    if scheme == "sha256":
        return tuple(sorted(set(registry.find_works_by_fingerprint(value))))
    return tuple(sorted(set(registry.find_works_by_identifier("iscc", value))))


def _load(registry: Registry, work_ids: list[str]) -> dict[str, _Inputs]:
    works = registry.get_works(work_ids)
    consents = registry.consents_for_works(work_ids)
    licences = registry.licences_for_works(work_ids)
    mandates = registry.mandates_for_creators({c for w in works for c in w.creator_ids})
    return {
        w.id: _Inputs(
            w,
            consents.get(w.id, []),
            licences.get(w.id, []),
            [m for m in mandates if m.creator_ids & set(w.creator_ids)],
        )
        for w in works
    }


def _answer(
    inputs: list[_Inputs],
    developer: str,
    use: Use,
    at: datetime,
    model: str | None,
    territory: str | None,
) -> LookupAnswer:
    decided = [
        decide_work(
            i.work,
            consents=i.consents,
            licences=i.licences,
            mandates=i.mandates,
            developer_id=developer,
            use=use,
            at=at,
            model=model,
            territory=territory,
        )
        for i in inputs
    ]
    if not decided:
        return LookupAnswer("exclude", ("unknown",), (), developer, use, at)
    include = all(d.include for d in decided)
    works = tuple((d.work_id, "include" if d.include else "exclude", d.explain()) for d in decided)
    reasons = tuple(dict.fromkeys(d.code for d in decided))
    return LookupAnswer("include" if include else "exclude", reasons, works, developer, use, at)


__all__ = ["MAX_BATCH", "LookupAnswer", "LookupCache", "lookup", "lookup_many", "normalise_key"]
