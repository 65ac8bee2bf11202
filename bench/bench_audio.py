"""Audio fidelity and speed on the dev set of ``bench/audio_devset.py``.

Recall per transform (the right work found, any kind; how many also at the
right offset within 1 s is shown beside it, since looping game music repeats)
and false positives on unrelated audio, each with a Clopper-Pearson 95%
interval, and the range of similarity and of agreement beyond chance (kappa)
of the matches counted; speed as times real time for fingerprint + match beside ``fpcalc``
alone (the floor), measured in the same run. Pin to one core:

    taskset -c 0 .venv/bin/python bench/bench_audio.py [--devset bench/out/audio-devset]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchlib import ci
from consentry.errors import InvalidInput, UnreadableContent
from consentry.fingerprint.audio import audio_fingerprint_file, audio_refusal
from consentry.matching.audio_index import AudioIndex


def by_package(rows: list[dict[str, Any]], matched: dict[str, list[str]]) -> None:
    """False positives per source package; "hard" = a package that also gave registered works."""
    registered = {r.get("package", "?") for r in rows if r["role"] == "work"}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        if r["role"] == "negative" and r["file"] in matched:
            c = counts[r.get("package", "?")]
            c[0] += bool(matched[r["file"]])
            c[1] += 1
            c[2] += r["transform"] == "whole"
            for work in matched[r["file"]]:
                print(f"false positive: {r['file']} ({r.get('source')}) -> {work}")
    print("| package | unrelated tracks | items | matched | has works |")
    print("|---|---:|---:|---:|---|")
    for package, (k, n, tracks) in sorted(counts.items()):
        print(f"| {package} | {tracks} | {n} | {k} | {'yes' if package in registered else 'no'} |")
    for label, keep in (("hard (same package as a work)", True), ("other", False)):
        part = [c for p, c in counts.items() if (p in registered) == keep]
        k, n = sum(c[0] for c in part), sum(c[1] for c in part)
        lo, hi = ci(k, n)
        print(f"negatives {label}: {k}/{n} matched, 95% CI {lo:.4f}-{hi:.4f}")


def span(values: list[float]) -> str:
    """``lowest-highest`` of ``values``, or ``-`` when there are none."""
    return f"{min(values):.3f}-{max(values):.3f}" if values else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devset", type=Path, default=Path("bench/out/audio-devset"))
    args = ap.parse_args()
    rows = [json.loads(line) for line in (args.devset / "manifest.jsonl").open()]
    index = AudioIndex()
    for r in rows:
        if r["role"] == "work":
            try:
                index.add(r["id"], audio_fingerprint_file(Path(r["file"])))
            except InvalidInput as exc:
                print(f"work {r['id']} ({r['source']}) not indexed: {exc}")
    index.compact()
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    sims: dict[str, list[float]] = defaultdict(list)
    kappas: dict[str, list[float]] = defaultdict(list)
    refused: dict[str, int] = defaultdict(int)
    placed: dict[str, int] = defaultdict(int)
    matched: dict[str, list[str]] = {}
    t_fp = t_match = audio_s = 0.0
    for r in rows:
        if r["role"] == "work":
            continue
        key = f"{r['role']}:{r['transform']}"
        if r["role"] == "positive" and r["work"] not in index:
            continue
        t0 = time.perf_counter()
        try:
            fp = audio_fingerprint_file(Path(r["file"]))
        except UnreadableContent:
            refused[key] += 1
            hits[key][1] += 1
            continue
        t1 = time.perf_counter()
        result = index.query(fp)
        t_fp, t_match = t_fp + t1 - t0, t_match + time.perf_counter() - t1
        audio_s += fp.duration
        if audio_refusal(fp):
            refused[key] += 1
        if r["role"] == "positive":
            good = [m for m in result.matches if m.work_id == r["work"]]
            offset = float(str(good[0].evidence["work_offset_s"])) if good else -99.0
            placed[key] += abs(offset - r["work_offset_s"]) < 1.0
            hits[key][0] += bool(good)
            if good:
                sims[key].append(good[0].score)
                kappas[key].append(float(str(good[0].evidence["beyond_chance"])))
        else:
            hits[key][0] += bool(result.matches)
            matched[r["file"]] = [m.work_id for m in result.matches]
            sims[key].extend(m.score for m in result.matches)
            kappas[key].extend(float(str(m.evidence["beyond_chance"])) for m in result.matches)
        hits[key][1] += 1
    print(f"{len(index)} works; rate: share found (positives) or matched (negatives)")
    print(
        "| set | transform | n | rate | 95% CI | offset within 1 s | refused "
        "| sim min-max | beyond chance min-max |"
    )
    print("|---|---|---:|---:|---|---:|---:|---|---|")
    for key in sorted(hits):
        k, n = hits[key]
        lo, hi = ci(k, n)
        role, name = key.split(":")
        at = placed[key] if role == "positive" else "-"
        print(
            f"| {role} | {name} | {n} | {k / n:.3f} | {lo:.3f}-{hi:.3f} | {at} | {refused[key]} "
            f"| {span(sims[key])} | {span(kappas[key])} |"
        )
    neg = [hits[k] for k in hits if k.startswith("negative")]
    k, n = sum(h[0] for h in neg), sum(h[1] for h in neg)
    print(f"negatives overall: {k}/{n} matched, 95% CI {ci(k, n)[0]:.4f}-{ci(k, n)[1]:.4f}")
    by_package(rows, matched)
    print(
        f"speed: {audio_s:.0f} s of audio; fpcalc alone {audio_s / t_fp:.0f}x real time; "
        f"fpcalc + match {audio_s / (t_fp + t_match):.0f}x (match {t_match / t_fp:.1%} of fpcalc)"
    )


if __name__ == "__main__":
    main()
