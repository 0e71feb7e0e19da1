"""Recall on held-out phrasings, in every locale, against floors.

Round 1 (tests/nlu/holdout.tsv) and round 2 (tests/nlu/holdout_round2.tsv) were written apart
from the patterns; none may be copied into the model, so the measure stays a measure of how
the patterns generalise. `make nlu` prints a table for each round and for both together.

Round 2, first pass (measured 2026-11-25 on the models of commit 0ee43ad, before any pattern
was changed for it): the honest measure of how the round-1 patterns generalise.

    locale   overall               red flags
    en-US    55.3% (378/683)       32% (41/129)
    en-GB    55.3% (388/701)       34% (45/133)
    en-CA    55.2% (380/688)       33% (43/132)
    en-AU    54.2% (380/701)       32% (43/135)
    en-IN    55.1% (383/695)       34% (46/135)

Round 2 was then used to develop the patterns (each miss got a new alternative, rule, lead or
detail, never the phrase), so from here on it is development data like round 1: the floors
below hold over both rounds together.

Round 3 (tests/nlu/holdout_round3.tsv, 486 lines written blind) is the held-out set now: it
has not been used to develop the patterns, so no floor applies to it, and its first pass is
the current honest measure (2026-11-25, models of commit 2824e78):

    locale   overall               red flags
    en-US    69.3% (293/423)       48% (39/81)
    en-GB    69.3% (298/430)       51% (42/82)
    en-CA    68.5% (293/428)       45% (39/86)
    en-AU    68.3% (297/435)       48% (40/84)
    en-IN    69.4% (301/434)       52% (44/85)

The next round folds it in the same way, and a round 4 is written before that.
"""

from __future__ import annotations

import re

import pytest
import yaml

from helpers import matcher
from thigh_coach.content import get_content
from thigh_coach.local.nlu import Match, normalize
from thigh_coach.local.nlu_report import (
    HOLDOUT_ROUND3,
    LOCALES,
    RED_FLAG,
    ROUNDS,
    Line,
    evaluate,
    overall,
    read_holdout,
    recall_by_intent,
    recalled,
)
from thigh_coach.model import expander

RED_FLAG_FLOOR = 0.98
INTENT_FLOOR = 0.85
OVERALL_FLOOR = 0.90


def all_rounds() -> list[Line]:
    return [line for path in ROUNDS for line in read_holdout(path)]


# The floors hold over round 1 alone and over rounds 1 and 2 together (issue 10 part 5).
FLOORED = {"round 1": lambda: read_holdout(), "rounds 1 and 2": all_rounds}


@pytest.fixture(scope="module", params=list(FLOORED))
def results(request):
    return evaluate(FLOORED[request.param](), {loc: matcher(loc) for loc in LOCALES})


def test_the_held_out_set_is_large_and_covers_every_locale():
    lines = read_holdout()
    assert len(lines) >= 500
    assert sum(line.intent == RED_FLAG for line in lines) >= 120
    for locale in LOCALES:
        assert any(locale in line.locales and len(line.locales) < len(LOCALES) for line in lines)


@pytest.mark.parametrize("locale", LOCALES)
def test_red_flags_are_recalled(results, locale):
    ok, n = recall_by_intent(results[locale])[RED_FLAG]
    missed = [r.line.phrase for r in results[locale] if r.line.intent == RED_FLAG and not r.ok]
    assert ok / n >= RED_FLAG_FLOOR, missed


@pytest.mark.parametrize("locale", LOCALES)
def test_every_other_intent_is_recalled(results, locale):
    low = {intent: f"{ok}/{n}" for intent, (ok, n) in recall_by_intent(results[locale]).items()
           if intent != RED_FLAG and ok / n < INTENT_FLOOR}
    assert not low, low


@pytest.mark.parametrize("locale", LOCALES)
def test_overall_recall(results, locale):
    ok, n = overall(results[locale])
    assert ok / n >= OVERALL_FLOOR, f"{ok}/{n}"


def every_held_out_line() -> list[Line]:
    """Every round, the one still held out included: none may be copied into the model."""
    return all_rounds() + read_holdout(HOLDOUT_ROUND3)


