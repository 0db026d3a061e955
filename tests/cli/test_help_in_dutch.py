"""`--help` is Dutch unless ``--lang en`` is on the command line, as everything else the
commands write; option names, choices and metavariables stay as typed."""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterator

import pytest

from api.cli import main
from api.cli.parser import build_parser
from matching import Lang


def helped(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv), out=io.StringIO())
    assert stopped.value.code == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_the_help_is_dutch_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    text = helped(capsys, "--help")
    assert text.startswith("gebruik: dichtbij [-h] [--version]")
    assert "Plaatsingen in de jeugdzorg matchen: zo dicht mogelijk bij huis." in text
    assert "\nopties:\n" in text
    assert "toon deze hulp en stop" in text
    assert "usage" not in text
    assert "options:" not in text
    rank = helped(capsys, "rank", "-h")
    assert rank.startswith("gebruik: dichtbij rank [-h] --scenario SCENARIO [--lang {nl,en}]")
    assert "--child CHILD         id van het kind" in rank
    assert "--audience {coordinator,provider}" in rank


def test_with_lang_en_the_help_is_english(capsys: pytest.CaptureFixture[str]) -> None:
    for lang in (["--lang", "en"], ["--lang=en"]):
        text = helped(capsys, "rank", "--help", *lang)
        assert text.startswith("usage: dichtbij rank [-h] --scenario SCENARIO")
        assert "\noptions:\n" in text
        assert "show this help message and exit" in text
        assert "--child CHILD         child id" in text
    revoke = helped(capsys, "token", "revoke", "-h", "--lang", "en")
    assert "\npositional arguments:\n  prefix" in revoke
    assert "the key's prefix, as `token list` shows it" in revoke
    assert "\nargumenten:\n  prefix" in helped(capsys, "token", "revoke", "-h")


def _helps(parser: argparse.ArgumentParser, path: str = "") -> Iterator[tuple[str, str | None]]:
    """(where, help) of every option and command of ``parser`` and its commands."""
    for action in parser._actions:
        where = f"{path} {'/'.join(action.option_strings) or action.dest}"
        yield where, action.help
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield f"{path} {choice.dest}", choice.help
            for name, sub in action.choices.items():
                yield f"{path} {name}", sub.description
                yield from _helps(sub, f"{path} {name}")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_command_builds_its_help_in_each_language(lang: Lang) -> None:
    for _, text in _helps(build_parser(lang)):
        assert text is None or text.strip()


def test_every_help_text_has_its_dutch_and_its_english() -> None:
    dutch = dict(_helps(build_parser("nl")))
    english = dict(_helps(build_parser("en")))
    assert dutch.keys() == english.keys()
    for where, text in dutch.items():
        # Given in both or in neither; where given, not the English left untranslated.
        assert (text is None) == (english[where] is None), where
        assert text is None or text != english[where], where


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_option_says_what_it_is_for(lang: Lang) -> None:
    # `token create --role`, `audit --from/--to`, `scores --json/--csv` and `policy --json`
    # were listed bare: an option with no line beside it in --help.
    bare = [
        where
        for where, text in _helps(build_parser(lang))
        if text is None and where.split()[-1].startswith("-")
    ]
    assert bare == []


def test_token_create_role_and_audit_period_have_help_in_dutch_and_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def said(*argv: str) -> str:
        return " ".join(helped(capsys, *argv).split())  # argparse wraps to the terminal

    assert "--role {coordinator,provider,municipality,admin} wat de sleutel mag: " in said(
        "token", "create", "-h"
    )
    assert "--role {coordinator,provider,municipality,admin} what the key may do: " in said(
        "token", "create", "-h", "--lang", "en"
    )
    assert "--from DATE eerste dag van de periode (JJJJ-MM-DD)" in said("audit", "-h")
    assert "--to DATE last day of the period (YYYY-MM-DD)" in said("audit", "-h", "--lang", "en")
