"""Report rendering: documents the engine and the services computed, written as files.

Rendering only: every number arrives already computed and suppressed
(:class:`matching.audit.AuditReport`); nothing here reads a database.
"""

from api.reports.audit import write_report

__all__ = ["write_report"]