def test_no_held_out_phrase_is_copied_into_the_patterns():
    """Copying a held-out phrase into the source would turn the measure into a lookup: no
    held-out phrase is a whole template or one whole alternative of content/interaction.yaml,
    except those the first pattern set (commit 4b89e41, written before the held-out set was
    read) already had as a sample or slot value ("yes", "next", "ice or heat"...), and round-2
    phrases that the patterns already had before round 2 was written (commit 043381b). The matcher
    is exact, so a recalled phrase is an expansion of some template; what is checked here is
    that it comes from alternatives that say more than it does."""
    text = (get_content().directory / "interaction.yaml").read_text()
    atoms = set()
    for line in text.splitlines():
        for part in re.split(r"[()\[\]|\"]|^\s*-\s*|: ", line.split("#")[0]):
            if part.strip() and not re.search(r"<\w+>|\{\w+\}", part):
                atoms.add(normalize(part))
    # a single word ("elaborate") is its own alternative however it is written
    held_out = {normalize(line.phrase) for line in every_held_out_line()
                if " " in line.phrase.strip()}
    copied = (atoms & held_out) - IN_FIRST_PATTERNS - IN_PATTERNS_BEFORE_ROUND2 \
        - IN_PATTERNS_BEFORE_ROUND3
    assert not copied, sorted(copied)


def test_no_template_stands_for_held_out_phrases_only():
    """A fix for a missed phrase is a new alternative, rule or word order that says more than
    that phrase: no template (sample or slot value) expands to held-out phrases alone."""
    source = yaml.safe_load((get_content().directory / "interaction.yaml").read_text())
    templates = [t for spec in source["intents"].values() for t in (spec or {}).get("samples") or []]
    templates += [t for ids in source["types"].values() for ts in ids.values() for t in ts or []]
    # the rounds the patterns were developed against (round 3 has never been: no template
    # can have been written for it, and a blind phrase may match an older one by chance)
    held_out = {normalize(line.phrase) for line in all_rounds()}
    for locale in LOCALES:
        exp = expander(get_content(), locale)
        lookups = [t for t in templates
                   if (e := {normalize(x) for x in exp.expand(t, "test")}) and e <= held_out]
        assert not lookups, (locale, lookups)


def test_recall_rules():
    line = Line("AnswerIntent", "yes", "yes", LOCALES)
    assert recalled(line, Match("AMAZON.YesIntent"))
    assert not recalled(line, Match("AMAZON.NoIntent"))
    assert not recalled(Line("RedFlagIntent", "limb_threat", "x", LOCALES),
                        Match("RedFlagIntent", {"symptom": ("x", None)}))
    assert recalled(Line("HoldSecondsIntent", "45", "x", LOCALES),
                    Match("HoldSecondsIntent", {"seconds": ("45", None)}))


