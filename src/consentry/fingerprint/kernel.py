"""Whether the compiled text kernels (Cython) are built and in use.

``_textkernel`` fingerprints text (fold, shingle hashes, sampling, the
``text-v1`` whitespace and case folding); ``_alignkernel`` looks an item's
shingles up in the postings and aligns the candidate works. ``pip install -e .``
and ``pip install .`` build both (setuptools + Cython, see pyproject.toml).
Without them the text path runs its numpy reference code, which gives the
same fingerprints, hashes and matches bit for bit, several times slower. CI
(``CI=true``) refuses that fallback: ``tests/unit/test_text_kernel.py`` fails
there when the kernels are missing, so a broken build cannot pass unnoticed.
``CONSENTRY_TEXT_KERNEL=0`` turns them off (to time the two paths).
"""

from __future__ import annotations

import os

BUILT: bool
try:
    from consentry.fingerprint import _alignkernel as _alignkernel
    from consentry.fingerprint import _textkernel as _textkernel

    BUILT = True
except ImportError:  # not compiled (a source checkout without `pip install -e .`)
    BUILT = False

ACTIVE = BUILT and os.environ.get("CONSENTRY_TEXT_KERNEL", "1") != "0"


def constants() -> tuple[int, int, int, int]:
    """The ``text-shingle-v1`` constants the kernel was compiled with: shingle length,
    hash base, sampling multiplier, sampling shift (``text.py`` checks them at import)."""
    k = _textkernel
    return k.SHINGLE, k.BASE, k.SELECT, k.SAMPLE_SHIFT


__all__ = ["ACTIVE", "BUILT", "constants"]
