"""Each rule's per-pair form and array form agree, and every code has exactly one definition."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from matching import Context, load_scenario
from matching.rules import CriterionCode, ReasonCode
from matching.rules.criteria import CRITERIA
from matching.rules.eligibility import MEMBER_RULES, UNIT_RULES, MemberRule, UnitRule
from matching.rules.homes import HomeArrays


@pytest.fixture(scope="module")
def demo() -> Context:
    text = resources.files("matching").joinpath("data/demo-scenario.json").read_text("utf-8")
    return Context.of(load_scenario(text))


def test_every_reason_code_has_exactly_one_rule() -> None:
    codes = [rule.code for rule in (*UNIT_RULES, *MEMBER_RULES)]
    assert sorted(codes) == sorted(ReasonCode)


def test_every_criterion_code_has_exactly_one_criterion_in_explanation_order() -> None:
    assert [c.code for c in CRITERIA] == list(CriterionCode)


@pytest.mark.parametrize("rule", UNIT_RULES, ids=lambda r: r.code.value)
def test_unit_rule_array_form_excludes_the_homes_its_per_pair_form_excludes(
    demo: Context, rule: UnitRule
) -> None:
    homes = HomeArrays(demo, demo.scenario.homes)
    excluded_somewhere = False
    for unit in demo.units:
        mask = rule.mask(demo, unit, homes)
        per_pair = [bool(rule.reasons(demo, unit, h)) for h in homes.homes]
        assert mask.tolist() == per_pair, unit.members
        excluded_somewhere |= any(per_pair)
    assert excluded_somewhere, "the demo should exercise the rule"


@pytest.mark.parametrize("rule", MEMBER_RULES, ids=lambda r: r.code.value)
def test_member_rule_array_form_excludes_the_homes_its_per_pair_form_excludes(
    demo: Context, rule: MemberRule
) -> None:
    homes = HomeArrays(demo, demo.scenario.homes)
    for child in demo.scenario.children:
        d = demo.distances_from(demo.parents_location(child), homes.homes)
        mask = rule.mask(demo, child, homes, d)
        per_pair = [
            bool(rule.reasons(demo, child, h, float(d[i]))) for i, h in enumerate(homes.homes)
        ]
        assert np.asarray(mask).tolist() == per_pair, child.id
