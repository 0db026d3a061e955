"""Shared, read-only scenarios for the solver tests (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching import Context, load_scenario

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="session")
def region() -> Context:
    """Regio Foodvalley: 60 waiting children (fixtures/region-foodvalley.json)."""
    return Context.of(load_scenario((FIXTURES / "region-foodvalley.json").read_text("utf-8")))


@pytest.fixture(scope="session")
def example_path() -> str:
    return str(FIXTURES / "example-scenario.json")


@pytest.fixture(scope="session")
def region_path() -> str:
    return str(FIXTURES / "region-foodvalley.json")
