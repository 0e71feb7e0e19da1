"""The local NLU: exact grammar, then a statistical stage trained from the model, then fallback.

Every test runs on a small interaction model written here (a fruit shop), not on the skill's
own models, which are large and change: what is checked is the behaviour of each stage.
"""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import hstack

from thigh_coach.local import understanding as u
from thigh_coach.local.nlu import Match, Matcher
from thigh_coach.local.understanding import Heard, StatisticalStage, Understanding

FALLBACK = "AMAZON.FallbackIntent"
MODEL = {"interactionModel": {"languageModel": {
    "invocationName": "fruit shop",
    "intents": [
        {"name": "AMAZON.HelpIntent", "samples": [
            "help", "help me", "I need help", "what can I say", "what can you do",
            "how does this work", "I don't know what to do", "what are my options"]},
        {"name": "AMAZON.StopIntent", "samples": [
            "stop", "quit", "goodbye", "bye", "I'm done", "that's enough", "exit", "stop it now"]},
        {"name": "AMAZON.FallbackIntent", "samples": []},
        {"name": "WeatherIntent", "samples": [
            "what's the weather like", "what is the weather like today",
            "is it going to rain today", "will it rain tomorrow", "will it be sunny tomorrow",
            "weather forecast please", "give me the weather forecast", "do I need an umbrella",
            "how hot is it outside", "is it cold outside today", "what's the temperature outside"]},
        {"name": "FruitInfoIntent", "slots": [{"name": "fruit", "type": "FRUIT"}], "samples": [
            "tell me about {fruit}", "what is {fruit}", "I want to know about {fruit}",
            "explain {fruit} to me", "give me facts on {fruit}", "describe {fruit}",
            "what can you tell me about {fruit}", "facts about {fruit} please"]},
        {"name": "OrderIntent", "slots": [{"name": "count", "type": "AMAZON.NUMBER"},
                                          {"name": "fruit", "type": "FRUIT"}], "samples": [
            "order {count} {fruit}", "I want to buy {count} {fruit}", "buy {count} {fruit} please",
            "get me {count} {fruit}", "add {count} {fruit} to my basket",
            "put {count} {fruit} in the basket", "I'd like {count} {fruit}"]},
        {"name": "ReminderIntent", "slots": [{"name": "time", "type": "AMAZON.TIME"}], "samples": [
            "remind me at {time}", "set a reminder for {time}", "wake me at {time}",
            "give me a reminder at {time}", "remind me to eat fruit at {time}"]},
    ],
    "types": [{"name": "FRUIT", "values": [
        {"id": "apple", "name": {"value": "apple",
                                 "synonyms": ["apples", "green apple", "granny smith"]}},
        {"id": "banana", "name": {"value": "banana", "synonyms": ["bananas", "plantain"]}},
        {"id": "cherry", "name": {"value": "cherry", "synonyms": ["cherries", "morello cherries"]}},
        {"id": "kiwi", "name": {"value": "kiwi", "synonyms": ["kiwi fruit", "chinese gooseberry"]}},
    ]}],
}}}
# lines that are no sample of the model, and nothing a fruit shop does
OUT_OF_DOMAIN = ["zxq blorf wibble", "play some jazz by miles davis", "book a flight to london"]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(MODEL)


@pytest.fixture(scope="module")
def stage(matcher) -> StatisticalStage:
    return StatisticalStage.train(MODEL, matcher=matcher)


@pytest.fixture(scope="module")
def nlu(matcher, stage) -> Understanding:
    return Understanding(matcher, stage)


@pytest.fixture
def model_dir(tmp_path, monkeypatch) -> Path:
    """The model as a file, and a cache in tmp_path (never the repository's .cache/)."""
    monkeypatch.setattr(u, "CACHE_DIR", tmp_path / "cache")
    models = tmp_path / "models"
    models.mkdir()
    (models / "en-US.json").write_text(json.dumps(MODEL), encoding="utf-8")
    return models


def _refuse(*args, **kwargs):
    raise AssertionError("the statistical stage was used")


# the grammar


def test_matcher_wildcard_off_matches_word_for_word_only(matcher):
    assert matcher.match("tell me about durian").slots == {"fruit": ("durian", None)}
    assert matcher.match("tell me about durian", wildcard=False).intent == FALLBACK
    assert matcher.match("tell me about apples", wildcard=False) == \
        Match("FruitInfoIntent", {"fruit": ("apples", "apple")})


