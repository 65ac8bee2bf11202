"""End-to-end scan throughput: consentry scan vs the I/O floor and MinHash pipelines.

Builds (seeded, into ``bench/out/scan-corpus``) a folder of text documents of
about 50 KB each from real public-domain and openly licensed text (the King
James Bible from Debian's ``bible-kjv``, the Python 3.11 documentation
sources from Debian's ``python3-doc``): each document is a run of random
paragraphs, and one in five quotes a 300-1,000-word excerpt of one of 150
registered works (KJV chapters). Then, in the same run, on the same files,
with a warm page cache:

* ``sha256``: read every file in 1 MiB blocks and hash it (hashlib), N processes:
  the I/O floor; no scanner can be faster;
* ``datasketch``: word 5-gram MinHash (128 permutations) of every file and an
  LSH query against the registered works, one process (datatrove's defaults);
* ``rensa``: the same with rensa's Rust MinHash, one process;
* ``consentry scan``: the real command (folder reader, text-v1 and
  content hashes, near-copy and excerpt matching, the decision table,
  manifest JSONL+Parquet, cleared copy), 1 and 2 worker processes, and the
  Ray executor with 2 workers.

    .venv/bin/python bench/bench_scan.py [--size-mb 1024] [--no-ray] [--numpy]

``--numpy`` adds a one-process scan with the compiled text kernel turned off
(``CONSENTRY_TEXT_KERNEL=0``: the numpy reference), for the kernel's own gain.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
DOC_BYTES = 50_000
KJV_BOOKS = ["Ruth", "Jonah", "Esther", "Lamentations", "Joel", "Amos", "Micah", "James"]


def kjv_chapters() -> list[tuple[str, str]]:
    """(id, text) for every chapter of the KJV books above, from Debian's bible-kjv."""
    chapters = []
    for book in KJV_BOOKS:
        for chapter in range(1, 60):
            out = subprocess.run(
                ["bible", "-f", f"{book} {chapter}:1-199"], capture_output=True, text=True
            ).stdout
            verses = [re.sub(r"^\S+ \d+:\d+\s*", "", v).strip() for v in out.splitlines()]
            text = "\n".join(v for v in verses if v)
            if len(text.split()) < 300 or (chapters and text == chapters[-1][1]):
                break
            chapters.append((f"{book.lower()}-{chapter}", text))
    return chapters


def paragraphs() -> list[str]:
    """Unregistered paragraphs: the Python 3.11 documentation sources (python3-doc)."""
    root = Path("/usr/share/doc/python3-doc/html/_sources")
    found = []
    for path in sorted(root.rglob("*.rst.txt")):
        for para in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
            if len(para) > 200:
                found.append(para)
    return found


def build(size_mb: int, works: list[tuple[str, str]]) -> Path:
    """The corpus folder (reused when it already holds ``size_mb`` of documents)."""
    corpus = OUT / f"scan-corpus-{size_mb}"
    if (corpus / ".complete").exists():
        return corpus
    rnd = random.Random(11)
    pool = paragraphs()
    count = size_mb * 1_000_000 // DOC_BYTES
    for n in range(count):
        parts: list[str] = []
        size = 0
        if n % 5 == 0:
            _, text = rnd.choice(works)
            words = text.split()
            take = rnd.randint(300, min(1000, len(words)))
            start = rnd.randint(0, len(words) - take)
            parts.append(" ".join(words[start : start + take]))
            size += len(parts[0])
        while size < DOC_BYTES:
            para = rnd.choice(pool)
            parts.insert(rnd.randint(0, len(parts)), para)
            size += len(para)
        target = corpus / f"{n // 1000:03d}" / f"doc-{n:06d}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n\n".join(parts), encoding="utf-8")
    (corpus / ".complete").write_text("")
    return corpus


def files_of(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.txt"))


def _sha(path: Path) -> int:
    with path.open("rb") as handle:
        hashlib.file_digest(handle, "sha256")
    return path.stat().st_size


def sha256_pass(files: list[Path], workers: int) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_sha, files, chunksize=64))
    return time.perf_counter() - start


def words5(text: str) -> list[str]:
    w = re.findall(r"\w+", text.lower())
    return [" ".join(w[i : i + 5]) for i in range(max(1, len(w) - 4))]


