"""The engine's per-request work, kept while the data it was computed from is unchanged.

An options request used to read and map its organisation's homes and children and derive
the engine's arrays every time (about 60% of a national request). A :class:`RankerCache`
keeps the :class:`~matching.ranking.Ranker` of an organisation's live scenario keyed by
the database's :class:`~api.db.version.DataVersion`: any committed change of the data
moves the version on (:mod:`api.db.version` says why no change can be missed), so the
next request builds a new one from the new data, and an old one is never used again.

One ranker is built per key at a time: requests that arrive while it is being built wait
for it instead of building it again each (16 coordinators at once after a change).

The carers' recent answers to proposals (:func:`api.services.care.decline_rates`), shown
beside every option, are kept the same way, for every home at once: one query per data
version instead of a transaction of its own in every request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from matching.ranking import Ranker

__all__ = ["DECLINE_RATES", "RANKERS", "CacheStats", "RankerCache", "VersionedCache"]

T = TypeVar("T")


@dataclass
class CacheStats:
    hits: int = 0
    builds: int = 0


class VersionedCache(Generic[T]):
    """The last ``size`` values, by key (a data version and what else they depend on);
    safe across threads."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self.stats = CacheStats()
        self._entries: OrderedDict[Hashable, Future[T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable | None, build: Callable[[], T]) -> T:
        """The value for ``key``, built by ``build`` if there is none; ``key`` ``None``
        (no data version known) builds one that is not kept."""
        if key is None:
            self.stats.builds += 1
            return build()
        with self._lock:
            found = self._entries.get(key)
            mine = found is None
            if found is None:
                found = self._entries[key] = Future()
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            else:
                self._entries.move_to_end(key)
                self.stats.hits += 1
        if not mine:
            return found.result()
        try:
            value = build()
        except BaseException as exc:
            with self._lock:
                if self._entries.get(key) is found:
                    del self._entries[key]
            found.set_exception(exc)
            raise
        self.stats.builds += 1
        found.set_result(value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


RankerCache = VersionedCache[Ranker]

#: The process's caches. Keys carry the database's random epoch, so apps on different
#: databases in one process (the tests) never share an entry.
RANKERS = RankerCache()
#: Per (data version, since): home id -> its decline rate, for homes with answers.
DECLINE_RATES: VersionedCache[dict[str, dict[str, Any]]] = VersionedCache()