def test_a_sample_is_heard_by_the_exact_stage_with_confidence_one(nlu):
    heard = nlu.hear("Tell me about apples!")
    assert (heard.intent, heard.stage, heard.confidence) == ("FruitInfoIntent", "exact", 1.0)
    assert heard.slots == {"fruit": ("apples", "apple")}
    assert nlu.match("order 12 cherries") == \
        Match("OrderIntent", {"count": ("12", None), "fruit": ("cherries", "cherry")})


# the statistical stage


@pytest.mark.parametrize("line, intent", [
    ("could you tell me what the weather is going to be like", "WeatherIntent"),
    ("is it going to be raining later", "WeatherIntent"),
    ("what should I say", "AMAZON.HelpIntent"),
])
def test_a_paraphrase_is_heard_by_the_statistical_stage(nlu, line, intent):
    heard = nlu.hear(line)
    assert (heard.intent, heard.stage) == (intent, "statistical"), heard.describe()
    assert u.THRESHOLD <= heard.confidence < 1


@pytest.mark.parametrize("line, heard_words, value_id", [
    ("can you please explain granny smith", "granny smith", "apple"),  # a synonym
    ("tell me about the chinese gooseberry", "chinese gooseberry", "kiwi"),
])
def test_a_slot_in_an_unseen_carrier_is_tagged_and_resolved(nlu, line, heard_words, value_id):
    heard = nlu.hear(line)
    assert (heard.intent, heard.stage) == ("FruitInfoIntent", "statistical"), heard.describe()
    assert heard.slots == {"fruit": (heard_words, value_id)}


def test_number_and_time_slots_give_their_values(nlu):
    order = nlu.hear("please order 12 bananas")
    assert (order.intent, order.stage) == ("OrderIntent", "statistical"), order.describe()
    assert order.slots == {"count": ("12", None), "fruit": ("bananas", "banana")}
    reminder = nlu.hear("could you remind me at half past six")
    assert (reminder.intent, reminder.stage) == ("ReminderIntent", "statistical")
    assert reminder.slots == {"time": ("06:30", None)}


def test_words_that_are_no_value_fill_the_slot_with_no_id(nlu):
    """Alexa's ER_SUCCESS_NO_MATCH: the slot has the words, and no resolution."""
    heard = nlu.hear("tell me about durian")
    assert (heard.intent, heard.stage) == ("FruitInfoIntent", "statistical"), heard.describe()
    assert heard.slots == {"fruit": ("durian", None)}


def test_resolution_is_word_for_word_after_normalize(stage):
    assert stage.resolve("FRUIT", "Granny Smith") == ("Granny Smith", "apple")
    assert stage.resolve("FRUIT", "granny") == ("granny", None)
    assert stage.resolve("FRUIT", "apple pie") == ("apple pie", None)
    assert stage.resolve("AMAZON.NUMBER", "forty five") == ("45", None)
    assert stage.resolve("AMAZON.TIME", "seven thirty in the evening") == ("19:30", None)


@pytest.mark.parametrize("line", OUT_OF_DOMAIN)
def test_out_of_domain_goes_to_fallback_under_the_threshold(nlu, line):
    heard = nlu.hear(line)
    assert (heard.intent, heard.stage, heard.slots) == (FALLBACK, "fallback", {})
    assert heard.confidence < u.THRESHOLD
    intent, probability, _ = nlu.stage.predict(line)
    # the best intent's probability, scaled by the share of the line's words the model knows
    assert intent != FALLBACK and heard.confidence <= probability


def test_a_line_of_words_the_model_never_says_is_out_of_domain(matcher, stage):
    heard = Understanding(matcher, stage, threshold=0.01).hear("purple monkey dishwasher")
    assert heard.intent == FALLBACK and heard.confidence == 0.0


def test_a_threshold_of_zero_lets_the_best_intent_through(matcher, stage):
    heard = Understanding(matcher, stage, threshold=0.0).hear(OUT_OF_DOMAIN[0])
    assert heard.intent != FALLBACK and heard.stage == "statistical"
    assert Understanding(matcher, stage).hear("").intent == FALLBACK


def test_predict_gives_only_the_slots_the_intent_declares(stage):
    declared = {i["name"]: {s["name"] for s in i.get("slots", [])}
                for i in MODEL["interactionModel"]["languageModel"]["intents"]}
    for line in ["what's the weather like for bananas", "help me with cherries",
                 "I'd like to buy five apples", "remind me about kiwi at seven pm",
                 "stop talking about plantain"]:
        intent, probability, slots = stage.predict(line)
        assert 0 < probability <= 1
        assert set(slots) <= declared[intent], (line, intent, slots)


