"""Every exercise drawn: AVG that apl-suggester's schemas accept, shown on a screen as the
step under way needs it (start, then end; mirrored for the left side), and named in chat."""

from __future__ import annotations

import itertools
import json
import re

import jsonschema
import pytest

from helpers import REPO, past_screen, to_first_hold
from test_content_loading import content_dir, edit  # noqa: F401 - the fixture
from thigh_coach.alexa.screen import apl_document
from thigh_coach.content import ContentError, get_content, load_content
from thigh_coach.drawing import AVG_VERSION, BOX, avg

CONTENT = get_content()
SCHEMAS = {kind: json.loads((REPO / "tests/schemas/apl-suggester" / f"{kind}.json").read_text())
           for kind in ("root", "path", "group")}
# The AVG versions the APL runtime knows (alexa/apl-core-library: graphic versions 1.0, 1.1
# and 1.2); a device below the document's APL version gets no screen at all (test_apl.py).
RUNTIME_AVG_VERSIONS = ("1.0", "1.1", "1.2")
EVERY = [(e, position, mirrored) for e, position, mirrored in itertools.product(
    CONTENT.exercises.values(), ("start", "end"), (False, True))]


def problems(schema: dict, instance: object) -> list[str]:
    validator = jsonschema.Draft201909Validator(schema)
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(instance)]


def items_of(node: dict):
    for child in node.get("items", []):
        yield child
        yield from items_of(child)


@pytest.mark.parametrize("exercise, position, mirrored", EVERY,
                         ids=lambda v: getattr(v, "id", str(v)))
def test_every_drawing_is_avg_that_apl_suggester_accepts(exercise, position, mirrored):
    graphic = avg(exercise.drawing, position, mirrored=mirrored)
    assert problems(SCHEMAS["root"], graphic) == []
    for item in items_of(graphic):
        assert problems(SCHEMAS[item["type"]], item) == [], item
    assert graphic["version"] == AVG_VERSION and AVG_VERSION in RUNTIME_AVG_VERSIONS
    # what it draws stays inside its box (the mirror turns about the middle)
    for item in items_of(graphic):
        if item["type"] == "path":
            numbers = [float(n) for n in re.findall(r"-?[\d.]+", re.sub(r"a[^a-zA-Z]*", "",
                                                                        item["pathData"]))]
            assert all(0 <= n <= BOX for n in numbers), (exercise.id, position, item)


def test_the_other_side_is_the_same_figure_mirrored_not_redrawn():
    for exercise in CONTENT.exercises.values():
        right, left = (avg(exercise.drawing, "end", mirrored=m)["items"][0] for m in (False, True))
        assert left["items"] == right["items"]
        assert (left.get("scaleX"), left.get("pivotX")) == (-1, BOX / 2) and "scaleX" not in right
        # the stretched or moving part is marked, in the accent colour, apart from the body
        assert [i["stroke"] for i in right["items"]][-1] == "${accent}"


def test_each_exercise_has_two_distinct_positions():
    for exercise in CONTENT.exercises.values():
        assert avg(exercise.drawing, "start") != avg(exercise.drawing, "end"), exercise.id


def test_the_document_shows_the_picture_in_the_themes_colours():
    document = apl_document()
    [picture] = [c for c in document["mainTemplate"]["items"][1]["items"]
                 if c["type"] == "VectorGraphic"]
    assert picture["source"] == "picture" and picture["when"] == "${exercise.hasPicture}"
    assert (picture["ink"], picture["accent"]) == ("@ink", "@accent")
    themes = [r for r in document["resources"] if "colors" in r]
    assert {r.get("when") for r in themes} == {None, "${viewport.theme == 'light'}"}


def screen_device(new_device):
    device = new_device(screen=True)
    device.launch()
    return device


def shown(heard) -> tuple[dict, dict]:
    [directive] = heard.directives
    return directive["document"]["graphics"]["picture"], directive["datasources"]["exercise"]


def test_getting_set_shows_the_start_and_a_hold_the_end_mirrored_for_the_left(new_device):
    device = screen_device(new_device)
    setup = past_screen(device, device.say("start the hamstring stretches"))
    graphic, data = shown(setup)
    drawing = CONTENT.exercises["standing_hamstring"].drawing
    assert graphic == avg(drawing, "start", mirrored=True)  # the left side goes first
    assert data["hasPicture"] and data["pictureLabel"] == "Standing hamstring stretch: how to start"
    assert "picture" not in data  # the drawing is in the document, not its data
    hold = device.say("ready")
    assert "Begin." in hold and shown(hold)[0] == avg(drawing, "end", mirrored=True)
    heard = hold
    while "Right side." not in heard.speech:
        heard = device.say("next")
    assert shown(heard)[0] == avg(drawing, "end", mirrored=False)
    assert len(json.dumps(heard.raw)) < 24_000


def test_chat_names_the_picture_shown(tmp_path):
    from test_local_tools import chat

    out = chat(["open thigh pain coach", "start the hamstring stretches", "no", "ready"],
               tmp_path, "--screen")
    assert "[picture: Standing hamstring stretch: how to start, mirrored for the left side]" in out
    assert "[picture: Standing hamstring stretch: the position to reach, mirrored" in out


def test_a_device_without_a_screen_gets_no_picture(device):
    device.launch()
    heard = to_first_hold(device, device.say("start the hamstring stretches"))
    assert "Begin." in heard and heard.directives == []


@pytest.mark.parametrize("change, field", [
    (lambda e: e["drawing"].update(mark="elbow"), "drawing.mark"),
    (lambda e: e["drawing"]["start"].pop("hip"), "drawing.start"),
    (lambda e: e["drawing"]["end"].update(torso="forward"), "drawing.end.torso"),
    (lambda e: e["drawing"].update(props=["floor", "trampoline"]), "drawing.props"),
    (lambda e: e["drawing"]["start"].update(hip=[50, 150]), "drawing.start.hip"),
    (lambda e: e.pop("drawing"), "exercises.standing_hamstring"),
])
def test_a_broken_drawing_is_named_at_load(content_dir, change, field):  # noqa: F811
    edit(content_dir, "routines", lambda data: change(data["exercises"][0]))
    with pytest.raises(ContentError, match=re.escape(field)):
        load_content(content_dir, compiled=False)


def test_every_step_of_a_routine_shows_its_exercises_drawing(new_device):
    """A whole routine on a screen: every step shows its exercise's drawing, and nothing
    the device is sent is over Alexa's 24 KB."""
    device = screen_device(new_device)
    heard = past_screen(device, device.say("start the gentle routine"))
    seen = set()
    for _ in range(40):
        if not heard.directives:
            break
        data = heard.directives[0]["datasources"]["exercise"]
        if not data["hasPicture"]:  # the routine's end: its name, and no drawing
            assert "graphics" not in heard.directives[0]["document"]
            break
        seen.add(data["name"])
        assert "picture" in heard.directives[0]["document"]["graphics"]
        assert len(json.dumps(heard.raw)) < 24_000
        heard = device.say("next")
    assert seen == {CONTENT.exercises[e].name[0].upper() + CONTENT.exercises[e].name[1:]
                    for e in CONTENT.routines["gentle"].exercises}

