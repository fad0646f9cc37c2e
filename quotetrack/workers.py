"""Where extraction runs: this process, a pool of processes, or a Dask cluster.

Extraction (``records.prepare_batch``) is a pure function of a batch of
articles, so it can run anywhere; the process that writes the database sends
batches out and writes the results back in input order.  All three kinds
offer the same two things: ``submit(fn, *args)`` returning a future, and
``capacity``, how many batches may be out at once (which bounds memory).
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from typing import Any, Callable

WORKER_NICENESS = 10  # added to the niceness of local worker processes (Linux: 0 to 19)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Workers:
    """Extraction in this process: each batch is done when submitted."""

    capacity = 0

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as error:
            future.set_exception(error)
        return future

    def close(self) -> None:
        pass

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ProcessWorkers(Workers):
    """``jobs`` processes of this machine (``concurrent.futures``)."""

    def __init__(self, jobs: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the parent holds an open SQLite connection and threads
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_start_worker, initargs=(os.getpid(),))
        self.capacity = 2 * jobs  # one batch being extracted and one waiting, per worker

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        return self.pool.submit(fn, *args)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int) -> None:
    """Yield the CPU to the writing process, and die with it."""
    # The one process that writes the database sets the pace of the whole job, and with
    # ``--jobs`` set to the number of cores there is one process more than cores: at equal
    # priority the writer got 83% of a core (10,000 articles, two workers on two cores), niced
    # workers left it 92%, and the job ran 13% faster.
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # not allowed here: run at the same priority
        pass
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the process that feeds it dies: a parent killed with
    SIGKILL cannot stop its workers, which would linger (holding its output pipes open)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, Linux only
    except (OSError, AttributeError):  # elsewhere workers end when their queue breaks
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


class DaskWorkers(Workers):
    """A Dask cluster: the one at ``scheduler`` (host:port), or a ``LocalCluster`` of ``jobs`` workers."""

    def __init__(self, jobs: int, scheduler: str | None = None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as error:
            raise WorkersError("the dask engine needs dask.distributed: pip install 'quotetrack[dask]'") from error
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="10s")
            except OSError as error:
                raise WorkersError(f"no Dask scheduler at {scheduler} ({error})") from error
        else:
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        workers = max(1, len(self.client.scheduler_info().get("workers", {})) or jobs)
        self.capacity = 2 * workers

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        # pure=False: two equal batches (the same articles again) are still two tasks; Dask's
        # future offers what the writer uses of concurrent.futures' (result, done)
        return self.client.submit(fn, *args, pure=False)  # type: ignore[return-value]

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class WorkersError(Exception):
    """The workers asked for cannot be had (no dask installed, no scheduler there)."""


def workers(engine: str = "local", jobs: int | None = None, scheduler: str | None = None) -> Workers:
    """The workers for ``--engine`` and ``--jobs``; one local job runs in this process."""
    jobs = jobs or default_jobs()
    if engine == "dask":
        return DaskWorkers(jobs, scheduler)
    return ProcessWorkers(jobs) if jobs > 1 else Workers()
