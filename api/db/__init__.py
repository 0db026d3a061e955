"""Persistence: tables, engines and migrations, repositories and the unit of work.

Depends on the domain (:mod:`matching`), never the other way round. The package imports
nothing itself: ``api.db.engine`` pulls in Alembic (0.65 s), which commands that need no
database (``dichtbij match``, ``rank``) should not pay for by importing a repository
type. Import from the modules: ``api.db.engine``, ``api.db.uow``, ...
"""
