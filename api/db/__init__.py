"""Persistence: tables, engines and migrations, repositories and the unit of work.

Depends on the domain (:mod:`matching`), never the other way round.
"""

from api.db.engine import make_engine, migrate
from api.db.uow import Tx, UnitOfWork

__all__ = ["Tx", "UnitOfWork", "make_engine", "migrate"]
