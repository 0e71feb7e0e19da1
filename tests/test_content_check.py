"""The content check: sources, both wordings, and every producible response within limits."""

from __future__ import annotations

import pytest

from test_content_loading import content_dir, edit  # noqa: F401 - the fixture
from thigh_coach.content import ContentError, get_content, load_content
from thigh_coach.contentcheck import check


@pytest.mark.slow
def test_every_response_the_content_can_produce_is_within_alexas_limits():
    assert check(get_content()) == []


def test_every_medical_statement_names_a_source_with_a_review_date():
    content = get_content()
    items = [*content.triage.red_flags, *content.triage.patterns, *content.causes.values(),
             *content.exercises.values(), *content.routines.values()]
    for item in items:
        assert item.sources, item.id
        for source in item.sources:
            assert content.sources[source].reviewed, source


def test_a_cause_without_a_source_fails(content_dir):  # noqa: F811
    edit(content_dir, "causes", lambda d: d["causes"][0].update(sources=[]))
    with pytest.raises(ContentError, match=r"causes\.hamstring_strain\.sources"):
        load_content(content_dir)


def test_a_rule_without_a_source_fails(content_dir):  # noqa: F811
    edit(content_dir, "triage", lambda d: d["patterns"][0].pop("sources"))
    with pytest.raises(ContentError, match=r"patterns\.recent: missing field 'sources'"):
        load_content(content_dir)


def test_a_question_without_both_wordings_fails(content_dir):  # noqa: F811
    edit(content_dir, "triage", lambda d: d["red_flags"][1]["question"].pop("helper"))
    with pytest.raises(ContentError,
                       match=r"red_flags\.pulmonary_embolism\.question: missing field 'helper'"):
        load_content(content_dir)


def test_a_question_given_as_one_plain_string_fails(content_dir):  # noqa: F811
    edit(content_dir, "triage", lambda d: d["patterns"][0].update(question="Sudden?"))
    with pytest.raises(ContentError, match=r"patterns\.recent\.question: expected dict"):
        load_content(content_dir)


def test_a_dangling_routine_reference_fails(content_dir):  # noqa: F811
    edit(content_dir, "causes", lambda d: d["causes"][1].update(routine="yoga"))
    with pytest.raises(ContentError, match=r"causes\.sciatica\.routine: unknown routine 'yoga'"):
        load_content(content_dir)


def test_red_flags_out_of_order_fail(content_dir):  # noqa: F811
    def soon_first(d):  # a "see a doctor soon" sign asked before the emergencies
        flags = d["red_flags"]
        flags.insert(0, flags.pop(next(i for i, f in enumerate(flags)
                                        if f["id"] == "cancer_or_night_pain")))

    edit(content_dir, "triage", soon_first)
    with pytest.raises(ContentError, match="most serious first"):
        load_content(content_dir)


@pytest.mark.slow
def test_a_response_over_the_limits_is_reported(content_dir):  # noqa: F811
    edit(content_dir, "causes",
         lambda d: d["causes"][0]["more"].append("This goes on and on. " * 500))
    problems = check(load_content(content_dir))
    assert problems and all("hamstring_strain" in p for p in problems)
    assert any("over 8000" in p for p in problems)


@pytest.mark.slow
def test_an_exercise_held_too_long_for_one_response_is_split_not_reported(content_dir):  # noqa: F811
    edit(content_dir, "routines", lambda d: d["exercises"][0].update(hold_s=120, reps=4))
    assert check(load_content(content_dir)) == []