# Held-out phrases that the first pattern set already had, as a sample or slot value.
IN_FIRST_PATTERNS = frozenset({
    'alright',
    'are we nearly done',
    'back to me',
    'begin again',
    'both',
    'both legs have gone weak',
    'both legs please',
    'both my legs are numb',
    'both of them',
    'both sides',
    'bye',
    'call an ambulance',
    'call emergency services',
    'call my daughter',
    'call my doctor',
    'call my mom',
    'call nine nine nine',
    'call nine one one',
    'call triple zero',
    'can i take ibuprofen',
    'can i take nurofen',
    'can i take tylenol',
    'can i use a massage ball',
    'can we skip this',
    'cancel',
    'cancel that',
    'carry on',
    'carry on with my routine',
    'chair exercises',
    'check my symptoms',
    'cheers',
    'come again',
    'continue',
    'continue my routine',
    'delete my data',
    'delete my information',
    'delete my profile',
    'do both legs',
    'do i ice it',
    'do i need a scan',
    'do i need to see a doctor',
    'do my stretches',
    'does the side matter',
    "don't bother",
    'done',
    'done next',
    'dunno',
    'end the session',
    "everything's spinning",
    'exercises for a trapped nerve',
    'exit',
    'fair enough',
    'finished',
    'forget everything about me',
    'forget me',
    'from the top',
    'gentle stretches',
    'get me an ambulance',
    'give me a minute',
    'give me a sec',
    'go back',
    'go back one',
    'go home',
    'go on',
    'goodbye',
    'got it',
    'hamstring stretches',
    'hang on',
    'hang on a sec',
    'hard to say',
    "he's struggling to breathe",
    'help',
    'help please',
    'hold longer',
    'hold on a minute',
    'hold shorter',
    'home',
    'how can i find a trigger point',
    'how can i keep it from coming back',
    'how do i find trigger points',
    'how do i prevent it',
    'how do i stop it coming back',
    'how do they treat it',
    'how does this work',
    'how long will it take to heal',
    'how many are left',
    'how many more',
    'how many more exercises',
    'how many to go',
    'how much is left',
    'how much longer',
    'how should i sit',
    'how should i sleep',
    'i am getting tingling in my leg',
    'i am not able to breathe properly',
    'i am not able to move my leg at all',
    'i am not able to put weight on my leg',
    'i can barely breathe',
    'i can feel a dent in my muscle',
    "i can't breathe",
    "i can't catch my breath",
    "i can't control my bladder",
    "i can't feel it when i wipe",
    "i can't feel my butt",
    "i can't feel my leg",
    "i can't get up",
    "i can't hold it that long",
    "i can't lift my foot up",
    "i can't move my leg",
    "i can't pass urine",
    "i can't pee",
    "i can't put any weight on my leg",
    "i can't remember",
    "i can't tell",
    "i didn't catch that",
    "i don't know",
    "i don't think so",
    "i don't want to do this one",
    'i feel dizzy',
    'i feel faint',
    'i feel light headed',
    'i feel really unwell',
    'i feel woozy',
    'i fell',
    'i fell down the stairs',
    'i got hit by a car',
    'i have a high temperature',
    'i have cancer',
    'i have no idea',
    'i have pain in the back of my leg',
    'i heard a pop in my hamstring',
    'i keep waking up at night with the pain',
    'i peed myself',
    'i slipped and fell',
    'i think i have a clot in my leg',
    "i think i'm going to pass out",
    "i think i've got a blood clot",
    'i think so',
    'i want to check my symptoms',
    'i want to do some exercises',
    'i want to stretch',
    'i want you to forget me',
    "i'm asking for myself",
    "i'm back",
    "i'm confused",
    "i'm coughing up blood",
    "i'm dizzy",
    "i'm going to faint",
    "i'm in absolute agony",
    "i'm in agony",
    "i'm not certain",
    "i'm not really sure",
    "i'm not sure",
    "i'm ready",
    "i'm ready to carry on",
    "i'm running a fever",
    "i'm screaming in pain",
    "i'm short of breath",
    "i'm spitting up blood",
    "i've been losing weight for no reason",
    "i've got a fever",
    "i've got chest pain",
    "i've got pins and needles in my foot",
    "i've got shooting pain down both legs",
    "i've got the chills",
    "i've had cancer",
    "i've lost a lot of weight and i don't know why",
    "i've lost weight without trying",
    "i've wet myself",
    'ice or heat',
    'increase the hold time',
    'it hurts when i do that',
    "it's a stabbing pain",
    "it's about me",
    "it's about me again",
    "it's excruciating",
    "it's for me",
    "it's for someone else",
    "it's hard to breathe",
    "it's painful",
    "it's shooting down my leg",
    "it's the worst pain i've ever had",
    "it's too much",
    "it's worse at night",
    'just a second',
    'k next',
    'keep going',
    'left',
    "let's carry on",
    "let's keep going",
    "let's start over",
    'list the causes',
    'list the routines',
    'list the topics',
    'longer holds',
    'main menu',
    'make the holds longer',
    'make the holds shorter',
    'maybe',
    'more',
    'more details',
    'move on',
    'my calf is cramping and swollen',
    'my calf is swollen and hot',
    'my calf is throbbing and red',
    'my chest feels tight',
    'my chest hurts when i breathe in',
    'my father has fallen down',
    'my foot has gone white',
    'my foot is dragging',
    'my foot slaps when i walk',
    "my foot's going numb",
    'my head is spinning',
    'my knee keeps buckling',
    'my leg has gone cold and white',
    'my leg is cold and pale',
    'my leg is getting weaker',
    'my leg is going numb',
    'my leg is warm and swollen',
    'my leg keeps giving way',
    'my leg looks deformed',
    "my leg's tingling",
    'my mom fell',
    'my toes are tingling',
    'nah',
    "nah it doesn't",
    'never mind',
    'next',
    'next exercise',
    'next one',
    'next please',
    'next stretch',
    'no',
    "no he hasn't",
    "no i don't",
    "no i haven't",
    "no it doesn't",
    "no it's not",
    'no never',
    'no not that i know of',
    "no she doesn't",
    "no they don't",
    'nope',
    'not at all',
    'not really',
    'not sure',
    'nothing like that',
    'okay',
    'okay got it',
    "okay i'm back",
    'okay next',
    'okay thanks',
    'one leg is swollen and red',
    'one sec',
    'ouch',
    'ow',
    'ow that hurts',
    'pardon',
    'pause',
    'pause it',
    'pause please',
    'phone my son',
    'pick up where i left off',
    'pins and needles',
    'piriformis stretches',
    'please call nine one one',
    'please call one one two',
    'possibly',
    'previous',
    'previous exercise',
    'quit',
    'ready',
    'ready now',
    'reduce the hold time',
    'remove my data',
    'repeat',
    'repeat that',
    'rest ice compression elevation',
    'restart',
    'resume',
    'resume my routine',
    'resume please',
    'ring my mum',
    'run the symptom checker',
    'same routine as last time',
    'say it again',
    'say that again',
    'sciatica stretches',
    'scratch that',
    'seated stretches',
    'set a reminder',
    'sharp pain',
    "she's feeling dizzy",
    "she's not sure",
    'shorter holds',
    'should i get a massage',
    'should i put a pillow between my knees',
    'should i take paracetamol',
    'should i use a foam roller',
    'should i use a hot water bottle',
    'should i use ice or heat',
    'skip',
    'skip it',
    'skip this exercise',
    'skip this one',
    'skip this stretch',
    'sorry i missed that',
    'sorry what',
    'start again',
    'start from the beginning',
    'start my routine',
    'start over',
    'start the whole thing again',
    'stop',
    'strength routine',
    'strengthening exercises',
    'stretches for a pinched nerve',
    'stretches for my bum',
    'stretches for sciatica',
    'tell me more',
    'tell me more about that',
    'thank you',
    'thanks',
    'thanks a lot',
    'that hurts',
    'that really hurts',
    "that's done",
    "that's enough for today",
    "that's painful",
    "that's right",
    'the back of my thigh hurts',
    'the holds are too long',
    'the pain is much worse at night',
    "the pain is so bad i can't sleep",
    'the pain is unbearable',
    'the pain wakes me up at night',
    'the previous one',
    'the right one',
    'the room is spinning',
    "there's blood when i cough",
    'uh huh',
    'understood',
    'unpause',
    'wait',
    'what are my options',
    'what are the possible causes',
    'what are the treatment options',
    'what can i ask you',
    'what can i say',
    'what can i take for the pain',
    'what can you tell me about',
    'what chair should i use',
    'what did you say',
    'what do i do',
    'what do you know about',
    'what does rice mean',
    'what exercise am i doing',
    'what exercises do you have',
    'what is rice',
    'what painkillers can i take',
    'what questions can you answer',
    'what routines can i do',
    'what should i say',
    'what stretch are we doing',
    'what stretch is this',
    'what tests will the doctor do',
    'what topics do you cover',
    'what treatments are there',
    'what was that',
    "what's the best sleeping position",
    "what's the best way to sit",
    "what's the name of this stretch",
    "what's the rice method",
    'when can i go back to the gym',
    'when can i go back to training',
    'when can i run again',
    'when should i see a doctor',
    'when will it get better',
    'where are the trigger points',
    'which causes can you explain',
    'which exercise is this',
    'which one are we on',
    'which stretch is this',
    'why does the back of my thigh hurt',
    'why is it just one leg',
    'why is it only my left leg',
    'will i need surgery',
    'will they do an x ray',
    'wipe my data',
    'would a massage help',
    'yeah',
    'yeah definitely',
    'yeah he has',
    'yeah i do',
    'yeah it has',
    'yep',
    'yes',
    'yes i am',
    'yes i have',
    'yes it does',
    'yes please',
    'yes she does',
    'yes they do',
})


