"""CSV as the exports write it: plain (comma, decimal point, UTF-8) or as Dutch Excel
opens it with a double click (semicolon, decimal comma, UTF-8 with a byte order mark)."""

from __future__ import annotations

import csv
import io
import re
from typing import Literal

__all__ = ["CSV_FORMATS", "CsvFormat", "in_format"]

CsvFormat = Literal["csv", "excel-nl"]
CSV_FORMATS: tuple[CsvFormat, ...] = ("csv", "excel-nl")

# Only a plain decimal number gets a comma: dates (2026-12), codes and "<5" stay as written.
_DECIMAL = re.compile(r"-?\d+\.\d+")


def in_format(plain: str, fmt: CsvFormat) -> bytes:
    """The bytes of a plain CSV text in ``fmt``."""
    if fmt == "csv":
        return plain.encode("utf-8")
    buffer = io.StringIO()
    # Excel on Windows expects CRLF; without the BOM it reads the file as Windows-1252.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in csv.reader(io.StringIO(plain)):
        writer.writerow(
            cell.replace(".", ",") if _DECIMAL.fullmatch(cell) else cell for cell in row
        )
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
