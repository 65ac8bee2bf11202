"""Matching: an index of registered works answering which of them an item contains.

Every matcher answers with :class:`MatchResult` holding :class:`Match` values
(work id, kind ``exact``/``near``/``excerpt``, score, evidence). Text:
:class:`TextIndex`, saved and loaded with :func:`save_text_index` and
:func:`load_text_index`. Images: :class:`ImageIndex`, saved and loaded with
:func:`save_image_index` and :func:`load_image_index`. Pure core: no
database, CLI or web imports.
"""

from consentry.matching.image_index import ImageIndex, ImageThresholds
from consentry.matching.image_store import load_image_index, save_image_index
from consentry.matching.text_index import TextIndex, TextThresholds
from consentry.matching.text_store import load_text_index, save_text_index
from consentry.matching.types import Match, MatchKind, MatchResult

__all__ = [
    "ImageIndex",
    "ImageThresholds",
    "Match",
    "MatchKind",
    "MatchResult",
    "TextIndex",
    "TextThresholds",
    "load_image_index",
    "load_text_index",
    "save_image_index",
    "save_text_index",
]
