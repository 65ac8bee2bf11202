"""The pure evidence core at 1M leaves: hashing, roots, proofs, against hashlib.sha256.

Everything runs in one process; run it pinned to one core so that the ratios
against the anchor (``hashlib.sha256`` over the same bytes, measured in the
same run) mean something on a shared machine::

    taskset -c 0 .venv/bin/python bench/bench_merkle.py [--leaves 1000000]

No data set: the leaves are synthetic ~120-byte log-entry bodies built here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import time
from collections.abc import Callable
from typing import Any

from consentry.evidence.entry import Entry, EntryType
from consentry.evidence.merkle import (
    MerkleTree,
    hash_leaf,
    verify_consistency,
    verify_inclusion,
)

PROOFS = 10_000
CONSISTENCY = 2_000
ENTRIES = 100_000


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """``fn()`` and the seconds it took."""
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def bodies(n: int) -> list[bytes]:
    """Synthetic canonical-looking ``consent.set`` bodies."""
    return [
        b'{"party":"p_%06d","state":"withheld","subject":"w_%09d","type":"consent.set",'
        b'"use":"ai_training","v":1}' % (i % 5000, i)
        for i in range(n)
    ]


def tree_bench(n: int, out: dict[str, Any]) -> None:
    """Leaf hashing, the first root, proofs and their verification."""
    data = bodies(n)
    _, floor = timed(lambda: [hashlib.sha256(b).digest() for b in data])
    leaves, leaf_s = timed(lambda: [hash_leaf(b) for b in data])
    tree = MerkleTree(leaves)
    root, root_s = timed(tree.root)
    # The anchor for the root: n - 1 bare SHA-256 calls over 65 bytes.
    pair = b"\x01" + bytes(64)
    _, node_floor = timed(lambda: [hashlib.sha256(pair).digest() for _ in range(n - 1)])
    rng = random.Random(1)
    size = n - rng.randrange(1, 1000)  # a size that is not a power of two
    indices = [rng.randrange(size) for _ in range(PROOFS)]
    sized_root = tree.root(size)
    proofs, prove_s = timed(lambda: [tree.inclusion_proof(i, size) for i in indices])

    def verify_all() -> None:
        for i, proof in zip(indices, proofs, strict=True):
            verify_inclusion(i, size, leaves[i], proof, sized_root)

    _, verify_s = timed(verify_all)
    pairs = [tuple(sorted(rng.sample(range(1, n + 1), 2))) for _ in range(CONSISTENCY)]
    cproofs, cprove_s = timed(lambda: [tree.consistency_proof(a, b) for a, b in pairs])
    roots = {s: tree.root(s) for p in pairs for s in p}

    def cverify_all() -> None:
        for (a, b), proof in zip(pairs, cproofs, strict=True):
            verify_consistency(a, b, proof, roots[a], roots[b])

    _, cverify_s = timed(cverify_all)
    out.update(
        leaves=n,
        root=root.hex(),
        floor_sha256_per_s=round(n / floor),
        leaves_hashed_per_s=round(n / leaf_s),
        leaf_hash_vs_floor=round(leaf_s / floor, 2),
        first_root_s=round(root_s, 2),
        first_root_vs_n_minus_1_sha256=round(root_s / node_floor, 2),
        kept_subtree_bytes=sum(len(level) for level in tree._levels),
        inclusion_proofs_per_s=round(PROOFS / prove_s),
        inclusion_verifications_per_s=round(PROOFS / verify_s),
        consistency_proofs_per_s=round(CONSISTENCY / cprove_s),
        consistency_verifications_per_s=round(CONSISTENCY / cverify_s),
        proof_hashes=len(proofs[0]),
    )
    # Costs in units of one bare SHA-256 call of the same run: stable under CPU noise.
    per_hash = floor / n
    out.update(
        inclusion_prove_cost_in_sha256=round(prove_s / PROOFS / per_hash, 1),
        inclusion_verify_cost_in_sha256=round(verify_s / PROOFS / per_hash, 1),
        consistency_prove_cost_in_sha256=round(cprove_s / CONSISTENCY / per_hash, 1),
        consistency_verify_cost_in_sha256=round(cverify_s / CONSISTENCY / per_hash, 1),
    )


def entry_bench(out: dict[str, Any]) -> None:
    """RFC 8785 entries (rfc8785 package) against json.dumps(sort_keys=True)."""
    fields = [
        {"party": f"p_{i % 5000:06d}", "subject": f"w_{i:09d}", "use": "ai_training"}
        for i in range(ENTRIES)
    ]
    entries = [Entry(EntryType.CONSENT_SET, f) for f in fields]
    _, canon_s = timed(lambda: [e.leaf_hash() for e in entries])

    def anchor() -> None:
        for e in entries:
            hashlib.sha256(json.dumps(e.body(), sort_keys=True, separators=(",", ":")).encode())

    _, json_s = timed(anchor)
    out.update(
        entries_canonical_hashed_per_s=round(ENTRIES / canon_s),
        entries_vs_json_dumps_sorted=round(canon_s / json_s, 2),
    )


def main() -> None:
    """Run both benches and print one JSON report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    args = parser.parse_args()
    out: dict[str, Any] = {}
    tree_bench(args.leaves, out)
    entry_bench(out)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
