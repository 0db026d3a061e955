"""``/docs``: the OpenAPI document in Swagger UI, under a Content-Security-Policy.

FastAPI's own page is replaced by the same page with a policy that lets exactly its assets
run: Swagger UI from this service (the pinned files of the fastapi-offline package, under
``/docs/assets``, so the page works without internet access), and its one inline script by
hash (computed from the page itself, so the two cannot drift apart). The key a reader
types into the page can only be sent back to this server (``connect-src 'self'``).
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

__all__ = ["docs_csp", "router"]

router = APIRouter(include_in_schema=False)

_ASSETS = "/docs/assets"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_csp(html: str) -> str:
    """The Content-Security-Policy for a Swagger UI page: its inline scripts by hash."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    return (
        "default-src 'none'; "
        f"script-src 'self' {hashes}; "
        # Swagger UI sets style attributes from its scripts.
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; "
        "connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    app = request.app
    page = get_swagger_ui_html(
        openapi_url=request.scope.get("root_path", "") + (app.openapi_url or "/openapi.json"),
        title=f"{app.title} - Swagger UI",
        swagger_js_url=f"{_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{_ASSETS}/favicon.png",
    )
    html = bytes(page.body).decode()
    return HTMLResponse(html, headers={"Content-Security-Policy": docs_csp(html)})
