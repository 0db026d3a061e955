"""The sentences of the ``dichtbij`` commands (api/cli/texts.toml), in both languages."""

from __future__ import annotations

from string import Formatter

import pytest

from api.catalogue import pair
from api.cli.common import texts

COMMANDS = ("capacity", "demo", "help", "match", "policy", "rank", "simulate")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_sentence_fills_in_the_same_values_in_dutch_and_english(command: str) -> None:
    t = texts(command)
    assert t["nl"].keys() == t["en"].keys()
    for key, dutch in t["nl"].items():
        assert _fields(dutch) == _fields(t["en"][key]), (command, key)


def test_a_command_reads_its_own_table() -> None:
    assert texts("rank")["en"]["ref"] == "reference date {date}"
    assert texts("rank")["nl"]["ref"] == "peildatum {date}"


@pytest.mark.parametrize("value", ["alleen Nederlands", ["nl"], ["nl", "en", "de"], ["nl", 1]])
def test_a_catalogue_entry_that_is_not_a_pair_of_texts_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="not a pair of texts"):
        pair(value)
