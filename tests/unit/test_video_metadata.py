"""A video whose container tags are not UTF-8 is fingerprinted, not refused.

Old AVI/Matroska files often carry Latin-1 or CP-1252 titles; PyAV decodes
tags strictly by default, and a ``UnicodeDecodeError`` (a ``ValueError``)
made such a file ``unreadable:cannot_decode``: a copy could evade matching
by one bad tag. Found on real Ogg files of the audio dev set (Kenta Cho's
game music, bench/AUDIO.md).
"""

from __future__ import annotations

import io

import av
import numpy as np

from consentry.fingerprint.video import frames_fingerprint
from video_clips import scenes

MARK = b"QQQQQQQQ"


def _tagged(title: bytes) -> bytes:
    """A small Matroska clip whose title tag holds exactly ``title`` (8 bytes)."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="matroska") as box:
        box.metadata["title"] = MARK.decode()
        vs = box.add_stream("mpeg4", rate=4)
        vs.width, vs.height, vs.pix_fmt = 96, 64, "yuv420p"
        for rgb in scenes(21, 8, 4, (96, 64)):
            box.mux(vs.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        box.mux(vs.encode(None))
    data = out.getvalue()
    assert data.count(MARK) == 1
    return data.replace(MARK, title)


def test_a_non_utf8_title_gives_the_same_fingerprint_as_a_clean_one() -> None:
    clean = frames_fingerprint(_tagged(MARK))
    latin1 = frames_fingerprint(_tagged("Caf\xe9 \xe0 !".encode("latin-1")))
    assert len(clean) > 0
    assert np.array_equal(clean.hashes, latin1.hashes)
    assert np.allclose(clean.starts, latin1.starts)
    assert clean.duration == latin1.duration
