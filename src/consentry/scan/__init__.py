"""The clearance scan: read -> fingerprint -> match -> decide -> write, over shards.

Step 1 (:mod:`consentry.scan.facts`) runs on an executor without the registry;
step 2 (:mod:`consentry.scan.decide`) decides every item from its facts and a
snapshot of the registry the caller provides; :func:`run_scan` writes the
manifest, the cleared subset and the summary, resuming a killed scan.
"""

from consentry.scan.decide import RegistrySnapshot
from consentry.scan.executors import Executor, LocalExecutor
from consentry.scan.run import ScanParams, ScanSummary, run_scan

__all__ = ["Executor", "LocalExecutor", "RegistrySnapshot", "ScanParams", "ScanSummary", "run_scan"]
