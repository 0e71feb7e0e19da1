"""Screens (APL), through lambda_handler: a countdown for every hold, advice that replaces the
routine, the device's APL version respected, and a manifest and document for every standard
viewport profile."""

from __future__ import annotations

import json
import re

import pytest

from helpers import REPO, Device, to_first_hold
from thigh_coach.alexa.screen import apl_document, runtime_supports
from thigh_coach.content import get_content
from thigh_coach.local.package import build_manifest
from thigh_coach.timer import HOLD_END, HOLD_START, WORDS_PER_SECOND

CONTENT = get_content()
APL = "Alexa.Presentation.APL"
DOCUMENT = REPO / "lambda" / "thigh_coach" / "alexa" / "exercise_apl.json"


def render(heard) -> dict:
    [directive] = heard.directives
    assert directive["type"] == f"{APL}.RenderDocument"
    return directive


def begins_at(ssml: str) -> list[float]:
    """Seconds into the speech of every "Begin.", estimated the way the timer plans it:
    words at WORDS_PER_SECOND, breaks and chimes their length."""
    clips = {clip.src: clip.seconds for clip in (HOLD_START, HOLD_END)}
    found = []
    for match in re.finditer(r"Begin\.", ssml):
        before = ssml[:match.end()]
        breaks = sum(float(n) / (1000 if unit == "ms" else 1) for n, unit in
                     re.findall(r'<break time="([\d.]+)(ms|s)"', before))
        chimes = sum(clips[src] for src in re.findall(r'<audio src="([^"]+)"', before))
        words = len(re.sub(r"<[^>]+>", " ", before).split())
        found.append(words / WORDS_PER_SECOND + breaks + chimes)
    return found


def two_hold_step(device: Device, routine: str = "the hamstring stretches"):
    """A step that holds twice in one response: ten-second holds pack two repetitions."""
    device.launch()
    to_first_hold(device, device.say(f"start {routine}"))
    device.say("hold for ten seconds")
    return device.say("yes")


def test_a_two_hold_step_counts_down_every_hold(new_device):
    device = new_device(screen=True)
    heard = two_hold_step(device)
    assert "Number one of two" in heard and "Number two of two" in heard
    data = render(heard)["datasources"]["exercise"]
    assert data["kind"] == "exercise"
    holds = data["holds"]
    assert [h["hold_s"] for h in holds] == [10, 10]
    # each countdown starts when its "begin" is said
    for hold, said in zip(holds, begins_at(heard.ssml), strict=True):
        assert abs(hold["start_ms"] / 1000 - said) < 0.5, (hold, said)
    assert holds[1]["start_ms"] >= holds[0]["start_ms"] + 10_000
    # the first hold is still given alone, for anything that reads only one
    assert (data["hold_s"], data["start_ms"]) == (10, holds[0]["start_ms"])


def test_an_exercise_starts_with_its_setup_and_no_countdown(new_device):
    device = new_device(screen=True)
    two_hold_step(device, "the piriformis routine")  # lying figure four, then knee to chest
    setup = device.say("yes")  # the next exercise: its name and how to get into position
    assert setup.speech.startswith("Knee to chest stretch.")
    assert render(setup)["datasources"]["exercise"]["holds"] == []
    heard = device.say("ready")
    holds = render(heard)["datasources"]["exercise"]["holds"]
    assert len(holds) == 2
    for hold, said in zip(holds, begins_at(heard.ssml), strict=True):
        assert abs(hold["start_ms"] / 1000 - said) < 0.5, (hold, said)


def test_the_document_counts_each_hold_down_in_turn():
    countdowns = json.dumps(apl_document())
    assert "${exercise.holds}" in countdowns  # one countdown per hold
    assert "exercise.holds[index - 1]" in countdowns  # shown once the hold before it is over


@pytest.mark.parametrize("phrase, level", [
    (next(f for f in CONTENT.triage.red_flags if f.phrases and f.level == "emergency").phrases[0],
     "emergency"),
    (next(f for f in CONTENT.triage.red_flags if f.phrases and f.level == "urgent").phrases[0],
     "urgent")])
def test_a_red_flag_mid_routine_replaces_the_routine_screen(new_device, phrase, level):
    device = new_device(screen=True)
    device.launch()
    assert render(to_first_hold(device, device.say("start the hamstring stretches")))["token"] == "exercise"
    heard = device.say(phrase)
    directive = render(heard)
    data = directive["datasources"]["exercise"]
    assert directive["token"] == "advice" and data["kind"] == "advice"
    assert data["title"] == heard.card["title"]
    assert data["text"] and data["text"] in heard.speech
    assert "holds" not in data


def test_dizziness_mid_routine_shows_the_advice(new_device):
    device = new_device(screen=True)
    device.launch()
    to_first_hold(device, device.say("start the hamstring stretches"))
    heard = device.intent("DizzyIntent")
    data = render(heard)["datasources"]["exercise"]
    assert data["kind"] == "advice" and data["title"] == "Get checked today"
    assert data["text"] in heard.speech


def test_advice_is_spoken_only_without_a_screen(device):
    device.launch()
    to_first_hold(device, device.say("start the hamstring stretches"))
    heard = device.intent("DizzyIntent")
    assert heard.speech and heard.directives == []


def runtime(version):
    """A lambda_handler for devices that list APL with this maxVersion (None: no runtime)."""
    from thigh_coach import app

    def handler(event, context):
        apl = event["context"]["System"]["device"]["supportedInterfaces"][APL]
        if version is None:
            apl.pop("runtime", None)
        else:
            apl["runtime"] = {"maxVersion": version}
        return app.lambda_handler(event, context)
    return handler


