"""The match index of a registry: one index per fingerprint scheme, and how far it has read.

The registry stores every work's near-copy fingerprints in registration order
(``seq``). A :class:`WorksIndex` holds the per-scheme indexes built from them
and :class:`IndexState`, the ``seq`` of the last fingerprint it holds and how
many it holds, so that opening it can catch up on what was registered since
instead of rebuilding, and can tell when it no longer matches the registry
(fewer fingerprints than it holds: something was removed) and must be rebuilt.

Saved as a folder: ``state.json`` and one sub-folder per scheme (memory-mapped
on load). The folder is written under a temporary name and then renamed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from consentry.errors import InvalidInput, NotFound
from consentry.fingerprint.audio import AUDIO_SCHEME, audio_fingerprint
from consentry.fingerprint.image import IMAGE_SCHEME, query_fingerprint
from consentry.fingerprint.near import NearFingerprint, decode_audio, decode_image, decode_text
from consentry.fingerprint.text import TEXT_SHINGLE_SCHEME, TextFingerprint
from consentry.fingerprint.video import VIDEO_SCHEME, Source, decode_frames
from consentry.matching.audio_index import AudioIndex
from consentry.matching.audio_store import load_audio_index, save_audio_index
from consentry.matching.folders import staging_folder, swap_in
from consentry.matching.image_index import ImageIndex
from consentry.matching.image_store import load_image_index, save_image_index
from consentry.matching.text_index import TextIndex, TextThresholds
from consentry.matching.text_store import load_text_index, save_text_index
from consentry.matching.types import MatchResult
from consentry.matching.video_index import VideoIndex
from consentry.matching.video_query import search_video
from consentry.matching.video_store import load_video_index, save_video_index

FORMAT = "consentry-works-index"
VERSION = 5


@dataclass(frozen=True, slots=True)
class IndexState:
    """How far the index has read the registry's fingerprints.

    ``last_seq`` and ``last_work_id`` name the newest fingerprint it holds, so
    that a registry replaced by another (same counts, other works) is noticed.
    """

    last_seq: int = 0
    count: int = 0
    last_work_id: str | None = None


class WorksIndex:
    """Every registered work's near-copy fingerprints, searchable by content."""

    def __init__(
        self,
        text: TextIndex | None = None,
        state: IndexState | None = None,
        image: ImageIndex | None = None,
        audio: AudioIndex | None = None,
        video: VideoIndex | None = None,
    ) -> None:
        self.text = text if text is not None else TextIndex()
        self.image = image if image is not None else ImageIndex()
        self.audio = audio if audio is not None else AudioIndex()
        self.video = video if video is not None else VideoIndex()
        self.state = state or IndexState()

    def __len__(self) -> int:
        return len(self.text) + len(self.image) + len(self.audio) + len(self.video)

    def add(
        self, seq: int, work_id: str, near: NearFingerprint, content_sha256: str | None = None
    ) -> None:
        """Add one stored fingerprint; ``seq`` must be newer than every one already held."""
        if seq <= self.state.last_seq:
            raise InvalidInput(
                f"fingerprint {seq} is not newer than the index ({self.state.last_seq})",
                hint="rebuild the index from the registry",
            )
        if near.scheme == TEXT_SHINGLE_SCHEME:
            self.text.add(work_id, decode_text(near.data, content_sha256))
        elif near.scheme == IMAGE_SCHEME:
            self.image.add(work_id, decode_image(near.data))
        elif near.scheme == AUDIO_SCHEME:
            self.audio.add(work_id, decode_audio(near.data))
        elif near.scheme == VIDEO_SCHEME:
            self.video.add(work_id, decode_frames(near.data))
        else:
            raise InvalidInput(
                f"work {work_id!r} has a {near.scheme!r} fingerprint, which this index cannot hold",
                hint="upgrade consentry, then rebuild the index",
            )
        self.state = IndexState(seq, self.state.count + 1, work_id)

    def query_text(self, text: str, fp: TextFingerprint | None = None) -> MatchResult:
        """The registered texts found in ``text`` (see :meth:`TextIndex.query`)."""
        return self.text.query(text, fp)

    def query_image(self, data: bytes) -> MatchResult:
        """The registered images found in the image ``data`` (UnreadableContent if undecodable)."""
        return self.image.query(query_fingerprint(data))

    def query_audio(self, data: bytes) -> MatchResult:
        """The registered recordings found in the audio ``data`` (needs ``fpcalc``)."""
        return self.audio.query(audio_fingerprint(data))

    def query_video(self, source: Source) -> MatchResult:
        """The registered videos, images and recordings in a video (:func:`search_video`)."""
        return search_video(source, self.video, self.image, self.audio)

    def save(self, path: str | Path) -> Path:
        """Write the index to the folder ``path``, replacing it whole."""
        target = Path(path)
        tmp = staging_folder(target)
        save_text_index(self.text, tmp / "text")
        save_image_index(self.image, tmp / "image")
        save_audio_index(self.audio, tmp / "audio")
        save_video_index(self.video, tmp / "video")
        state = {
            "format": FORMAT,
            "version": VERSION,
            "last_seq": self.state.last_seq,
            "count": self.state.count,
            "last_work_id": self.state.last_work_id,
        }
        (tmp / "state.json").write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        return swap_in(tmp, target)

    @classmethod
    def load(cls, path: str | Path, *, thresholds: TextThresholds | None = None) -> WorksIndex:
        """Open a folder written by :meth:`save`; NotFound or InvalidInput when unusable."""
        folder = Path(path)
        try:
            raw = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise NotFound(f"no match index at {folder}", hint="it is built on first use") from exc
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"the match index at {folder} is unreadable: {exc}") from exc
        if (raw.get("format"), raw.get("version")) != (FORMAT, VERSION):
            raise InvalidInput(
                f"the match index at {folder} is {raw.get('format')} v{raw.get('version')}",
                hint="rebuild the index from the registry",
            )
        text = load_text_index(folder / "text", thresholds=thresholds)
        image = load_image_index(folder / "image")
        audio = load_audio_index(folder / "audio")
        video = load_video_index(folder / "video")
        state = IndexState(int(raw["last_seq"]), int(raw["count"]), raw.get("last_work_id"))
        return cls(text, state, image, audio, video)
