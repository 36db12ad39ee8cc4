"""Blind preparation: what each standing sees of the sides, for each of the cycle's three rules.

The expectations are written out per (rule, who, who has submitted); the function under
test is the one the side-by-side view reads through.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from catalogue.models import Dialogue, DialogueSide, PreparationVisibility
from catalogue.services.dialogue.access import Standing, visible_sides

V = PreparationVisibility
L, C = DialogueSide.LEADER, DialogueSide.CHEF
NOW = datetime(2027, 3, 1, tzinfo=UTC)

# (rule, viewer, leader submitted, chef submitted) -> the preparation sides the viewer sees
CASES = [
    (V.AT_ONCE, Standing.LEADER, False, False, {L, C}),
    (V.AT_ONCE, Standing.CHEF, False, False, {L, C}),
    (V.AFTER_OWN_SUBMISSION, Standing.LEADER, False, True, {L}),
    (V.AFTER_OWN_SUBMISSION, Standing.LEADER, True, False, {L, C}),
    (V.AFTER_OWN_SUBMISSION, Standing.CHEF, True, False, {C}),
    (V.AFTER_OWN_SUBMISSION, Standing.CHEF, False, True, {L, C}),
    (V.AFTER_BOTH_SUBMITTED, Standing.LEADER, True, False, {L}),
    (V.AFTER_BOTH_SUBMITTED, Standing.CHEF, True, False, {C}),
    (V.AFTER_BOTH_SUBMITTED, Standing.CHEF, False, True, {C}),
    (V.AFTER_BOTH_SUBMITTED, Standing.LEADER, True, True, {L, C}),
    # the chef's chef and HR see a side only when both are in, whatever the rule
    (V.AT_ONCE, Standing.CHEFS_CHEF, True, False, set()),
    (V.AT_ONCE, Standing.HR, False, False, set()),
    (V.AFTER_OWN_SUBMISSION, Standing.CHEFS_CHEF, True, True, {L, C}),
    (V.AFTER_BOTH_SUBMITTED, Standing.HR, True, True, {L, C}),
]


@pytest.mark.parametrize(("rule", "who", "leader_in", "chef_in", "expected"), CASES)
def test_what_a_viewer_sees_of_the_preparation(
    rule: PreparationVisibility,
    who: Standing,
    leader_in: bool,
    chef_in: bool,
    expected: set[DialogueSide],
) -> None:
    dialogue = Dialogue(
        leader_submitted_at=NOW if leader_in else None,
        chef_submitted_at=NOW if chef_in else None,
    )
    seen = visible_sides(dialogue, rule, who)
    assert seen - {DialogueSide.START, DialogueSide.AGREED} == expected
    assert {DialogueSide.START, DialogueSide.AGREED} <= seen
