"""A few slots for work that must not all run at once, handed out in arrival order.

``threading.Semaphore`` and SQLite's own busy handler are not fair: a thread that arrives
while a slot is free takes it before a waiter that was woken for it runs (the waiter needs
Python's interpreter lock first), and SQLite's busy handler sleeps 1 to 100 ms between its
tries, so under load one waiter can be passed over again and again while the others go
through. Here a freed slot is handed to the longest waiter directly.
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType

__all__ = ["Turns"]


class Turns:
    """``with turns:`` waits for one of ``slots`` slots, first come first served;
    :meth:`acquire` waits at most ``timeout`` seconds."""

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("at least one slot")
        self.free = slots
        self._lock = threading.Lock()
        self._waiting: deque[threading.Event] = deque()

    def acquire(self, timeout: float | None = None) -> bool:
        """Take a slot; False if none came within ``timeout`` seconds."""
        with self._lock:
            if self.free and not self._waiting:
                self.free -= 1
                return True
            mine = threading.Event()
            self._waiting.append(mine)
        if mine.wait(timeout):
            return True  # release handed the slot over
        with self._lock:
            if mine.is_set():  # handed over just as the wait ran out
                return True
            self._waiting.remove(mine)
            return False

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self.free += 1

    def __enter__(self) -> None:
        self.acquire()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.release()
