"""What the benchmarks share: confidence intervals and memory readings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scipy.stats import beta


def ci(k: int, n: int) -> tuple[float, float]:
    """Clopper-Pearson 95% interval for k successes in n trials."""
    lo = 0.0 if k == 0 else float(beta.ppf(0.025, k, n - k + 1))
    hi = 1.0 if k == n else float(beta.ppf(0.975, k + 1, n - k))
    return lo, hi


def rss_anon() -> int:
    """This process's anonymous resident memory in bytes (memory maps excluded)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) * 1024
    return 0


def million_child(script: str, folder: Path) -> dict[str, object]:
    """Run ``script --million-child FOLDER`` in a fresh process; its printed JSON."""
    out = subprocess.run(
        [sys.executable, script, "--million-child", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result