@pytest.mark.parametrize("version", ["1.8", "2023.1", "2022.2", None, "", "latest"])
def test_a_device_with_an_older_apl_or_none_gets_speech_only(version):
    device = Device(runtime(version), screen=True)
    device.launch()
    heard = to_first_hold(device, device.say("start the hamstring stretches"))
    assert "Begin." in heard and heard.directives == []


@pytest.mark.parametrize("version", ["2023.2", "2023.3", "2024.1"])
def test_a_device_with_our_apl_version_or_newer_gets_the_screen(version):
    device = Device(runtime(version), screen=True)
    device.launch()
    started = to_first_hold(device, device.say("start the hamstring stretches"))
    assert render(started)["document"]["version"] == "2023.2"


def test_apl_versions_compare_as_numbers():
    assert runtime_supports("1.10", "1.9") and not runtime_supports("1.9", "1.10")
    assert runtime_supports("2024.1", "2023.2") and not runtime_supports("2023.1", "2023.2")
    assert not runtime_supports(None, "2023.2") and not runtime_supports("2023.x", "2023.2")


def test_a_device_without_apl_gets_no_directive(device):
    device.launch()
    heard = to_first_hold(device, device.say("start the hamstring stretches"))
    assert "Begin." in heard and heard.directives == []


# --- the manifest and the document ------------------------------------------------------------

# a device of each standard profile: (mode, shape, width, height)
PROFILES = {
    "hubRoundSmall": ("HUB", "ROUND", 480, 480),
    "hubLandscapeSmall": ("HUB", "RECTANGLE", 960, 480),
    "hubLandscapeMedium": ("HUB", "RECTANGLE", 1024, 600),
    "hubLandscapeLarge": ("HUB", "RECTANGLE", 1280, 800),
    "hubPortraitMedium": ("HUB", "RECTANGLE", 1080, 1920),
    "tvLandscapeXLarge": ("TV", "RECTANGLE", 960, 540),
}


def declared(manifest: dict) -> list[dict]:
    [apl] = [i for i in manifest["apis"]["custom"]["interfaces"]
             if i["type"] == "ALEXA_PRESENTATION_APL"]
    return apl["supportedViewports"]


@pytest.mark.parametrize("profile", PROFILES)
def test_the_manifest_declares_every_standard_profile(profile):
    mode, shape, width, height = PROFILES[profile]
    manifest = build_manifest(REPO, {}, None).manifest  # what `thigh-coach package` writes
    matching = [v for v in declared(manifest)
                if (v["mode"], v["shape"]) == (mode, shape)
                and v["minWidth"] <= width <= v["maxWidth"]
                and v["minHeight"] <= height <= v["maxHeight"]]
    assert len(matching) == 1, (profile, matching)


def test_the_manifest_declares_six_viewports_and_nothing_else():
    manifest = json.loads((REPO / "interaction_model" / "skill.json").read_text())
    viewports = declared(manifest["manifest"])
    assert len(viewports) == len(PROFILES) == 6
    for v in viewports:
        assert v["minWidth"] <= v["maxWidth"] and v["minHeight"] <= v["maxHeight"], v


def test_the_document_is_json_and_imports_the_viewport_profiles():
    document = json.loads(DOCUMENT.read_text())
    assert document["type"] == "APL" and re.fullmatch(r"\d{4}\.\d+", document["version"])
    assert {"name": "alexa-viewport-profiles", "version": "1.6.0"} in document["import"]
    conditions = " ".join(r.get("when", "") for r in document["resources"])
    for profile in ("hubRoundSmall", "hubLandscapeSmall", "hubPortraitMedium",
                    "tvLandscapeXLarge"):
        assert f"@viewportProfile == @{profile}" in conditions
    sizes = list(sizes_in(document))
    assert {"fontSize", "paddingLeft", "width"} <= {key for key, _ in sizes}
    fixed = [(key, value) for key, value in sizes
             if not re.fullmatch(r"@\w+|[\d.]+(vw|vh|%)", str(value))]
    assert fixed == [], "fixed sizes: the document must scale with the viewport"
    for resource in document["resources"]:
        for name, value in resource.get("dimensions", {}).items():
            assert re.fullmatch(r"[\d.]+(vw|vh)", value), (name, value)
    # the text, with the drawing above it (round and portrait) or beside it (landscape),
    # fits each screen's height, lines at 1.2 times their font size
    base = document["resources"][0]
    for resource in document["resources"]:
        if "dimensions" not in resource:
            continue
        dims = {**base["dimensions"], **resource["dimensions"]}
        layout = {**base["strings"], **resource.get("strings", {})}["layout"]
        vh = {k: float(v[:-2]) * (9 / 16 if v.endswith("vw") else 1) for k, v in dims.items()}
        text = 1.2 * sum(vh[k] for k in ("nameSize", "sideSize", "stepSize", "countSize",
                                         "ofSize")) + 3 * vh["gap"]
        picture = vh["pictureSize"] + vh["textGap"]
        height = text + picture if layout == "column" else max(text, picture)
        assert height + 2 * vh["padY"] <= 100, (resource["description"], height)


SIZE = re.compile(r"(min|max)?(width|height)|fontSize|padding\w*|spacing", re.IGNORECASE)


def sizes_in(node):
    """(property, value) for every size a component of the document sets."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "resources":
                continue
            if SIZE.fullmatch(key):
                yield key, value
            yield from sizes_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from sizes_in(item)


def test_the_document_shows_advice_instead_of_the_exercise():
    first, second = apl_document()["mainTemplate"]["items"]
    assert first["when"] == "${exercise.kind == 'advice'}"
    assert "${exercise.title}" in json.dumps(first) and "${exercise.text}" in json.dumps(first)
    assert "when" not in second  # the exercise otherwise