# Round-2 phrases that content/interaction.yaml already had (as a whole alternative) at commit
# 043381b, before round 2 was written (commit 2550996): not copied, so not a lookup.
IN_PATTERNS_BEFORE_ROUND2 = frozenset({
    'back one',
    'both legs',
    'call for help',
    'can you check my symptoms',
    'cancel that',
    'carry on',
    'come again',
    'definitely not',
    'delete everything you know about me',
    'do i need a scan',
    'end the session',
    'forget everything about me',
    'forget me',
    'from the top',
    'give me a minute',
    'go back',
    'go into more detail',
    'got it',
    'hang about',
    'hang on',
    'hard to say',
    "he's had a fall",
    'hold up',
    'how do i use this',
    'how does this work',
    'how long is left',
    'how many left',
    'how many more',
    'how much longer',
    'how should i sit',
    'how should i sleep',
    "i can't really tell",
    "i didn't catch that",
    "i don't know",
    "i don't want to do this one",
    'i have a history of cancer',
    'i want to stretch',
    "i'm back",
    "i'm not sure",
    'increase the hold time',
    "it's about me again",
    'k next',
    'keep going',
    "let's keep going",
    'list the routines',
    'longer holds',
    'main menu',
    'make the holds longer',
    'make the holds shorter',
    'move on',
    'my head is spinning',
    'next one',
    'next stretch',
    'no idea',
    'no never',
    'no not at all',
    "not that i've noticed",
    "now it's for me",
    'okey dokey',
    'ow that hurts',
    'reduce the hold time',
    'repeat please',
    'repeat that',
    'restart the routine',
    'say that again',
    'scratch that',
    'set a daily reminder',
    'shorter holds',
    'should i go to the doctor',
    'should i put a pillow between my knees',
    'skip that stretch',
    'skip this one',
    'start from the beginning',
    'start over',
    'tell me more',
    'thank you',
    "that's enough for today",
    "that's painful",
    "the room's spinning",
    'uh huh',
    'wait a sec',
    'what can i say',
    'what can i take for the pain',
    'what can you tell me about',
    'what do you know about',
    'what does rice stand for',
    'what is this stretch',
    'what painkillers can i take',
    'what routines are there',
    'what tests will the doctor do',
    'what treatments are there',
    'what was that',
    "what's next",
    "what's the best sleeping position",
    "what's the rice method",
    'which one are we on',
})


