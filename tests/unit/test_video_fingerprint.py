"""Video fingerprints: sampled frame segments with their times, the portable form, bad input.

Clips are made in the test (``tests/video_clips.py``): a few seconds of small
frames. Bad files (empty, garbage, truncated, a header claiming huge frames,
audio without a picture) must give ``unreadable:<why>`` and never hang.
"""

from __future__ import annotations

import io
import itertools

import av
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.errors import InvalidInput, UnreadableContent
from consentry.fingerprint import image_pdq, video
from consentry.fingerprint.near import NearFingerprint, decode_near
from consentry.fingerprint.video import (
    VIDEO_SCHEME,
    VideoFingerprint,
    decode_frames,
    encode_frames,
    frames_fingerprint,
    frames_refusal,
    sample_frames,
    soundtrack_fingerprint,
)
from video_clips import black, clip, music, scenes, wav


def test_segments_have_ordered_times_covering_the_clip() -> None:
    fp = frames_fingerprint(clip(scenes(1, 12, 4, (96, 64))))
    assert len(fp) >= 8 and fp.informative >= len(fp)
    assert fp.hashes.shape == (len(fp), 32)
    assert np.all(np.diff(fp.starts) > 0) and np.all(fp.ends >= fp.starts)
    assert 11.0 <= fp.duration <= 12.0
    assert frames_refusal(fp) is None


def test_a_work_is_sampled_twice_as_densely_as_a_query() -> None:
    data = clip(scenes(2, 12, 4, (96, 64)))
    work, query = frames_fingerprint(data), frames_fingerprint(data, work=False)
    assert work.informative >= 2 * query.informative - 1
    assert np.all(np.diff(query.starts) >= video.QUERY_STEP - 1e-6)


def test_a_still_shot_costs_a_few_segments_not_one_per_frame() -> None:
    still = next(scenes(3, 1, 1, (96, 64)))
    fp = frames_fingerprint(clip([still] * 40))  # 10 s, 20 samples; codec noise drifts a little
    assert len(fp) <= 3 and fp.informative >= 19
    assert fp.starts[0] == 0.0 and fp.ends[-1] >= 9.0


def test_black_frames_are_refused_not_hashed() -> None:
    fp = frames_fingerprint(clip(black(8, 4, (96, 64))))
    assert len(fp) == 0 and fp.informative == 0
    assert frames_refusal(fp) == "low_information: 0 informative frames"


def test_sampling_is_bounded_by_the_sample_count() -> None:
    data = clip(scenes(4, 20, 4, (96, 64)))
    got = list(sample_frames(data, step=0.25, max_samples=7, pixel_budget=10**9))
    assert len(got) == 7
    times = [t for t, _ in got]
    assert times == sorted(times) and max(p.shape[1] for _, p in got) <= video.FRAME_SIZE


def test_after_the_pixel_budget_only_keyframes_are_decoded() -> None:
    data = clip(scenes(5, 20, 4, (96, 64)), gop=20)  # a keyframe every 5 s
    budget = 96 * 64 * 8  # 8 frames, then keyframes only
    times = [t for t, _ in sample_frames(data, step=0.5, max_samples=100, pixel_budget=budget)]
    assert times[:4] == [0.0, 0.5, 1.0, 1.5]
    with av.open(io.BytesIO(data)) as box:
        keys = {
            float(p.pts * p.time_base)
            for p in box.demux(video=0)
            if p.is_keyframe and p.pts is not None
        }
    later = [t for t in times if t > 2.0]
    assert later and set(later) <= keys and len(keys) < 20


def test_decoding_stops_after_the_decoded_frame_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(video, "MAX_DECODED_FRAMES", 10)  # 2.5 s of a 4 fps clip
    fp = frames_fingerprint(clip(scenes(12, 20, 4, (96, 64))))
    assert fp.duration <= 2.25 and fp.informative <= 5


@given(
    st.lists(st.tuples(st.floats(0, 1000), st.floats(0, 30)), min_size=1, max_size=30),
    st.integers(0, 2**32 - 1),
)
@settings(max_examples=50, deadline=None)
def test_the_portable_form_round_trips(spans: list[tuple[float, float]], seed: int) -> None:
    starts = np.sort(np.array([s for s, _ in spans], np.float32))
    ends = starts + np.array([d for _, d in spans], np.float32)
    hashes = np.random.default_rng(seed).integers(0, 256, (len(spans), 32), dtype=np.uint8)
    fp = VideoFingerprint(hashes, starts, ends, float(ends.max()), len(spans))
    back = decode_frames(encode_frames(fp))
    assert np.array_equal(back.hashes, fp.hashes) and np.array_equal(back.starts, fp.starts)
    assert np.array_equal(back.ends, fp.ends) and back.duration == pytest.approx(fp.duration)
    assert isinstance(
        decode_near(NearFingerprint(VIDEO_SCHEME, encode_frames(fp))), VideoFingerprint
    )


def test_malformed_portable_forms_are_refused() -> None:
    fp = frames_fingerprint(clip(scenes(6, 6, 4, (96, 64))))
    data = encode_frames(fp)
    for bad in (data[:5], data[:-1], data + b"\0"):
        with pytest.raises(InvalidInput, match=VIDEO_SCHEME):
            decode_frames(bad)
    swapped = VideoFingerprint(fp.hashes, fp.starts[::-1].copy(), fp.ends[::-1].copy(), 6.0, 3)
    with pytest.raises(InvalidInput, match="out of order"):
        decode_frames(encode_frames(swapped))


