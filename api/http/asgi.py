"""The shape every pure ASGI middleware of the service shares: pass anything that is not an
HTTP request (lifespan, websockets) straight through, handle HTTP requests in ``handle``."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HttpMiddleware", "with_header"]


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
