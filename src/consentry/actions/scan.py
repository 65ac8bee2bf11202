"""Scan a corpus against the registry: the developer's main job (``consentry scan``).

This module binds the pure scan pipeline (:mod:`consentry.scan`) to a
workspace: it refreshes the match index, resolves the developer, freezes the
as-of date, reads the rules file, and gives the decide step a snapshot of the
registry (:class:`StoreSnapshot`) inside one read transaction.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from consentry.actions.datasets import record_dataset_version
from consentry.actions.index import index_path, refresh_index
from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.corpus import open_corpus
from consentry.corpus.remote import is_url, stage_remote
from consentry.domain import PartyKind, Use
from consentry.errors import InvalidInput
from consentry.policy import Policy, Regime, UnregisteredRule, load_rules
from consentry.registry import WorkDecision, decide_work
from consentry.scan.executors import Executor, LocalExecutor, ShardDone
from consentry.scan.executors_ray import RayExecutor
from consentry.scan.limits import DEFAULT_ITEM_SECONDS
from consentry.scan.run import ScanParams, ScanSummary, run_scan, write_summary
from consentry.signals import NoSignals
from consentry.signals.corpus import CorpusSignals
from consentry.store import Registry


class StoreSnapshot:
    """The registry as the decide step sees it, for one developer, use and frozen date."""

    def __init__(self, registry: Registry, params: ScanParams, at: datetime) -> None:
        self.registry = registry
        self.params = params
        self.at = at
        self._decided: dict[str, WorkDecision] = {}

    def exact_works(self, hashes: Sequence[str]) -> Mapping[str, Sequence[str]]:
        """The works holding each raw or content hash."""
        return self.registry.works_by_fingerprints(hashes)

    def decisions(self, work_ids: Iterable[str]) -> Mapping[str, WorkDecision]:
        """Each work's decision (computed once per scan, then cached)."""
        wanted = [w for w in work_ids if w not in self._decided]
        if wanted:
            self._decide(wanted)
        return self._decided

    def _decide(self, work_ids: list[str]) -> None:
        works = self.registry.get_works(work_ids)
        consents = self.registry.consents_for_works(work_ids)
        licences = self.registry.licences_for_works(work_ids)
        creators = {c for w in works for c in w.creator_ids}
        mandates = self.registry.mandates_for_creators(creators)
        for work in works:
            self._decided[work.id] = decide_work(
                work,
                consents=consents.get(work.id, []),
                licences=licences.get(work.id, []),
                mandates=mandates,
                developer_id=self.params.developer_id,
                use=Use(self.params.use),
                at=self.at,
                model=self.params.model,
                territory=self.params.territory,
            )


def scan(
    ws: Workspace,
    corpus: Path | str,
    out_dir: Path,
    *,
    developer_ref: str | None = None,
    use: Use = Use.AI_TRAINING,
    regime: Regime = Regime.CONSENT,
    as_of: datetime | None = None,
    model: str | None = None,
    territory: str | None = None,
    rules_file: Path | None = None,
    corpus_format: str | None = None,
    text_field: str | None = None,
    id_field: str | None = None,
    workers: int = 1,
    executor: str = "local",
    address: str | None = None,
    read_signals: bool = True,
    robots_dir: Path | None = None,
    item_seconds: float | None = DEFAULT_ITEM_SECONDS,
    on_done: ShardDone | None = None,
) -> ScanSummary:
    """Decide every item of ``corpus`` for a developer and use; write the outputs to ``out_dir``.

    ``corpus`` is a local path or an fsspec URL; a URL's files are staged under
    ``out_dir/.remote/`` first (see :mod:`consentry.corpus.remote`) and that
    copy is removed once the scan has finished.
    """
    local = _local_corpus(corpus, out_dir)
    reader = open_corpus(local, format=corpus_format, text_field=text_field, id_field=id_field)
    at = as_of or ws.now()
    rules = _rules(rules_file)
    with ws.transaction() as registry:
        developer = find_party(registry, developer_ref) if developer_ref else None
    if developer is not None and developer.kind is not PartyKind.DEVELOPER:
        raise InvalidInput(f"{developer.name} is a {developer.kind}, not a developer")
    signals = CorpusSignals(robots_dir) if read_signals else NoSignals()
    if robots_dir is not None and not robots_dir.is_dir():
        raise InvalidInput(f"--robots-dir {robots_dir} is not a folder")
    params = ScanParams(
        corpus=str(corpus),
        format=reader.format,
        developer_id=developer.id if developer else None,
        use=use.value,
        regime=regime.value,
        as_of=at.isoformat(),
        model=model,
        territory=territory,
        rules=(str(rules_file),) if rules_file else (),
        signals=signals.name,
    )
    refresh_index(ws)

    @contextmanager
    def open_snapshot() -> Iterator[StoreSnapshot]:
        with ws.transaction() as registry:
            yield StoreSnapshot(registry, params, at)

    summary = run_scan(
        reader,
        out_dir,
        params=params,
        policy=Policy(use, regime, rules),
        open_snapshot=open_snapshot,
        index_dir=index_path(ws),
        executor=_executor(executor, workers, address, item_seconds),
        signals=signals,
        on_done=on_done,
    )
    if is_url(corpus):
        shutil.rmtree(out_dir / REMOTE_STAGING, ignore_errors=True)
    summary.dataset_version = record_dataset_version(ws, summary, out_dir, at)
    write_summary(summary, out_dir)
    return summary


REMOTE_STAGING = ".remote"


def _local_corpus(corpus: Path | str, out_dir: Path) -> Path:
    """The local path to read: ``corpus`` itself, or a URL's files staged under ``out_dir``."""
    if not is_url(corpus):
        return Path(corpus)
    return stage_remote(str(corpus), out_dir / REMOTE_STAGING)


def _executor(name: str, workers: int, address: str | None, item_seconds: float | None) -> Executor:
    if name == "local":
        if address is not None:
            raise InvalidInput("--address is for the ray executor")
        return LocalExecutor(workers, item_seconds)
    if name == "ray":
        return RayExecutor(address, workers, item_seconds)
    raise InvalidInput(f"unknown executor {name!r}", hint="use local or ray")


def _rules(path: Path | None) -> tuple[UnregisteredRule, ...]:
    if path is None:
        return ()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read the rules file {path}: {exc}") from exc
    return load_rules(raw)
