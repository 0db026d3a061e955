"""The shape every pure ASGI middleware of the service shares: pass anything that is not an
HTTP request (lifespan, websockets) straight through, handle HTTP requests in ``handle``."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGet", "HttpMiddleware", "with_header"]


class HttpMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


def with_header(message: Message, name: bytes, value: bytes) -> Message:
    """``message`` (a response start) with header ``name`` set to ``value``, replacing any."""
    headers = [(n, v) for n, v in message.get("headers", []) if n.lower() != name.lower()]
    headers.append((name, value))
    return {**message, "headers": headers}


class HeadAsGet(HttpMiddleware):
    """``HEAD`` wherever ``GET`` is answered (RFC 9110 9.3.2): the ``GET`` runs, with its
    status and headers (``Content-Length`` and ``ETag`` included), and the body is left out.
    FastAPI's routes answer only the methods they declare, so without this a ``HEAD`` of a
    readable resource was a 405."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
