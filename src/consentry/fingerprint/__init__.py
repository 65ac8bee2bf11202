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
from consentry.fingerprint.image import (
    IMAGE_SCHEME,
    ImageFingerprint,
    load_image,
    query_fingerprint,
    work_fingerprint,
)

__all__ = [
    "IMAGE_NORM",
    "IMAGE_SCHEME",
    "TEXT_NORM",
    "ImageFingerprint",
    "exact_fingerprints",
    "load_image",
    "normalise_text",
    "query_fingerprint",
    "sniff_kind",
    "work_fingerprint",
]
