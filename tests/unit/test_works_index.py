"""The registry's match index: added in registration order, saved, loaded, refused when stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consentry.errors import InvalidInput, NotFound
from consentry.fingerprint.near import NearFingerprint, encode_text
from consentry.fingerprint.text import text_fingerprint
from consentry.matching import MatchKind
from consentry.matching.works_index import IndexState, WorksIndex

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples" / "texts"


def _near(name: str) -> tuple[NearFingerprint, str]:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    fp = text_fingerprint(text)
    assert fp.content_sha256 is not None
    return encode_text(fp), fp.content_sha256


def _index() -> WorksIndex:
    index = WorksIndex()
    for seq, (work_id, name) in enumerate([("ruth", "ruth.txt"), ("jonah", "jonah.txt")], 1):
        near, digest = _near(name)
        index.add(seq, work_id, near, digest)
    return index


def test_an_excerpt_is_found_after_save_and_load(tmp_path: Path) -> None:
    _index().save(tmp_path / "idx")
    loaded = WorksIndex.load(tmp_path / "idx")
    assert loaded.state == IndexState(2, 2, "jonah")
    words = (SAMPLES / "jonah.txt").read_text(encoding="utf-8").split()
    excerpt = "A preface about something else entirely. " + " ".join(words[100:400])
    result = loaded.query_text(excerpt)
    assert [(m.work_id, m.kind) for m in result.matches] == [("jonah", MatchKind.EXCERPT)]
    whole = loaded.query_text((SAMPLES / "ruth.txt").read_text(encoding="utf-8"))
    assert [(m.work_id, m.kind) for m in whole.matches] == [("ruth", MatchKind.EXACT)]


def test_fingerprints_must_arrive_in_registration_order() -> None:
    index = _index()
    near, digest = _near("ruth.txt")
    with pytest.raises(InvalidInput, match="not newer"):
        index.add(2, "again", near, digest)
    assert len(index) == 2


def test_a_scheme_the_index_cannot_hold_is_refused() -> None:
    with pytest.raises(InvalidInput, match="cannot hold"):
        WorksIndex().add(1, "w", NearFingerprint("image-pdq-v9", b"\0" * 32))


def test_missing_and_foreign_folders_are_told_apart(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        WorksIndex.load(tmp_path / "nothing")
    _index().save(tmp_path / "idx")
    state = tmp_path / "idx" / "state.json"
    state.write_text(json.dumps({"format": "other", "version": 1}), encoding="utf-8")
    with pytest.raises(InvalidInput, match="rebuild"):
        WorksIndex.load(tmp_path / "idx")
    state.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="unreadable"):
        WorksIndex.load(tmp_path / "idx")
