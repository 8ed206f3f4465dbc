"""Real concurrent threads for race tests, each with its own database connection."""

from __future__ import annotations

import threading
import traceback


class ThreadRun:
    """The outcome of :func:`run_threads`: results in order, and any exception with its traceback."""

    def __init__(self, results, errors):
        self.results = results
        self.errors = errors

    def raise_errors(self):
        if self.errors:
            index, text = self.errors[0]
            raise AssertionError(f"{len(self.errors)} thread(s) raised; thread {index}:\n{text}")


def run_threads(count: int, target, timeout: float = 120.0) -> ThreadRun:
    """Run ``target(i)`` in ``count`` threads released together; each uses and closes its own connection.

    Django gives every thread its own database connection; it is closed when the thread ends so
    that the server does not keep ``count`` idle sessions (and so that a test database can be dropped).
    """
    from django.db import connections

    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []
    lock = threading.Lock()

    def body(index):
        try:
            barrier.wait(timeout=timeout)
            results[index] = target(index)
        except BaseException:  # noqa: BLE001 - reported to the test
            with lock:
                errors.append((index, traceback.format_exc()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    alive = [t for t in threads if t.is_alive()]
    if alive:
        raise AssertionError(f"{len(alive)} of {count} threads did not finish within {timeout} s (deadlock?)")
    return ThreadRun(results, errors)
