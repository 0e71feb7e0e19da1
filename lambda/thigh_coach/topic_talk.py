"""Answers to the questions people ask: ice or heat, when to see a doctor, how long it takes.

A topic (topics.yaml) is a one-breath answer, then more on request ("tell me more"), one chunk
at a time, worded for the locale and for someone helping. A cause's signs ("what are the
symptoms of piriformis syndrome") come from the cause itself (causes.yaml), led by when to get
checked for a cause that is not for self care; how long a cause takes to get better is the
recovery topic's answer for that cause. The place in hand (`state.topic`) is what "tell me
more" continues, the list of topics included (three at a time).

Nothing here offers a stretch. A topic's routine (prevention: the strengthening routine) is
offered at its end only while the session's safety memory is clear and nothing else is
pending; every other end is `turn.close`, whose question never offers a stretch after a
warning sign.
"""

from __future__ import annotations

from collections.abc import Iterator

from .content import Cause, Topic
from .reply import Reply
from .speech import Speech
from .state import SYMPTOMS, TOPIC_LIST, Ask, Mode, TopicPlace
from .talk import LIST_ITEMS, Show, Turn, join_names, list_page, pages_of

RECOVERY = "recovery"  # the topic with an answer per cause ("how long does sciatica last")
LIST_SIZE = LIST_ITEMS  # a list reads at most three items (talk.LIST_ITEMS)


