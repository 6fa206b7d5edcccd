"""Python's cycle collector runs on the GUI thread only once the window is made: a job's thread
that collected a dead Qt object's wrapper could deadlock with the GUI thread (Qt's connection
lock against Python's)."""

import gc
import threading

from tracker.ui import collector
from tracker.ui.main_window import MainWindow


class _Cycle:
    def __init__(self):
        self.me = self


def test_collections_happen_on_the_gui_thread_even_while_a_thread_allocates(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    seen: list[int] = []

    def note(phase, _info):
        if phase == "start":
            seen.append(threading.get_ident())

    gc.callbacks.append(note)
    try:
        assert not gc.isenabled()  # no collection wherever an allocation happens to be

        def allocate():
            keep = []
            for n in range(300_000):
                keep.append(_Cycle())
                if n % 1000 == 0:
                    keep.clear()

        worker = threading.Thread(target=allocate)
        worker.start()
        qtbot.waitUntil(lambda: not worker.is_alive(), timeout=60_000)
        worker.join()
        assert set(seen) <= {threading.main_thread().ident}  # never on the worker
        gc_collector = collector.install()
        garbage = [_Cycle() for _ in range(gc_collector.thresholds[0] + 100)]
        del garbage
        assert gc_collector.collect_due() >= 0  # collected here, when due
        assert set(seen) == {threading.main_thread().ident}
    finally:
        gc.callbacks.remove(note)
        window.shutdown()
        window.close()


def test_a_generation_is_collected_when_its_count_is_past_the_threshold(qtbot):
    gc_collector = collector.install()
    gc.collect()
    assert gc_collector.collect_due() == -1  # nothing due just after a full collection
    garbage = [_Cycle() for _ in range(gc_collector.thresholds[0] + 100)]
    del garbage
    assert gc_collector.collect_due() == 0


def _due_up_to_the_oldest(gc_collector) -> None:
    first, second, third = gc_collector.thresholds
    for _ in range(third + 1):
        gc.collect(1)
    for _ in range(second + 1):
        gc.collect(0)
    garbage = [_Cycle() for _ in range(first + 100)]
    del garbage


def test_a_full_pass_waits_until_the_oldest_generation_has_grown_by_a_quarter(qtbot):
    gc_collector = collector.install()
    gc.collect()
    gc_collector.long_lived = len(gc.get_objects(2))
    _due_up_to_the_oldest(gc_collector)
    assert gc_collector.collect_due() == 1  # the young ones only: the oldest has not grown
    keep = [_Cycle() for _ in range(gc_collector.long_lived // 4 + 1_000)]
    gc.collect(1)
    gc.collect(1)  # now in the oldest generation
    _due_up_to_the_oldest(gc_collector)
    assert gc_collector.collect_due() == 2
    assert gc_collector.long_lived >= len(keep)
    del keep


def _full_pass_due(gc_collector) -> None:
    """Counts as Python would have them when a full pass is due: the middle and oldest
    generations past their thresholds, and the oldest grown by more than a quarter."""
    first, second, third = gc_collector.thresholds
    for _ in range(third + 1):
        gc.collect(1)
    for _ in range(second + 1):
        gc.collect(0)
    gc_collector.long_lived = len(gc.get_objects(2)) * 3 // 4
    garbage = [_Cycle() for _ in range(first + 100)]
    del garbage


def test_no_full_pass_runs_while_a_job_thread_does(qtbot):
    gc_collector = collector.install()
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    collector.worker_started(worker)
    try:
        _full_pass_due(gc_collector)
        assert gc_collector.collect_due() == 1  # the young generations only
    finally:
        release.set()
        worker.join()
    _full_pass_due(gc_collector)
    assert gc_collector.collect_due() == 2  # the job has ended: the full pass runs
