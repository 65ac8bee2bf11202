"""Matching: an index of registered works answering which of them an item contains.

Every matcher answers with :class:`MatchResult` holding :class:`Match` values
(work id, kind ``exact``/``near``/``excerpt``, score, evidence). Text:
:class:`TextIndex`, saved and loaded with :func:`save_text_index` and
:func:`load_text_index`. Pure core: no database, CLI or web imports.
"""

from consentry.matching.text_index import TextIndex, TextThresholds
from consentry.matching.text_store import load_text_index, save_text_index
from consentry.matching.types import Match, MatchKind, MatchResult

__all__ = [
    "Match",
    "MatchKind",
    "MatchResult",
    "TextIndex",
    "TextThresholds",
    "load_text_index",
    "save_text_index",
]