def test_the_probabilities_are_the_fitted_classifiers(stage, matcher):
    """The stage keeps only numbers; they give what scikit-learn's model gives."""
    fresh = StatisticalStage()
    fresh.gazetteer = stage.gazetteer
    examples = u._examples(matcher, u._phrases(matcher, MODEL), 0)
    vectorizers, classifier = fresh._fit_intents(examples)
    for line in ["tell me about durian", "is it going to be raining later", *OUT_OF_DOMAIN]:
        x = hstack([v.transform([line]) for v in vectorizers]).tocsr()
        want = dict(zip(classifier.classes_, classifier.predict_proba(x)[0], strict=True))
        got = dict(fresh.probabilities(line))
        assert got.keys() == want.keys()
        assert all(abs(got[k] - want[k]) < 1e-4 for k in got), line
        assert [p for _, p in fresh.probabilities(line)] == \
            sorted((p for _, p in fresh.probabilities(line)), reverse=True)


def test_training_is_deterministic(stage):
    again = StatisticalStage.train(MODEL)
    assert np.array_equal(again.weights, stage.weights) and again.classes == stage.classes
    assert again.crf == stage.crf


def test_every_value_of_a_small_type_is_sampled_in(matcher):
    examples = u._examples(matcher, u._phrases(matcher, MODEL), 0)
    texts = [" ".join(e.tokens) for e in examples]
    for phrase in matcher.values["FRUIT"]:
        assert any(re.search(rf"\b{phrase}\b", t) for t in texts), phrase
    assert all(len(e.tokens) == len(e.labels) for e in examples)
    assert any(e.labels[-1] == "B-fruit" for e in examples if e.intent == "FruitInfoIntent")


# what a caller sees


def test_describe():
    assert Heard("FruitInfoIntent", {"fruit": ("granny smith", "apple")}, "exact",
                 1.0).describe() == "(heard: FruitInfoIntent fruit=granny smith [apple] · exact 1.00)"
    assert Heard("AMAZON.HelpIntent", {}, "statistical", 0.934).describe() == \
        "(heard: AMAZON.HelpIntent · statistical 0.93)"
    assert Heard(FALLBACK, {}, "fallback", 0.31).describe() == \
        "(heard: AMAZON.FallbackIntent · fallback 0.31)"
    assert Heard("OrderIntent", {"count": ("12", None), "fruit": ("durian", None)}, "statistical",
                 0.8, built_in=("count",)).describe() == \
        "(heard: OrderIntent count=12 fruit=durian [no match] · statistical 0.80)"


def test_describe_of_what_was_heard(nlu):
    assert nlu.hear("tell me about durian").describe().startswith(
        "(heard: FruitInfoIntent fruit=durian [no match] · statistical 0.")
    fallback = nlu.hear(OUT_OF_DOMAIN[0])
    assert fallback.describe() == \
        f"(heard: AMAZON.FallbackIntent · fallback {fallback.confidence:.2f})"
    assert nlu.hear("order 12 cherries").describe() == \
        "(heard: OrderIntent count=12 fruit=cherries [cherry] · exact 1.00)"


def test_it_stands_in_for_a_matcher(nlu, matcher):
    assert nlu.patterns is matcher.patterns and nlu.values is matcher.values
    assert nlu.launch_phrase("open fruit shop") == (True, None)
    assert nlu.launch_phrase("ask fruit shop about apples") == (True, "apples")
    assert isinstance(nlu.match("tell me about apples"), Match)
    assert nlu.match("zxq blorf wibble") == Match(FALLBACK)


# the cache


def test_the_trained_stage_is_cached_and_reused(model_dir, monkeypatch):
    first = Understanding.for_locale(model_dir, "en-US")
    cached = list((u.CACHE_DIR).glob("*.pkl"))
    assert len(cached) == 1 and re.fullmatch(r"[0-9a-f]{64}\.pkl", cached[0].name)
    monkeypatch.setattr(StatisticalStage, "train", _refuse)
    second = Understanding.for_locale(model_dir, "en-US")
    for line in ["tell me about durian", "is it going to be raining later", *OUT_OF_DOMAIN]:
        assert second.hear(line) == first.hear(line)


def test_a_changed_model_is_trained_again(model_dir):
    Understanding.for_locale(model_dir, "en-US")
    changed = json.loads((model_dir / "en-US.json").read_text())
    changed["interactionModel"]["languageModel"]["intents"][3]["samples"].append("any rain")
    (model_dir / "en-US.json").write_text(json.dumps(changed))
    Understanding.for_locale(model_dir, "en-US")
    assert len(list(u.CACHE_DIR.glob("*.pkl"))) == 2