def _huge_header(data: bytes) -> bytes:
    """Matroska PixelWidth/PixelHeight (2-byte values) of raw video rewritten to 16,000 each.

    256 million pixels a frame: under FFmpeg's own limit, over consentry's.
    """
    out = bytearray(data)
    for element in (b"\xb0\x82", b"\xba\x82"):
        at = out.find(element)
        assert at > 0
        out[at + 2 : at + 4] = (16000).to_bytes(2, "big")
    return bytes(out)


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda: b"", "unreadable:empty"),
        (lambda: b"definitely not a video" * 50, "unreadable:cannot_decode"),
        (lambda: wav(music(1, 5)), "unreadable:no_video"),
        (
            lambda: _huge_header(
                clip(scenes(7, 2, 4, (320, 256)), size=(320, 256), codec="rawvideo")
            ),
            "unreadable:too_large",
        ),
        (lambda: clip(scenes(8, 4, 4, (96, 64)), container="mp4")[:2000], "unreadable:"),
    ],
    ids=["empty", "garbage", "audio only", "huge frames in the header", "truncated mp4"],
)
def test_bad_video_is_unreadable(make, why: str) -> None:
    with pytest.raises(UnreadableContent, match=why):
        frames_fingerprint(make())


def test_a_cut_matroska_file_gives_the_frames_before_the_cut() -> None:
    data = clip(scenes(9, 12, 4, (96, 64)))
    whole, cut = frames_fingerprint(data), frames_fingerprint(data[: len(data) // 2])
    assert 0 < cut.duration < whole.duration
    n = len(cut) - 1  # the last segment may end early
    assert np.array_equal(cut.hashes[:n], whole.hashes[:n])


def test_a_silent_video_has_no_soundtrack() -> None:
    with pytest.raises(UnreadableContent, match="unreadable:no_audio"):
        soundtrack_fingerprint(clip(scenes(10, 4, 4, (96, 64))))


def test_times_are_sorted_and_segments_never_overlap() -> None:
    fp = frames_fingerprint(clip(scenes(11, 10, 4, (96, 64), scene_s=1.5)))
    for (s1, e1), (s2, _) in itertools.pairwise(zip(fp.starts, fp.ends, strict=True)):
        assert s1 <= e1 < s2


@given(st.integers(0, 20), st.integers(0, 20), st.integers(0, 30), st.integers(0, 30))
@settings(max_examples=60, deadline=None)
def test_black_bars_are_cut_and_the_picture_kept(
    top: int, bottom: int, left: int, right: int
) -> None:
    picture = next(scenes(13, 1, 1, (60, 40)))
    boxed = np.pad(picture, ((top, bottom), (left, right), (0, 0)))
    trimmed = video.trim_bars(boxed)
    if boxed.shape[0] <= 40 * 2 and boxed.shape[1] <= 60 * 2:
        assert np.array_equal(trimmed, picture)
    else:  # bars wider than the picture: a dark frame, left whole
        assert trimmed.shape == boxed.shape
    assert np.array_equal(video.trim_bars(trimmed), trimmed)


def _pdq(pixels: np.ndarray) -> bytes:
    return video.frame_hash(np.ascontiguousarray(pixels))[0].tobytes()


def _sampled(data: bytes, step: float) -> dict[float, np.ndarray]:
    frames = sample_frames(data, step=step, max_samples=900, pixel_budget=10**12)
    return {round(t, 3): video.trim_bars(pixels) for t, pixels in frames}


def test_a_query_segment_holds_pdqhash_of_its_first_frame_shown_and_mirrored() -> None:
    data = clip(scenes(14, 12, 4, (96, 64)))
    fp = frames_fingerprint(data, work=False)
    frames = _sampled(data, video.QUERY_STEP)
    assert fp.mirrored is not None and fp.mirrored.shape == fp.hashes.shape
    for start, shown, flipped in zip(fp.starts, fp.hashes, fp.mirrored, strict=True):
        pixels = frames[round(float(start), 3)]
        assert shown.tobytes() == _pdq(pixels)
        assert flipped.tobytes() == _pdq(pixels[:, ::-1])
        assert flipped.tobytes() != shown.tobytes()


def test_a_work_is_hashed_with_pdqhash_unmirrored_and_stored_as_before() -> None:
    data = clip(scenes(15, 8, 4, (96, 64)))
    fp = frames_fingerprint(data)
    frames = _sampled(data, video.WORK_STEP)
    assert fp.mirrored is None
    assert [h.tobytes() for h in fp.hashes] == [_pdq(frames[round(float(t), 3)]) for t in fp.starts]
    assert decode_frames(encode_frames(fp)).mirrored is None  # the mirror is never stored


@given(st.integers(0, 2**32 - 1), st.integers(8, 300), st.integers(8, 300))
@settings(max_examples=40, deadline=None)
def test_the_mirror_buffer_is_the_buffer_of_the_flipped_pixels(seed: int, w: int, h: int) -> None:
    # Buffers, not bits: on degenerate pictures (blocks on PDQ's 64-cell grid) many DCT
    # coefficients tie at the median, and which side a tie falls on is float noise.
    pixels = np.random.default_rng(seed).integers(0, 256, (h, w), dtype=np.uint8)
    luma = pixels.astype(np.float32)
    shown, flipped = image_pdq.mirror_buffers(luma)
    assert np.allclose(shown, image_pdq.buffer(luma), atol=1e-3)
    assert np.allclose(flipped, image_pdq.buffer(np.ascontiguousarray(luma[:, ::-1])), atol=1e-3)
    assert np.allclose(image_pdq.dihedral_buffers(luma)[:2], [shown, flipped], atol=1e-3)