class TopicTalk:
    def __init__(self, turn: Turn) -> None:
        self.turn = turn

    def shows(self) -> dict[str, Show]:
        return {"topic": self.show_topic, "topic_end": self.show_topic_end,
                "topic_list": self.show_topic_list, "topic_offer": self.show_topic_offer}

    # --- what the user asks ---------------------------------------------------------------

    def tell(self, topic_id: str | None, cause_id: str | None = None) -> Reply:
        """A topic's answer (about the cause, if the topic has an answer for it); a topic
        that was not understood gets the list."""
        topics = self.turn.content.topics
        if topic_id is None or topic_id not in topics:
            return self.list_topics(unknown=True)
        cause = cause_id if cause_id in topics[topic_id].by_cause else None
        return self._go(TopicPlace(topic_id, 0, cause))

    def recovery(self, cause_id: str | None, *, named: bool = False) -> Reply:
        """How long it takes: for the cause named, else for the cause in hand (just explained,
        or named by the check), else in general. A cause named but not understood (`named`
        without an id) gets the general answer, never the answer about another cause."""
        if cause_id is None and not named and self.turn.state.cause is not None:
            cause_id = self.turn.state.cause.cause
        return self.tell(RECOVERY, cause_id)

    def symptoms(self, cause_id: str | None) -> Reply:
        """The signs of a cause, then (on "more") when to see a doctor about it."""
        if cause_id is None or cause_id not in self.turn.content.causes:
            return self.turn.present("cause_list", 1)  # "I don't have information on that"
        return self._go(TopicPlace(SYMPTOMS, 0, cause_id))

    def list_topics(self, page: int = 0, *, unknown: bool = False) -> Reply:
        """Three topics a time; "more" reads the next three, and after the last, the first."""
        _, page, _ = list_page(list(self.turn.content.topics), page)
        self.turn.state.mode = Mode.TOPIC
        self.turn.state.topic = TopicPlace(TOPIC_LIST, page, None)
        return self.turn.present("topic_list", page, int(unknown))

    def more(self) -> Reply:
        """The next chunk of the topic in hand, or the next three topics of the list."""
        place = self.turn.state.topic
        if place is None:
            return self.list_topics()
        if place.topic == TOPIC_LIST:
            return self.list_topics(place.chunk + 1)
        if place.chunk + 1 >= len(self._chunks(place)):
            return self.turn.present("topic_end", place.topic, place.cause or "")
        return self._go(place._replace(chunk=place.chunk + 1))

    def _go(self, place: TopicPlace) -> Reply:
        self.turn.state.mode = Mode.TOPIC
        self.turn.state.topic = place
        return self.turn.present("topic", place.topic, place.chunk, place.cause or "")

    # --- for the other parts --------------------------------------------------------------

    def topic_for_cause(self, cause_id: str) -> Topic | None:
        return topic_for_cause(self.turn, cause_id)

    def offer(self, speech: Speech, topic: Topic) -> Reply:
        return offer_topic(self.turn, speech, topic)

    # --- what is said ---------------------------------------------------------------------

    def _chunks(self, place: TopicPlace) -> list[str]:
        """The place's chunks as said to this user (KeyError: not in the content)."""
        turn = self.turn
        if place.topic == SYMPTOMS:
            return self._signs(turn.content.causes[place.cause or ""])
        text = turn.content.topics[place.topic].text_for(turn.voice.locale_id, place.cause)
        return [turn.words(chunk) for chunk in text.chunks]

    def _signs(self, cause: Cause) -> list[str]:
        t, words = self.turn.t, self.turn.words
        signs = words(cause.signs)
        if cause.level in ("emergency", "urgent"):
            signs = f"{t('signs_check_today')} {signs}"  # safety first
        elif cause.level == "soon":
            signs = f"{t('signs_check_soon')} {signs}"
        return [signs, f"{t('see_doctor_intro')} {words(cause.see_doctor)}"]

    def show_topic(self, topic_id: str, chunk: int, cause: str = "") -> Reply:
        chunks = self._chunks(TopicPlace(topic_id, chunk, cause or None))
        speech = Speech().say(chunks[chunk])
        if chunk + 1 < len(chunks):
            speech.say(self.turn.t("more_prompt"))
            return Reply.ask(speech, self.turn.t("more_reprompt"), asks=Ask.HEAR_TOPIC,
                             about=topic_id)
        return self._after(speech, topic_id)

    def show_topic_end(self, topic_id: str, cause: str = "") -> Reply:
        if topic_id == SYMPTOMS:
            name = self.turn.t("signs_of", cause=self.turn.content.causes[cause].name)
        else:
            name = self.turn.content.topics[topic_id].name
        return self._after(Speech().say(self.turn.t("topic_done", name=name)), topic_id)

    def _after(self, speech: Speech, topic_id: str) -> Reply:
        """A topic's end: its routine, only when one is safe and nothing else is pending;
        else the open question of the moment."""
        topic = self.turn.content.topics.get(topic_id)
        state = self.turn.state
        if (topic is not None and topic.routine is not None and state.safe_for_routine
                and not state.check_open and state.place is None):
            name = self.turn.content.routines[topic.routine].name
            speech.say(self.turn.t("offer_routine", routine=name))
            return Reply.ask(speech, self.turn.t("offer_routine_reprompt_short", routine=name),
                             asks=Ask.START_ROUTINE, about=topic.routine)
        return self.turn.close(speech)

    def show_topic_list(self, page: int, unknown: int = 0) -> Reply:
        names, shown_page, _ = list_page([t.name for t in self.turn.content.topics.values()],
                                         page)
        if shown_page != page:
            raise IndexError(page)  # a recipe from a tampered session: "repeat" says so
        speech = Speech()
        if unknown:
            speech.say(self.turn.t("topic_unknown"))
        speech.say(self.turn.t("topic_list" if page == 0 else "topic_list_also",
                               names=join_names(names)))
        return Reply.ask(speech, self.turn.t("topic_list_reprompt"), asks=Ask.WHICH_TOPIC)

    def show_topic_offer(self, topic_id: str) -> Reply:
        return self.offer(Speech(), self.turn.content.topics[topic_id])

    # --- for `thigh-coach check` and the review pack --------------------------------------

    def every_reply(self) -> Iterator[tuple[str, Reply]]:
        """(label, reply) for everything this part can say, in this turn's locale and voice:
        every chunk of every topic (and of each answer about a cause), each end, each offer,
        every page of the list, and every cause's signs."""
        content = self.turn.content
        places = [TopicPlace(topic.id, 0, cause) for topic in content.topics.values()
                  for cause in (None, *topic.by_cause)]
        places += [TopicPlace(SYMPTOMS, 0, cause) for cause in content.causes]
        for place in places:
            label = f"topic {place.topic}" + (f" {place.cause}" if place.cause else "")
            for chunk in range(len(self._chunks(place))):
                yield f"{label} #{chunk}", self.show_topic(place.topic, chunk, place.cause or "")
            yield f"{label} end", self.show_topic_end(place.topic, place.cause or "")
        for topic in content.topics.values():
            yield f"topic {topic.id} offer", self.show_topic_offer(topic.id)
        for page in range(pages_of(list(content.topics))):
            yield f"topic list #{page}", self.show_topic_list(page)
        yield "topic list, not understood", self.show_topic_list(0, 1)


def topic_for_cause(turn: Turn, cause_id: str) -> Topic | None:
    """The one topic that fits after this cause (topics.yaml `offered_after`), if any."""
    for topic in turn.content.topics.values():
        if cause_id in topic.offered_after:
            return topic
    return None


def offer_topic(turn: Turn, speech: Speech, topic: Topic) -> Reply:
    """`speech`, then "Would you like to know whether to use ice or heat?": a yes (or
    "okay") tells the topic, a no closes. The recipe for "repeat" is the caller's."""
    question = turn.words(topic.offer)
    return Reply.ask(speech.say(question), question, asks=Ask.OFFER_TOPIC, about=topic.id)
