"""The service's log lines: a UTC timestamp, the level, the logger, the request's id, and
the message, as text or as one JSON object per line (``DICHTBIJ_LOG_FORMAT=json``).

The request id is set per request by :class:`api.http.middleware.RequestId` and reaches every
line logged while serving it, in any thread. Messages never carry personal data (the
callers log ids of keys, route templates, statuses and exception types only); the JSON
formatter adds no more than the text one: an exception is named by its type, never by its
message or traceback, which can quote a row's values.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal, TextIO

__all__ = [
    "LogFormat",
    "RequestIdFilter",
    "configure_logging",
    "current_request_id",
    "log_handler",
    "request_id_var",
]

LogFormat = Literal["text", "json"]

#: The id of the request being served in this context ("-" outside any request).
request_id_var: ContextVar[str] = ContextVar("dichtbij_request_id", default="-")


def current_request_id() -> str:
    return request_id_var.get()


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RequestIdFilter(logging.Filter):
    """Give every record the current request's id (``request_id``) and a UTC time."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.utc = _timestamp(record)
        return True


class _TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(utc)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatException(self, ei: object) -> str:  # noqa: N802 - logging's own name
        return _exception_name(ei)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": getattr(record, "utc", None) or _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = _exception_name(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _exception_name(ei: object) -> str:
    exc_type = ei[0] if isinstance(ei, tuple) and ei else None
    return getattr(exc_type, "__name__", "exception")


def log_handler(log_format: LogFormat, stream: TextIO | None = None) -> logging.Handler:
    """A handler writing the service's lines in ``log_format`` to ``stream`` (stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(_JsonFormatter() if log_format == "json" else _TextFormatter())
    return handler


def configure_logging(log_format: LogFormat, level: int = logging.INFO) -> None:
    """Route every logger (uvicorn's included) through one handler on the root logger."""
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(log_handler(log_format))
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per step is noise
