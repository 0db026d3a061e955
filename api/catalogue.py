"""Catalogues of texts: a ``texts.toml`` of [Dutch, English] pairs beside the code that
shows them (the web screens' in ``api/web``, the commands' in ``api/cli``).

A wording is data, changed or translated in one place; a key cannot lack its other language.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

__all__ = ["pair", "read_catalogue"]


def read_catalogue(package: str) -> dict[str, Any]:
    """The catalogue ``texts.toml`` of ``package``, read as a resource of the package (as
    its templates are), so that it ships inside it."""
    with resources.files(package).joinpath("texts.toml").open("rb") as file:
        return tomllib.load(file)


def pair(value: object) -> tuple[str, str]:
    """A (Dutch, English) entry of a catalogue; anything else is a mistake in the file."""
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise ValueError(f"texts.toml: not a pair of texts: {value!r}")
    return value[0], value[1]
