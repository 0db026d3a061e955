"""The ranked options document: exactly what ``dichtbij rank --json`` prints.

The engine's own typed model (:mod:`matching.documents`), so that the OpenAPI document
describes every option, criterion and excluded home.
"""

from __future__ import annotations

from matching.documents import RankDocument

__all__ = ["RankDocument"]
