"""Search one video item: its frames against image and video works, its soundtrack against
audio and video works, merged into one answer per work.

- Frames (``video-frames-v1``, one a second) go to the :class:`VideoIndex`
  (aligned in time) and, one segment at a time, to the :class:`ImageIndex`:
  a registered photo shown in the video is an ``excerpt`` of the item, with
  the item times it is shown at.
- The soundtrack (Chromaprint) goes to the :class:`AudioIndex`, which holds
  audio works and the soundtracks of video works alike.

A work found by both paths is one match: the stronger kind, the higher score,
and ``evidence`` with a ``frames`` and a ``soundtrack`` part. A video whose
picture and sound both carry too little (black, silent, too short) is refused
(``low_information: ...``) rather than matched; one with no audio stream is
searched by its frames, and an audio-only container (an ``.m4a``) by its sound.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from consentry.errors import UnreadableContent
from consentry.fingerprint.audio import audio_refusal
from consentry.fingerprint.image import IMAGE_SCHEME, ImageFingerprint
from consentry.fingerprint.video import (
    Source,
    VideoFingerprint,
    frames_fingerprint,
    frames_refusal,
    has_audio,
    soundtrack_fingerprint,
)
from consentry.matching.audio_index import AudioIndex
from consentry.matching.image_index import ImageIndex
from consentry.matching.types import Match, MatchKind, MatchResult, strongest_per_work
from consentry.matching.video_index import VideoIndex

_STRENGTH = {MatchKind.EXACT: 0, MatchKind.NEAR: 1, MatchKind.EXCERPT: 2}
_QUALITY = 100


def search_video(
    source: Source, videos: VideoIndex, images: ImageIndex, audio: AudioIndex
) -> MatchResult:
    """Every registered work found in the video ``source``, or why it was not searched."""
    found: list[tuple[str, Match]] = []
    refusals: list[str] = []
    frames = _frames(source)
    if frames is not None:
        why = frames_refusal(frames)
        if why is None:
            found += [("frames", m) for m in videos.query(frames).matches]
            found += [("frames", m) for m in image_matches(images, frames)]
        else:
            refusals.append(f"picture: {_reason(why)}")
    if has_audio(source):
        try:
            sound = soundtrack_fingerprint(source)
        except UnreadableContent as exc:
            refusals.append(f"soundtrack: {exc.message.removeprefix('unreadable:')}")
        else:
            why = audio_refusal(sound)
            if why is None:
                found += [
                    ("soundtrack", _soundtrack(m, videos)) for m in audio.query(sound).matches
                ]
            else:
                refusals.append(f"soundtrack: {_reason(why)}")
    else:
        refusals.append("soundtrack: no_audio")
    searched = (frames is not None and frames_refusal(frames) is None) or not any(
        r.startswith("soundtrack") for r in refusals
    )
    if not searched:
        return MatchResult(refused="low_information: " + "; ".join(refusals))
    return MatchResult(merge(found))


def _reason(why: str) -> str:
    return why.removeprefix("low_information: ")


def _frames(source: Source) -> VideoFingerprint | None:
    """The item's frame fingerprint; None for a container without a video stream."""
    try:
        return frames_fingerprint(source, work=False)
    except UnreadableContent as exc:
        if exc.message.startswith("unreadable:no_video"):
            return None
        raise


def _soundtrack(match: Match, videos: VideoIndex) -> Match:
    """A soundtrack match; for a video work, equal sound alone does not make an exact copy."""
    if match.kind is MatchKind.EXACT and match.work_id in videos:
        return Match(match.work_id, MatchKind.NEAR, match.score, match.evidence)
    return match


def image_matches(images: ImageIndex, fp: VideoFingerprint) -> list[Match]:
    """Registered images shown in the video: an ``excerpt`` each, with the times shown."""
    times: dict[str, list[float]] = {}
    best: dict[str, Match] = {}
    for i in range(len(fp)):
        one = ImageFingerprint(IMAGE_SCHEME, fp.hashes[i : i + 1], _QUALITY)
        for m in images.query(one).matches:
            times.setdefault(m.work_id, []).append(round(float(fp.starts[i]), 2))
            if m.work_id not in best or m.score > best[m.work_id].score:
                best[m.work_id] = m
    return [
        Match(w, MatchKind.EXCERPT, m.score, {**m.evidence, "item_times_s": times[w][:10]})
        for w, m in best.items()
    ]


def merge(found: Iterable[tuple[str, Match]]) -> tuple[Match, ...]:
    """One match per work: the stronger kind, the higher score, each path's evidence."""
    parts: dict[str, dict[str, Mapping[str, object]]] = {}
    best: list[Match] = []
    for path, m in found:
        parts.setdefault(m.work_id, {})[path] = m.evidence
        best.append(m)
    merged = [
        Match(m.work_id, m.kind, m.score, dict(parts[m.work_id])) for m in strongest_per_work(best)
    ]
    return tuple(sorted(merged, key=lambda m: (_STRENGTH[m.kind], -m.score, m.work_id)))