def test_the_cache_keeps_the_most_recently_used(model_dir, monkeypatch):
    monkeypatch.setattr(u, "CACHE_KEEP", 1)
    Understanding.for_locale(model_dir, "en-US")
    (model_dir / "en-GB.json").write_text(json.dumps(MODEL).replace("fruit shop", "fruit stall"))
    Understanding.for_locale(model_dir, "en-GB")
    (kept,) = u.CACHE_DIR.glob("*.pkl")
    monkeypatch.setattr(StatisticalStage, "train", _refuse)
    Understanding.for_locale(model_dir, "en-GB")  # the one kept is the last one trained
    assert list(u.CACHE_DIR.glob("*.pkl")) == [kept]


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", pickle.dumps({"a": 1})],
                         ids=["empty", "text", "another-pickle"])
def test_a_corrupt_cache_is_retrained(model_dir, monkeypatch, garbage):
    Understanding.for_locale(model_dir, "en-US")
    (cached,) = u.CACHE_DIR.glob("*.pkl")
    cached.write_bytes(garbage)
    trained = []
    real = StatisticalStage.train.__func__  # type: ignore[attr-defined]

    def counting(cls, *args, **kwargs):
        trained.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(StatisticalStage, "train", classmethod(counting))
    nlu = Understanding.for_locale(model_dir, "en-US")
    assert trained == [1]
    assert nlu.hear("tell me about durian").intent == "FruitInfoIntent"
    assert isinstance(pickle.loads(cached.read_bytes()), StatisticalStage)  # written anew


def test_exact_true_never_uses_the_statistical_stage(model_dir, monkeypatch):
    monkeypatch.setattr(StatisticalStage, "train", _refuse)
    monkeypatch.setattr(StatisticalStage, "predict", _refuse)
    nlu = Understanding.for_locale(model_dir, "en-US", exact=True)
    assert nlu.stage is None
    for line in ["could you tell me what the weather is going to be like", *OUT_OF_DOMAIN]:
        assert nlu.hear(line) == Heard(FALLBACK, {}, "fallback", 0.0)
    # the grammar's wildcard pass, as today: words outside the values, with no id
    assert nlu.hear("tell me about durian") == \
        Heard("FruitInfoIntent", {"fruit": ("durian", None)}, "exact", 1.0)
    assert not u.CACHE_DIR.exists()


def test_loading_from_the_cache_needs_no_scikit_learn(model_dir):
    Understanding.for_locale(model_dir, "en-US")
    code = ("import sys\nfrom pathlib import Path\nfrom thigh_coach.local import understanding as u\n"
            f"u.CACHE_DIR = Path({str(u.CACHE_DIR)!r})\n"
            "u.StatisticalStage.train = None\n"
            f"nlu = u.Understanding.for_locale(Path({str(model_dir)!r}), 'en-US')\n"
            "print(nlu.hear('tell me about durian').describe())\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    described, loaded = result.stdout.splitlines()
    assert described.startswith("(heard: FruitInfoIntent fruit=durian [no match] · statistical")
    assert loaded == "[]"


def test_the_lambda_never_imports_the_dev_libraries():
    package = Path(u.__file__).resolve().parents[1]
    for path in package.rglob("*.py"):
        if "local" in path.relative_to(package).parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(sklearn|pycrfsuite|scipy|numpy)\b"
                             r"|^\s*(from|import)\s.*\bunderstanding\b", text, re.M), path


# the threshold


def test_tune_threshold_is_the_lowest_that_keeps_near_misses_out(stage, matcher):
    near_misses = ["tell me about the weather", "what can you tell me about rain",
                   "I want to know about umbrellas", "is it going to rain on my apples"]
    forbidden = {"FruitInfoIntent", "OrderIntent"}
    caught = [p for intent, p, _ in map(stage.predict, near_misses) if intent in forbidden]
    assert caught, "no near miss reaches a forbidden intent: the test would test nothing"
    threshold = u.tune_threshold(stage, [], near_misses, forbidden)
    assert max(caught) < threshold <= max(caught) + 0.001
    nlu = Understanding(matcher, stage, threshold=threshold)
    assert all(nlu.hear(line).intent not in forbidden for line in near_misses)
    assert u.tune_threshold(stage, [], near_misses, {"NoSuchIntent"}) == 0.0


def test_tune_threshold_warns_of_in_domain_lines_it_now_rejects(stage):
    line = "tell me about durian"
    intent, _, _ = stage.predict(line)
    with pytest.warns(UserWarning, match="rejects 1 of 2 in-domain lines"):
        u.tune_threshold(stage, [(line, intent), ("please order 12 bananas", "OrderIntent")],
                         [line], {intent})
