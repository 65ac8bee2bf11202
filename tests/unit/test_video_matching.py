"""Video matching: frames aligned in time against video works, frames against image works,
the soundtrack against audio and video works, merged; refusals for black, silent clips.

The soundtrack tests need ``fpcalc`` (Debian's libchromaprint-tools): skipped
when it is missing, except under ``CI=true``.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from consentry.errors import InvalidInput
from consentry.fingerprint import audio
from consentry.fingerprint.image import work_fingerprint
from consentry.fingerprint.near import NearFingerprint, near_video
from consentry.fingerprint.video import VIDEO_SCHEME, frames_fingerprint
from consentry.matching.audio_index import AudioIndex
from consentry.matching.image_index import ImageIndex
from consentry.matching.types import MatchKind
from consentry.matching.video_index import VideoIndex
from consentry.matching.video_query import search_video
from consentry.matching.works_index import WorksIndex
from video_clips import RATE, black, clip, music, scenes, wav

NEEDS_FPCALC = pytest.mark.skipif(
    audio.fpcalc_path() is None and os.environ.get("CI") != "true",
    reason="fpcalc missing: apt-get install libchromaprint-tools",
)
SIZE = (96, 64)


def film(seed: int, seconds: float, fps: int = 4) -> list[np.ndarray]:
    return list(scenes(seed, seconds, fps, SIZE))


def indexes(*works: tuple[str, bytes]) -> VideoIndex:
    index = VideoIndex()
    for work_id, data in works:
        index.add(work_id, frames_fingerprint(data))
    index.compact()
    return index


def search(data: bytes, videos: VideoIndex, images: ImageIndex | None = None):
    return search_video(data, videos, images or ImageIndex(), AudioIndex())


def test_a_reencoded_resized_copy_is_a_near_match_at_offset_zero() -> None:
    videos = indexes(("w", clip(film(1, 24))), ("other", clip(film(2, 24))))
    copy = clip(film(1, 24), size=(64, 48), codec="libx264", container="mp4", gop=12)
    (m,) = search(copy, videos).matches
    assert m.work_id == "w" and m.kind is MatchKind.NEAR and m.score > 0.8
    frames = m.evidence["frames"]
    assert frames["offset_s"] == 0.0 and frames["frames"] >= 18
    assert frames["item_end_s"] >= 22.0


def test_an_excerpt_of_35_seconds_is_found_where_it_was_cut() -> None:
    work = film(3, 60, fps=2)
    videos = indexes(("w", clip(work, fps=2)))
    excerpt = clip(work[40:110], fps=2, codec="libx264", container="mp4", gop=10)  # 20 s-55 s
    (m,) = search(excerpt, videos).matches
    assert m.work_id == "w" and m.kind is MatchKind.EXCERPT
    frames = m.evidence["frames"]
    assert abs(frames["offset_s"] - 20.0) <= 1.0
    assert frames["item_end_s"] - frames["item_start_s"] >= 30.0


def test_a_short_excerpt_under_the_threshold_is_not_claimed() -> None:
    work = film(4, 30)
    videos = indexes(("w", clip(work)))
    assert search(clip(work[20:44]), videos).matches == ()  # 6 s


def test_unrelated_videos_match_nothing() -> None:
    videos = indexes(*((f"w{i}", clip(film(10 + i, 20))) for i in range(4)))
    for seed in range(20, 24):
        result = search(clip(film(seed, 20)), videos)
        assert result.searched and result.matches == ()


def test_shuffled_scenes_do_not_align_into_a_match() -> None:
    work = film(5, 24)
    videos = indexes(("w", clip(work)))
    shuffled = [f for i in (6, 0, 4, 2, 7, 1, 5, 3) for f in work[i * 12 : (i + 1) * 12]]
    scattered = search(clip(shuffled), videos).matches
    assert all(m.evidence["frames"]["frames"] <= 12 for m in scattered)  # one scene at most
    assert all(m.kind is not MatchKind.NEAR for m in scattered)


def test_a_black_silent_video_is_refused() -> None:
    result = search(clip(black(10, 4, SIZE), sound=np.zeros(10 * RATE)), indexes())
    assert not result.searched
    assert result.refused is not None and result.refused.startswith("low_information: picture")


def test_a_black_video_without_sound_is_refused_even_with_works_registered() -> None:
    videos = indexes(("w", clip(film(6, 12))))
    result = search(clip(black(12, 4, SIZE)), videos)
    assert result.refused == "low_information: picture: 0 informative frames; soundtrack: no_audio"


def test_a_registered_photo_shown_in_a_video_is_an_excerpt_with_its_times() -> None:
    photo = next(scenes(7, 1, 1, (192, 128)))
    out = io.BytesIO()
    Image.fromarray(photo).save(out, "PNG")
    images = ImageIndex()
    images.add("photo", work_fingerprint(out.getvalue()))
    images.compact()
    shown = film(8, 8) + [np.asarray(Image.fromarray(photo).resize(SIZE))] * 24 + film(9, 8)
    (m,) = search(clip(shown), indexes(), images).matches
    assert m.work_id == "photo" and m.kind is MatchKind.EXCERPT
    times = m.evidence["frames"]["item_times_s"]
    assert times and all(8.0 <= t <= 14.0 for t in times)


def test_a_video_work_registers_with_both_parts_and_survives_save_and_load(tmp_path: Path) -> None:
    data = clip(film(11, 16))
    near = near_video(data)
    assert set(near) == {VIDEO_SCHEME}  # silent: the picture only
    index = WorksIndex()
    index.add(1, "w", NearFingerprint(VIDEO_SCHEME, near[VIDEO_SCHEME]))
    index.save(tmp_path / "index")
    loaded = WorksIndex.load(tmp_path / "index")
    copy = clip(film(11, 16), codec="libx264", container="mp4")
    assert [m.work_id for m in loaded.query_video(copy).matches] == ["w"]
    assert loaded.video.remove("w") and loaded.query_video(copy).matches == ()


def test_a_black_video_work_is_not_indexed() -> None:
    fp = frames_fingerprint(clip(black(8, 4, SIZE)))
    with pytest.raises(InvalidInput, match="low_information"):
        VideoIndex().add("dark", fp)
    assert near_video(clip(black(8, 4, SIZE))) == {}


@NEEDS_FPCALC
def test_the_soundtrack_finds_audio_works_and_the_picture_video_works_merged() -> None:
    song, pictures = music(4, 30), film(12, 30)
    works = WorksIndex()
    for seq, (work_id, near) in enumerate(
        [
            ("song", {audio.AUDIO_SCHEME: _audio_near(wav(song))}),
            ("film", near_video(clip(pictures, sound=song))),
        ],
        start=1,
    ):
        for n, (scheme, data) in enumerate(sorted(near.items())):
            works.add(seq * 10 + n, work_id, NearFingerprint(scheme, data))
    item = clip(pictures, size=(64, 48), sound=song, codec="libx264", container="mp4")
    found = {m.work_id: m for m in works.query_video(item).matches}
    assert set(found) == {"song", "film"}
    assert set(found["film"].evidence) == {"frames", "soundtrack"}
    assert found["film"].kind is MatchKind.NEAR
    assert set(found["song"].evidence) == {"soundtrack"}


@NEEDS_FPCALC
def test_a_black_video_with_music_is_searched_by_its_sound() -> None:
    song = music(5, 25)
    index = AudioIndex()
    index.add("song", audio.audio_fingerprint(wav(song)))
    index.compact()
    result = search_video(clip(black(25, 4, SIZE), sound=song), VideoIndex(), ImageIndex(), index)
    assert [m.work_id for m in result.matches] == ["song"]


def _audio_near(data: bytes) -> bytes:
    from consentry.fingerprint.near import encode_audio

    return encode_audio(audio.audio_fingerprint(data)).data


def test_a_letterboxed_or_pillarboxed_copy_is_a_near_match() -> None:
    work = film(13, 24)
    videos = indexes(("w", clip(work)))
    for size, pad in (
        ((96, 96), ((16, 16), (0, 0), (0, 0))),
        ((128, 64), ((0, 0), (16, 16), (0, 0))),
    ):
        boxed = [np.pad(f, pad) for f in work]
        (m,) = search(clip(boxed, size=size, codec="libx264", container="mp4"), videos).matches
        assert m.work_id == "w" and m.kind is MatchKind.NEAR


def test_flat_frames_at_the_end_do_not_turn_a_copy_into_an_excerpt() -> None:
    work = film(14, 20) + list(black(10, 4, SIZE))
    videos = indexes(("w", clip(work)))
    (m,) = search(clip(work, size=(64, 48), codec="libx264", container="mp4"), videos).matches
    assert m.kind is MatchKind.NEAR and set(m.evidence) == {"frames"}


def mirror(frames: list[np.ndarray]) -> list[np.ndarray]:
    return [np.ascontiguousarray(f[:, ::-1]) for f in frames]


def test_a_mirrored_copy_is_found_by_its_picture_and_said_to_be_mirrored() -> None:
    work = film(15, 24)
    videos = indexes(("w", clip(work)), ("other", clip(film(16, 24))))
    copy = clip(mirror(work), size=(64, 48), codec="libx264", container="mp4", gop=12)
    (m,) = search(copy, videos).matches
    assert m.work_id == "w" and m.kind is MatchKind.NEAR
    frames = m.evidence["frames"]
    assert frames["mirrored"] is True and frames["offset_s"] == 0.0 and frames["frames"] >= 18
    (plain,) = search(clip(work, codec="libx264", container="mp4"), videos).matches
    assert plain.work_id == "w" and plain.evidence["frames"]["mirrored"] is False


def test_without_its_mirrored_hashes_the_mirrored_copy_is_not_found() -> None:
    work = film(17, 24)
    videos = indexes(("w", clip(work)))
    fp = frames_fingerprint(clip(mirror(work)), work=False)
    assert fp.mirrored is not None and videos.query(fp).matches
    assert videos.query(replace(fp, mirrored=None)).matches == ()  # the shown orientation alone


def test_a_mirrored_excerpt_is_found_where_it_was_cut() -> None:
    work = film(18, 60, fps=2)
    videos = indexes(("w", clip(work, fps=2)))
    excerpt = clip(mirror(work[40:110]), fps=2, codec="libx264", container="mp4", gop=10)
    (m,) = search(excerpt, videos).matches
    assert m.kind is MatchKind.EXCERPT and m.evidence["frames"]["mirrored"] is True
    assert abs(m.evidence["frames"]["offset_s"] - 20.0) <= 1.0


def test_unrelated_mirrored_videos_match_nothing() -> None:
    videos = indexes(*((f"w{i}", clip(film(30 + i, 20))) for i in range(4)))
    for seed in range(40, 44):
        result = search(clip(mirror(film(seed, 20))), videos)
        assert result.searched and result.matches == ()
