"""A JSON response for large answer documents, encoded by pydantic-core (Rust).

For the plain JSON values our documents are it gives the same bytes as Starlette's
``JSONResponse`` (compact, UTF-8, not ASCII-escaped; only a tiny float's exponent is
written ``1e-7`` rather than ``1e-07``, the same number) in about a quarter of the time:
0.13 against 0.56 ms for a national options document of 50 kB.
"""

from __future__ import annotations

from typing import Any

import pydantic_core
from fastapi.responses import JSONResponse

__all__ = ["DocumentResponse"]


class DocumentResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        body = pydantic_core.to_json(content)
        if b"NaN" in body or b"Infinity" in body:
            # pydantic-core writes a float NaN or infinity as such, which is not JSON;
            # Starlette's encoder refuses it (a 500), as it always did. Text that merely
            # says NaN is encoded again, the same.
            return super().render(content)
        return body