def minhash_pass(files: list[Path], works: list[tuple[str, str]], flavour: str) -> float:
    """Fingerprint every file and query an LSH of the registered works, one process."""
    if flavour == "datasketch":
        from datasketch import MinHash, MinHashLSH

        def sketch(text: str) -> MinHash:
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([s.encode() for s in words5(text)])
            return m

        lsh = MinHashLSH(threshold=0.8, num_perm=128)
    else:
        from rensa import RMinHash, RMinHashLSH

        def sketch(text: str) -> RMinHash:  # type: ignore[misc]
            m = RMinHash(num_perm=128, seed=1)
            m.update(words5(text))
            return m

        lsh = RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16)
    for n, (work_id, text) in enumerate(works):
        lsh.insert(work_id if flavour == "datasketch" else n, sketch(text))  # type: ignore[arg-type]
    start = time.perf_counter()
    for path in files:
        lsh.query(sketch(path.read_text(encoding="utf-8")))
    return time.perf_counter() - start


def consentry(*args: str, env: dict[str, str]) -> tuple[float, float]:
    """Run the real CLI; (seconds, peak RSS MB of the process tree's largest child)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "consentry", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak


def register(works: list[tuple[str, str]], env: dict[str, str]) -> None:
    folder = OUT / "scan-works"
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for work_id, text in works:
        (folder / f"{work_id}.txt").write_text(text, encoding="utf-8")
        rows.append(
            {
                "id": work_id,
                "title": work_id,
                "kind": "text",
                "file": f"{work_id}.txt",
                "creators": [{"name": "A. Creator"}],
                "consent": {"ai_training": "granted"},
            }
        )
    rows.extend(image_works(folder))
    (folder / "works.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = OUT / "scan-registry.db"
    for stale in (db, OUT / "scan-registry.db.index"):
        subprocess.run(["rm", "-rf", str(stale)], check=True)
    for args in (
        ["init"],
        ["parties", "add", "Bench AI", "--kind", "developer"],
        ["works", "import", str(folder / "works.jsonl")],
    ):
        subprocess.run(
            [sys.executable, "-m", "consentry", *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def build_images(count: int) -> Path:
    """``count`` distinct JPEGs: random crops, sizes and qualities of the four sample photos."""
    from PIL import Image

    corpus = OUT / f"scan-images-{count}"
    if (corpus / ".complete").exists():
        return corpus
    samples = Path(__file__).resolve().parents[1] / "src" / "consentry" / "samples" / "images"
    sources = [Image.open(p).convert("RGB") for p in sorted(samples.glob("*.jpg"))]
    rnd = random.Random(5)
    for n in range(count):
        image = rnd.choice(sources)
        w, h = image.size
        left, top = rnd.randint(0, w // 5), rnd.randint(0, h // 5)
        box = (left, top, left + rnd.randint(w // 2, w - left), top + rnd.randint(h // 2, h - top))
        scale = rnd.uniform(0.6, 1.6)
        out = image.crop(box)
        out = out.resize((max(8, int(out.width * scale)), max(8, int(out.height * scale))))
        target = corpus / f"{n // 1000:03d}" / f"img-{n:06d}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        out.save(target, quality=rnd.randint(60, 95))
    (corpus / ".complete").write_text("")
    return corpus


def _decode(path: Path) -> int:
    from PIL import Image

    with Image.open(path) as image:
        image.draft("RGB", (64, 64))
        image.convert("RGB").thumbnail((64, 64))
    return 1


def _decode_512(path: Path) -> int:
    from consentry.fingerprint.image import load_query_image

    load_query_image(path.read_bytes())
    return 1


def decode_pass(files: list[Path], workers: int, to_512: bool = False) -> float:
    """Decode and downscale every image (JPEG draft mode): the floor for image fingerprints.

    To 64 px (the cheapest decode there is), or with ``to_512`` to the 512 px
    a query fingerprint is made from (``load_query_image``, no hashing).
    """
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_decode_512 if to_512 else _decode, files, chunksize=64))
    return time.perf_counter() - start


def image_works(folder: Path) -> list[dict[str, object]]:
    """The four sample photos as registered image works (the scanned JPEGs are cut from them)."""
    samples = Path(__file__).resolve().parents[1] / "src" / "consentry" / "samples" / "images"
    rows: list[dict[str, object]] = []
    for photo in sorted(samples.glob("*.jpg")):
        (folder / photo.name).write_bytes(photo.read_bytes())
        rows.append(
            {
                "id": f"photo-{photo.stem}",
                "title": photo.stem,
                "kind": "image",
                "file": photo.name,
                "creators": [{"name": "A. Photographer"}],
                "consent": {"ai_training": "granted"},
            }
        )
    return rows


def image_bench(count: int, env: dict[str, str]) -> dict[str, object]:
    corpus = build_images(count)
    files = sorted(corpus.rglob("*.jpg"))
    sha256_pass(files, 2)
    seconds = {
        "sha256 x2": sha256_pass(files, 2),
        "decode+downscale x2": decode_pass(files, 2),
        "decode+downscale to 512 px x2": decode_pass(files, 2, to_512=True),
    }
    out = OUT / "scan-out-images"
    subprocess.run(["rm", "-rf", str(out)], check=True)
    seconds["consentry x2"], _ = consentry(
        "scan",
        str(corpus),
        "--out",
        str(out),
        "--developer",
        "Bench AI",
        "--workers",
        "2",
        env=env,
    )
    return {
        "images": len(files),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "images_per_s": {k: round(len(files) / v) for k, v in seconds.items()},
        "consentry x2 / decode+downscale x2": round(
            seconds["decode+downscale x2"] / seconds["consentry x2"], 3
        ),
        "consentry x2 / decode+downscale to 512 px x2": round(
            seconds["decode+downscale to 512 px x2"] / seconds["consentry x2"], 3
        ),
        "matched": matched(out / "manifest.jsonl"),
    }


def matched(manifest: Path) -> dict[str, int]:
    """How many scanned items the manifest gives each match kind (or none)."""
    counts: dict[str, int] = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        kind = str(json.loads(line).get("match") or "none")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument(
        "--images-only", action="store_true", help="register the works, then scan images only"
    )
    parser.add_argument(
        "--numpy", action="store_true", help="also scan without the compiled text kernel"
    )
    args = parser.parse_args()
    works = kjv_chapters()[:150]
    corpus = build(args.size_mb, works)
    files = files_of(corpus)
    mb = sum(p.stat().st_size for p in files) / 1e6
    env = {**os.environ, "CONSENTRY_DATABASE_URL": f"sqlite:///{OUT / 'scan-registry.db'}"}
    env.pop("CONSENTRY_INDEX_DIR", None)
    register(works, env)
    if args.images_only:
        report = {"images": image_bench(args.images, env)}
        print(json.dumps(report, indent=2))
        (OUT / "scan-results-images.json").write_text(json.dumps(report, indent=2) + "\n")
        return
    sha256_pass(files, 2)  # warm the page cache
    results: dict[str, float] = {
        "sha256 x1": sha256_pass(files, 1),
        "sha256 x2": sha256_pass(files, 2),
    }
    runs = [("consentry x1", ["--workers", "1"]), ("consentry x2", ["--workers", "2"])]
    if not args.no_ray:
        runs.append(("consentry ray x2", ["--workers", "2", "--executor", "ray"]))
    if args.numpy:  # the same scan without the compiled text kernel (its numpy reference)
        runs.append(("consentry x1 numpy", ["--workers", "1"]))
    peaks: dict[str, float] = {}
    for name, extra in runs:
        out = OUT / f"scan-out-{name.replace(' ', '-')}"
        subprocess.run(["rm", "-rf", str(out)], check=True)
        run_env = {**env, "CONSENTRY_TEXT_KERNEL": "0"} if "numpy" in name else env
        results[name], peaks[name] = consentry(
            "scan", str(corpus), "--out", str(out), "--developer", "Bench AI", *extra, env=run_env
        )
    results["datasketch x1"] = minhash_pass(files, works, "datasketch")
    results["rensa x1"] = minhash_pass(files, works, "rensa")
    report = {
        "corpus_mb": round(mb, 1),
        "files": len(files),
        "seconds": {k: round(v, 2) for k, v in results.items()},
        "mb_per_s": {k: round(mb / v, 2) for k, v in results.items()},
        "peak_rss_mb": {k: round(v) for k, v in peaks.items()},
    }
    c1, c2 = results["consentry x1"], results["consentry x2"]
    ratios = {
        "consentry x1 / datasketch x1": round(results["datasketch x1"] / c1, 2),
        "consentry x1 / rensa x1": round(results["rensa x1"] / c1, 2),
        "consentry x2 / sha256 x2 (the I/O floor)": round(results["sha256 x2"] / c2, 4),
        "consentry x2 / consentry x1": round(c1 / c2, 2),
    }
    if "consentry x1 numpy" in results:
        ratios["consentry x1 / its numpy reference x1"] = round(
            results["consentry x1 numpy"] / c1, 2
        )
    report["ratios"] = ratios
    manifest = OUT / "scan-out-consentry-x1" / "manifest.jsonl"
    rows = [json.loads(x) for x in manifest.read_text().splitlines()]
    report["found_excerpts"] = sum(1 for r in rows if r["match"] == "excerpt")
    report["planted_excerpts"] = len(range(0, len(files), 5))
    if args.images:
        report["images"] = image_bench(args.images, env)
    print(json.dumps(report, indent=2))
    (OUT / "scan-results.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
