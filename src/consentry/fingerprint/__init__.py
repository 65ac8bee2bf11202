"""Fingerprints of works and corpus items (pure: bytes in, fingerprints out).

``exact`` gives the SHA-256 of the bytes and of the normalised content. The
near-copy fingerprints (MinHash, perceptual hashes, Chromaprint) live in
sibling modules added by the matching layer, and join
:class:`consentry.domain.Fingerprints`.
"""

from consentry.fingerprint.exact import (
    IMAGE_NORM,
    TEXT_NORM,
    exact_fingerprints,
    normalise_text,
    sniff_kind,
)

__all__ = ["IMAGE_NORM", "TEXT_NORM", "exact_fingerprints", "normalise_text", "sniff_kind"]
