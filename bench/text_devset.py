"""Build (never ship) the text dev set: registered works, transformed copies, unrelated texts.

Sources, all installable offline from Debian (see bench/TEXT.md for licences):

- the King James Bible, ``apt-get install -y bible-kjv`` (``bible -f``), public domain;
- the Python 3.11 documentation sources, ``apt-get install -y python3-doc``
  (``/usr/share/doc/python3-doc/html/_sources``), PSF License / Zero-Clause BSD.

Registered works: every chapter of the KJV books in ``KJV_WORKS`` and every
page of the Python docs' tutorial and faq sections
(works under 150 words are left out: they can match only exactly). Positives: each
work under each transform (reflow, case, punctuation, HTML wrapping, 1% and
3% OCR noise, a 5-50% excerpt of >= 150 words, such an excerpt embedded in
unrelated text, 5% word edits). Negatives: every chapter of the other KJV
books and every page of the other Python doc sections, whole and cut into
100-300-word passages. Written to ``bench/out/text-devset/*.jsonl``.

    .venv/bin/python bench/text_devset.py [--out bench/out/text-devset] [--seed 7]
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

KJV_WORKS = {"Ruth", "Est", "Job", "Eccl", "SSol", "Lam", "Dan", "Jonah", "Rev", "Jas", "1Jn"}
DOCS = Path("/usr/share/doc/python3-doc/html/_sources")
DOC_WORKS = ("tutorial", "faq")
MIN_WORK_WORDS = 150  # shorter works match only exactly (see bench/TEXT.md)
DOC_SKIP = ("whatsnew",)  # release notes copy the library pages: real reuse, not negatives
TRANSFORMS = (
    "reflow",
    "case",
    "punctuation",
    "html",
    "ocr-1%",
    "ocr-3%",
    "excerpt",
    "embedded",
    "word-edits-5%",
)
REPEATS = 3  # each transform drawn three times per work (different noise, excerpts, fillers)
CONFUSABLE = {"m": "rn", "l": "1", "o": "0", "e": "c", "i": "l", "s": "5", "b": "h", "n": "h"}


def kjv_chapters() -> dict[str, str]:
    """Every KJV chapter as text, one verse a line, keyed like ``Ruth 1``."""
    out = subprocess.run(
        ["bible", "-f", "Genesis 1:1-Revelation 22:21"], capture_output=True, text=True, check=True
    ).stdout
    chapters: dict[str, list[str]] = defaultdict(list)
    for line in out.splitlines():
        m = re.match(r"(\d?[A-Za-z]+)(\d+):\d+ (.*)", line)
        if m:
            chapters[f"{m[1]} {m[2]}"].append(m[3])
    return {k: "\n".join(v) for k, v in chapters.items()}


def doc_pages() -> dict[str, str]:
    """Every Python doc source page, keyed by its path (release notes left out)."""
    pages = {}
    for path in sorted(DOCS.rglob("*.rst.txt")):
        rel = path.relative_to(DOCS).as_posix()
        if not rel.startswith(DOC_SKIP):
            pages[f"py:{rel}"] = path.read_text(encoding="utf-8")
    return pages


def ocr(text: str, rate: float, rnd: random.Random) -> str:
    """Character noise as OCR makes it: confusions, drops and insertions among letters."""
    out = []
    for c in text:
        if c.isalnum() and rnd.random() < rate:
            r = rnd.random()
            if r < 0.5:
                out.append(CONFUSABLE.get(c.lower(), rnd.choice("aeinorst")))
            elif r < 0.75:
                continue
            else:
                out.append(c + rnd.choice("il.,'"))
        else:
            out.append(c)
    return "".join(out)


def word_edits(text: str, rate: float, rnd: random.Random, vocab: list[str]) -> str:
    """Delete, insert or replace ``rate`` of the words (one third each)."""
    out: list[str] = []
    for w in text.split():
        r = rnd.random()
        if r < rate / 3:
            continue
        if r < 2 * rate / 3:
            out += [w, rnd.choice(vocab)]
        elif r < rate:
            out.append(rnd.choice(vocab))
        else:
            out.append(w)
    return " ".join(out)


def excerpt(text: str, rnd: random.Random) -> str:
    """A contiguous 5-50% of the words, at least 150 of them."""
    words = text.split()
    n = min(len(words), max(150, int(len(words) * rnd.uniform(0.05, 0.5))))
    start = rnd.randrange(len(words) - n + 1)
    return " ".join(words[start : start + n])


def transform(name: str, text: str, rnd: random.Random, filler: Callable[[], str]) -> str:
    """Apply one named transform; ``filler`` gives unrelated text to embed in."""
    if name == "reflow":
        width = rnd.randrange(40, 100)
        return "\n".join(re.findall(rf".{{1,{width}}}(?:\s|$)", " ".join(text.split())))
    if name == "case":
        return rnd.choice([str.upper, str.lower, str.title])(text)
    if name == "punctuation":
        return re.sub(r"[^\w\s]", lambda m: rnd.choice(["", " ", ";", "—", m[0]]), text)
    if name == "html":
        body = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n") if p.strip())
        return f"<html><head><title>Page</title></head><body><nav>Home</nav>\n{body}</body></html>"
    if name.startswith("ocr-"):
        return ocr(text, float(name[4:-1]) / 100, rnd)
    if name == "excerpt":
        return excerpt(text, rnd)
    if name == "embedded":
        return f"{filler()}\n\n{excerpt(text, rnd)}\n\n{filler()}"
    if name == "word-edits-5%":
        return word_edits(text, 0.05, rnd, VOCAB)
    raise ValueError(name)


VOCAB = [
    "people",
    "house",
    "water",
    "great",
    "little",
    "without",
    "between",
    "against",
    "however",
    "another",
]


def passages(text: str, rnd: random.Random) -> Iterator[str]:
    """Cut a text into consecutive passages of 100-300 words."""
    words = text.split()
    i = 0
    while len(words) - i >= 100:
        n = rnd.randrange(100, 301)
        yield " ".join(words[i : i + n])
        i += n


def build(out: Path, seed: int) -> dict[str, int]:
    """Write works.jsonl, positives.jsonl, negatives.jsonl under ``out``; return counts."""
    rnd = random.Random(seed)
    kjv, docs = kjv_chapters(), doc_pages()
    works = {k: v for k, v in kjv.items() if k.split()[0] in KJV_WORKS}
    works |= {k: v for k, v in docs.items() if k[3:].startswith(DOC_WORKS)}
    others = {k: v for k, v in (kjv | docs).items() if k not in works}
    works = {k: v for k, v in works.items() if len(v.split()) >= MIN_WORK_WORDS}
    pool = [p for v in others.values() for p in passages(v, rnd)]
    negatives = [{"id": k, "text": v} for k, v in others.items()]
    negatives += [{"id": f"passage-{i}", "text": p} for i, p in enumerate(pool)]

    def filler() -> str:
        return rnd.choice(pool)

    positives = [
        {"id": f"{t}:{k}:{r}", "work_id": k, "transform": t, "text": transform(t, v, rnd, filler)}
        for r in range(REPEATS)
        for k, v in works.items()
        for t in TRANSFORMS
    ]
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (
        ("works", [{"id": k, "text": v} for k, v in works.items()]),
        ("positives", positives),
        ("negatives", negatives),
    ):
        tmp = out / f".{name}.jsonl.tmp"
        with tmp.open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        tmp.rename(out / f"{name}.jsonl")
    return {"works": len(works), "positives": len(positives), "negatives": len(negatives)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out/text-devset"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(build(args.out, args.seed))


if __name__ == "__main__":
    main()