# Round-3 phrases the patterns already had when round 3 was written blind (commit 2824e78):
# everyday words people and patterns share, not copies.
IN_PATTERNS_BEFORE_ROUND3 = frozenset({
    'are we nearly done',
    'back one',
    'back to me',
    'begin again',
    'cancel that',
    'carry on',
    'check my symptoms please',
    'come again',
    'forget it',
    'forget me',
    'from the top',
    'give me a sec',
    'go back',
    'go home',
    'got it',
    'hang on',
    'hold on a minute',
    'how does this work',
    'how many are left',
    'how many more',
    'how much longer',
    'how should i sit at my desk',
    "i can't catch my breath",
    "i don't believe so",
    'i want to stretch',
    "i'm back",
    "i'm done",
    "i'm not really sure",
    "i've fallen and i can't get up",
    "i've got a fever",
    "it's painful",
    'k next',
    'keep going',
    "let's carry on",
    'list the causes',
    'list the routines',
    'main menu',
    'make the holds longer',
    'make the holds shorter',
    'my head is spinning',
    'never mind',
    'ready now',
    'repeat that',
    'say that again',
    'set a daily reminder',
    'shorter holds',
    'skip it',
    'skip this one',
    'start over',
    'tell me more',
    'that hurts',
    "that's enough for today",
    'the previous one',
    "the room's spinning",
    'this is for me',
    'what can i say',
    'what can you tell me about',
    'what does rice stand for',
    'what painkillers can i take',
    'what questions can you answer',
    'what routines are there',
    'what treatments are there',
    'what was that',
    "what's the best way to sleep",
    "what's the name of this stretch",
    'which causes can you explain',
    'which stretches do you have',
})
