"""The review pack (`thigh-coach review`): both documents, self-contained, offline, and
covering every content id, every outcome's words and every hold's measured timing."""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import pytest

from thigh_coach.cli import main
from thigh_coach.content import get_content
from thigh_coach.dialog import Dialog
from thigh_coach.profile import Profile
from thigh_coach.review.blocks import Table
from thigh_coach.review.pack import (
    Review,
    answer_of_field,
    condition_text,
    flatten,
    reply_text,
    shown_value,
    word_diff,
)
from thigh_coach.state import Conversation
from thigh_coach.timer import Begin, Release, duration
from thigh_coach.triage import ANSWER_CODES, SymptomCheck

pytestmark = pytest.mark.slow  # the pack walks every reply in every locale (about a minute)


class Page(HTMLParser):
    """The HTML's text, and every tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory) -> Path:
    """The pack as `thigh-coach review` writes it, with the network unplugged."""
    out = tmp_path_factory.mktemp("review")

    def no_network(*args, **kwargs):
        raise AssertionError("the review pack must be generated offline")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", no_network)
        patch.setattr(socket, "create_connection", no_network)
        assert main(["review", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def pack(pack_dir) -> tuple[str, str, Page]:
    markdown, html = (Path(pack_dir, name).read_text(encoding="utf-8")
                      for name in ("review.md", "review.html"))
    page = Page()
    page.feed(html)
    page.close()
    return markdown, html, page


def content_ids() -> dict[str, list[str]]:
    """Every id the content has, found generically so new collections are covered too."""
    content = get_content()
    ids: dict[str, list[str]] = {"locale": list(content.locales),
                                 "source": list(content.sources)}
    for name in content.triage._fields:
        items = getattr(content.triage, name)
        if isinstance(items, tuple) and items and all(hasattr(i, "id") for i in items):
            ids[name] = [i.id for i in items]
    for name in content._fields:
        items = getattr(content, name)
        if name not in ("locales", "sources") and isinstance(items, Mapping) \
                and all(hasattr(i, "id") for i in items.values()):
            ids[name] = list(items)
    return ids


def test_both_documents_are_written(pack):
    markdown, html, _ = pack
    assert markdown.startswith("<a id=") and "# Thigh Pain Coach" in markdown
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")


def test_the_html_is_self_contained(pack):
    _, _, page = pack
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "source"}
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "data", "action"):
            value = attrs.get(name) or ""
            if tag == "a" and name == "href":
                continue  # a source's address as a link is fine: nothing is loaded
            assert not re.match(r"\s*(https?:)?//", value), (tag, name, value)
    assert "url(" not in page.style and "@import" not in page.style


def test_every_link_inside_the_page_has_its_target(pack):
    _, _, page = pack
    targets = {attrs["id"] for _, attrs in page.tags if attrs.get("id")}
    links = [attrs["href"] for tag, attrs in page.tags
             if tag == "a" and (attrs.get("href") or "").startswith("#")]
    assert links
    assert {link[1:] for link in links} <= targets


def test_every_content_id_is_in_both_documents(pack):
    markdown, _, page = pack
    text = "".join(page.text)
    ids = content_ids()
    for kind in ("red_flags", "patterns", "causes", "exercises", "routines", "source",
                 "locale"):
        assert ids.get(kind), f"no {kind} in the content?"
    for kind, values in ids.items():
        for ident in values:
            assert ident in markdown, f"{kind} {ident} missing from review.md"
            assert ident in text, f"{kind} {ident} missing from review.html"


def test_the_flow_is_a_mermaid_diagram_and_an_html_table(pack):
    markdown, html, page = pack
    mermaid = re.search(r"```mermaid\n(.*?)```", markdown, re.S)
    assert mermaid and mermaid.group(1).startswith("flowchart")
    first = SymptomCheck(get_content()).step("").question
    assert f"start --> q_{first.id}" in mermaid.group(1)
    assert "Not sure →" in "".join(page.text)


def test_every_section_ends_with_a_blank_sign_off_table(pack):
    markdown, _, page = pack
    sections = re.split(r"\n## ", markdown)[1:]
    assert len(sections) >= 8
    for section in sections:
        title = section.splitlines()[0]
        assert "| Reviewer name | Role | Date | Signature | Comments |" in section, title
    blank_rows = sum(1 for tag, attrs in page.tags if tag == "table"
                     and attrs.get("class") == "signoff")
    assert blank_rows == len(sections)


def test_outcome_words_are_those_the_conversation_says(pack):
    """The all-"no" outcome, answered through the Dialog here independently, is in the pack
    for the user and for a helper."""
    _, _, page = pack
    text = " ".join(" ".join(page.text).split())
    content = get_content()
    check = SymptomCheck(content)
    for who in ("self", "she"):
        state = Conversation(who=who)
        d = Dialog(content, "en-US", state, Profile())
        reply = d.settle(d.check_symptoms())
        answers = ""
        while check.step(answers).outcome is None:
            d = Dialog(content, "en-US", state, Profile())
            reply = d.settle(d.answer("no"))
            answers += ANSWER_CODES["no"]
        assert reply_text(reply).split(" ‖ ")[0] in text, who


def test_every_hold_is_shown_with_its_measured_length(pack):
    markdown, _, _ = pack
    content = get_content()
    d = Dialog(content, "en-US", Conversation(), Profile())
    holds = []
    for routine in content.routines.values():
        for index in range(len(routine.exercises)):
            for step in d.coach.steps(routine, index):
                at, begun = 0.0, None
                for event in step.events:
                    if isinstance(event, Begin):
                        begun = at
                    elif isinstance(event, Release) and begun is not None:
                        holds.append(f"starts at {begun:.1f} s, lasts {at - begun:.1f} s")
                        begun = None
                    at += duration(event)
    assert holds
    assert len(re.findall(r"hold \d+: starts at [\d.]+ s, lasts [\d.]+ s", markdown)) \
        == len(holds)
    for hold in set(holds):
        assert hold in markdown


def test_every_question_appears_with_its_answers():
    review = Review(get_content())
    blocks = review.decisions()
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.headers[3:6] == ("Yes", "No", "Not sure")
    assert len(table.rows) == len(review.questions)


# --- the generic reading of content that is still changing ---------------------------------


def test_conditions_read_as_words_whatever_their_shape():
    assert condition_text({"sitting": "yes"}) == "sitting was yes"
    assert condition_text({"a": ["yes", "unsure"]}) == "a was yes or not sure"
    assert condition_text(({"a": "yes"}, {"b": "no", "c": "yes"})) == \
        "(a was yes) or (b was no and c was yes)"


def test_fields_find_their_answer_column():
    assert answer_of_field("unsure_level") == "unsure"
    assert answer_of_field("if_yes") == "yes"
    assert answer_of_field("level") is None
    assert shown_value({"yes": {"sciatica": 3}}, signed=True) == "yes: sciatica: +3"
    assert shown_value(30) == "30"


def test_unknown_records_are_flattened_to_their_wordings():
    from thigh_coach.content import Wording

    class Text(NamedTuple):
        answer: Wording
        more: tuple[Wording, ...]

    class Thing(NamedTuple):
        id: str
        text: Text
        local: Mapping[str, Text]

    hi = Wording("hi", "hi")
    leaves = dict(flatten(Thing("t", Text(hi, (hi,)), {"en-GB": Text(hi, ())})))
    assert set(leaves) == {"id", "text answer", "text more 1", "local en-GB answer",
                           "local en-GB more"}


def test_a_changed_number_reads_as_one_change():
    diff = "".join(s.text if not s.style else f"[{s.style}:{s.text}]"
                   for s in word_diff("Call 9 1 1 now.", "Call 1 1 2 now."))
    assert diff == "Call [del:9 1 1] [ins:1 1 2] now."


def test_each_exercise_shows_what_the_screen_shows_beside_its_script(pack, pack_dir):
    """The drawings as PNG beside the Markdown (and on a dark screen's colours too), the same
    drawings inline in the HTML: the clinician signs what the user sees."""
    markdown, html, _ = pack
    content = get_content()
    for exercise in content.exercises.values():
        for position in ("start", "end"):
            for theme in ("", "-dark"):
                png = pack_dir / "drawings" / f"{exercise.id}-{position}{theme}.png"
                assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
            link = f"](drawings/{exercise.id}-{position}.png)"
            section = markdown.split('<a id="routine-')[1:]
            assert any(link in part and f"#### {exercise.name[0].upper()}" in part
                       for part in section), link
    figures = re.findall(r"<figure><svg .*?</svg><figcaption>(.*?)</figcaption>", html)
    assert len(figures) >= 2 * len(content.exercises)
    assert {f"{e.name}, {p}" for e in content.exercises.values() for p in ("start", "end")} \
        <= set(figures)
    assert "chime, 0.71 s" in markdown and "chime, 0.89 s" in markdown  # where each plays
