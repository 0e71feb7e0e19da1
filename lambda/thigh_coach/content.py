"""Content: the YAML in content/, read once per cold start into typed, frozen objects.

Everything the skill says lives in content/; nothing here knows a question or a cause by
name. A broken file fails loudly at load time with the file and the field, before any user
hears anything.

Parsing and validating takes longer than the rest of a cold start's own work, so the
validated result is also kept compiled (pickled) beside the YAML, under __pycache__, keyed
by a hash of every YAML file and of this module's source: any change to either means a fresh
parse and full validation. The SAM build writes it into the artifact, where it cannot be
written at run time.
"""

from __future__ import annotations

import copyreg
import datetime as dt
import os
import pickle
import re
import string
import zlib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from .drawing import MARKS, PROPS, Drawing, Pose

LEVELS = ("emergency", "urgent", "soon", "self_care")  # most to least serious
ANSWERS = ("yes", "no", "unsure")
SIDES = ("each", "both")  # `each`: one side then the other; `both`: done on both at once
PLACEHOLDERS = frozenset({
    "emergency", "emergency_card", "emergency_department", "same_day", "soon",
    "subject", "Subject", "object", "possessive",
    "cause", "causes", "count", "exercise", "routine", "seconds", "side", "time", "name",
    "step", "total", "reps", "names", "brief",
})
_UNSAFE = re.compile(r"[<>&\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ContentError(Exception):
    """A content file is missing, malformed, or inconsistent. The message names file and field."""


class Wording(NamedTuple):
    """One thing to say, worded for the person in pain and for someone helping them."""

    self_: str
    helper: str

    def for_(self, helper: bool) -> str:
        return self.helper if helper else self.self_


class Source(NamedTuple):
    id: str
    title: str
    url: str
    reviewed: dt.date


class Locale(NamedTuple):
    id: str
    emergency: str  # as spoken
    emergency_card: str  # as written on a card
    emergency_department: str  # what the place is called there: "A and E" in the UK
    same_day: str
    soon: str
    texts: Mapping[str, Wording]
    sources: tuple[str, ...]  # where the numbers come from: a source of that country


class RedFlag(NamedTuple):
    """A dangerous sign: reachable by a phrase at any moment, and asked first in the check
    when it has a question (a sign said only in passing, like "I felt a pop", may not)."""

    id: str
    level: str | None  # None: a question that only opens follow-ups ("a fall or a blow?")
    question: Wording | None
    short: Wording | None  # the reprompt: the question, shortened, never narrower
    advice: Wording | None  # the action and the number first; None only without a level
    phrases: tuple[str, ...]
    covers: tuple[str, ...]  # the clinical-reference rows this question screens for
    cause: str | None  # the cause it points to
    sources: tuple[str, ...]
    unsure_level: str | None = None  # "not sure" counts as this (default: one step below)
    unsure_advice: Wording | None = None  # said when "not sure" set the level
    # a follow-up: asked only when one of these holds (earlier sign id -> its answer)
    ask_if: tuple[Mapping[str, str], ...] = ()
    # as a pattern question's: what each answer weighs for, and rules out
    weights: Mapping[str, Mapping[str, int]] = MappingProxyType({})
    excludes: Mapping[str, tuple[str, ...]] = MappingProxyType({})


class PatternQuestion(NamedTuple):
    """A question that tells causes apart: each answer adds weight to some causes, and may
    rule some out. A "yes" may also be a sign in its own right (`level`, with its `advice`
    and `cause`), which no ranking can drop."""

    id: str
    question: Wording
    short: Wording
    weights: Mapping[str, Mapping[str, int]]  # answer -> cause id -> weight
    # asked when any one of these holds: earlier question id -> the answer it had ("no"
    # also matches "not sure": an unsure answer follows the cautious branch)
    ask_if: tuple[Mapping[str, str], ...]
    sources: tuple[str, ...]
    excludes: Mapping[str, tuple[str, ...]] = MappingProxyType({})  # answer -> causes ruled out
    level: str | None = None  # a "yes" raises the outcome to at least this level
    advice: Wording | None = None  # what that level means, said first in the outcome
    cause: str | None = None  # the cause a "yes" names first
    fresh_strain: bool = False  # a "yes" (or "not sure") suggests a fresh strain


class Triage(NamedTuple):
    red_flags: tuple[RedFlag, ...]
    patterns: tuple[PatternQuestion, ...]
    max_questions: int  # no pattern question is asked past this many questions in all
    min_weight: int  # a cause is named only with at least this weight
    sources: tuple[str, ...]

    def red_flag(self, flag_id: str) -> RedFlag:
        for flag in self.red_flags:
            if flag.id == flag_id:
                return flag
        raise KeyError(flag_id)


class Cause(NamedTuple):
    id: str
    name: str
    brief: Wording  # what it is, in a few plain words: "an irritated nerve from the back"
    summary: Wording  # one breath
    more: tuple[Wording, ...]  # short spoken chunks, offered one at a time
    signs: Wording
    helps: Wording
    see_doctor: Wording
    synonyms: tuple[str, ...]
    routine: str | None
    level: str  # the least serious outcome when this cause is named
    gate: Wording | None  # said instead of offering a routine (e.g. a fresh strain)
    sources: tuple[str, ...]


class Exercise(NamedTuple):
    id: str
    name: str
    kind: str  # "hold": held still and timed; "moved": paced by count
    sides: str
    setup: tuple[Wording, ...]
    action: Wording  # what "begin" means: the stretch or the movement
    hold_s: int  # hold length for "hold"; seconds per repetition for "moved"
    reps: int
    rest_s: int
    counts: tuple[str, ...]  # for "moved": what is said on each repetition's beats
    safety: Wording
    synonyms: tuple[str, ...]
    sources: tuple[str, ...]
    position: str  # "standing", "chair" or "floor": a routine keeps one as long as it can
    drawing: Drawing  # the start and end position, as a screen shows them
    # puts the sciatic nerve under tension (a straight-knee hamstring stretch, the nerve
    # glide): left out for the rest of a session once nerve symptoms came up
    tensions_nerve: bool = False


POSITIONS = ("standing", "chair", "floor")


# The routine done sitting on a chair, never down to the floor: offered when no answer points
# to a cause, and to anyone who can't get down to the floor. The content must have it.
CHAIR_ROUTINE = "gentle"


class Routine(NamedTuple):
    id: str
    name: str
    exercises: tuple[str, ...]
    hold_s: int | None  # overrides each held exercise's hold (gentle routine: longer holds)
    synonyms: tuple[str, ...]
    sources: tuple[str, ...]
    frequency: Wording  # how often to do it, said when it is done
    min_hold_s: int | None = None  # no hold shorter, whatever the user chose before


class TopicText(NamedTuple):
    """What a topic says: a one-breath answer, then more, one chunk at a time."""

    answer: Wording
    more: tuple[Wording, ...]

    @property
    def chunks(self) -> tuple[Wording, ...]:
        return (self.answer, *self.more)


class Topic(NamedTuple):
    """An answer to a question people ask ("should I use ice or heat?"), from topics.yaml."""

    id: str
    name: str  # as a list says it: "I can answer questions about ice or heat, ..."
    offer: Wording  # the question that offers it: "Would you like to know whether ...?"
    text: TopicText
    local: Mapping[str, TopicText]  # locale id -> its own wording, where it differs
    by_cause: Mapping[str, TopicText]  # cause id -> the answer about that cause
    offered_after: tuple[str, ...]  # the causes whose explanation this topic follows
    routine: str | None  # offered at the end, only when a routine is safe
    sources: tuple[str, ...]

    def text_for(self, locale: str, cause: str | None = None) -> TopicText:
        """The cause's own answer if the topic has one, else the locale's wording."""
        if cause is not None and cause in self.by_cause:
            return self.by_cause[cause]
        return self.local.get(locale, self.text)


class Content(NamedTuple):
    sources: Mapping[str, Source]
    locales: Mapping[str, Locale]
    texts: Mapping[str, Wording]
    triage: Triage
    causes: Mapping[str, Cause]
    exercises: Mapping[str, Exercise]
    routines: Mapping[str, Routine]
    topics: Mapping[str, Topic]
    directory: Path

    def text(self, locale: str, key: str) -> Wording:
        loc = self.locales.get(locale)
        if loc is not None and key in loc.texts:
            return loc.texts[key]
        return self.texts[key]


# --- loading -------------------------------------------------------------------------------

def _read_only(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


# MappingProxyType (the read-only mappings above) does not pickle by itself.
copyreg.pickle(MappingProxyType, lambda m: (_read_only, (dict(m),)))
FILES = ("sources", "locales", "texts", "triage", "causes", "routines", "topics")
_loader_class = None


def _strict_loader():
    """A YAML loader that refuses duplicate keys (PyYAML keeps the last one silently).

    libyaml's parser when PyYAML has it (it does in the Lambda wheel): about ten times faster
    than the pure-Python one. Imported only when YAML is actually parsed.
    """
    global _loader_class
    if _loader_class is None:
        import yaml

        base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class StrictLoader(base):  # the C loader when PyYAML has it, chosen at run time
            pass

        def construct_mapping(loader, node):
            seen: set = set()
            for key_node, _ in node.value:
                key = loader.construct_object(key_node)
                if key in seen:
                    raise ContentError(
                        f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
                seen.add(key)
            return loader.construct_mapping(node)

        StrictLoader.add_constructor(
            yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
        _loader_class = StrictLoader
    return _loader_class


def default_content_dir() -> Path:
    """CONTENT_DIR, else content/ of the source tree, else content/ beside the package."""
    configured = os.environ.get("CONTENT_DIR")
    if configured:
        return Path(configured)
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "content", here.parent / "content"):
        if candidate.is_dir():
            return candidate
    return here.parents[1] / "content"


_cache: dict[Path, Content] = {}


def get_content(directory: Path | None = None) -> Content:
    """The content for a directory, loaded once per process (once per Lambda cold start)."""
    directory = (directory or default_content_dir()).resolve()
    if directory not in _cache:
        _cache[directory] = load_content(directory)
    return _cache[directory]


def load_content(directory: Path, *, compiled: bool = True) -> Content:
    """Validated content; from the compiled copy when it matches every file exactly."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ContentError(f"{directory}: content directory not found (set CONTENT_DIR)")
    cache = compiled_path(directory) if compiled else None
    if cache is not None:
        try:
            content = pickle.loads(cache.read_bytes())
            if isinstance(content, Content):
                return content._replace(directory=directory)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError,
                ValueError, ImportError):
            pass  # no compiled copy yet, or an unreadable one: parse
    content = parse_content(directory)
    if cache is not None:
        try:
            cache.parent.mkdir(exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
            partial.replace(cache)
        except OSError:
            pass  # a read-only directory (Lambda): parse again next cold start
    return content


def compiled_path(directory: Path) -> Path | None:
    """Where the compiled copy of exactly these files lives (None if a file is missing)."""
    # Two CRCs and the total length: a key against accidental staleness, not an adversary,
    # and zlib is loaded already where hashlib would load OpenSSL (3 ms of a cold start).
    crc, adler, size = 0, 1, 0
    # the modules whose types the compiled copy holds, then the files
    for name in ("content.py", "drawing.py", *FILES):
        path = Path(__file__).with_name(name) if name.endswith(".py") \
            else directory / f"{name}.yaml"
        try:
            data = name.encode() + b"\0" + path.read_bytes()
        except OSError:
            return None  # parse_content will name the missing file
        crc, adler, size = zlib.crc32(data, crc), zlib.adler32(data, adler), size + len(data)
    return directory / "__pycache__" / f"content-{crc:08x}{adler:08x}{size:x}.pickle"


def parse_content(directory: Path) -> Content:
    raw = {name: _read(directory, name) for name in FILES}
    sources = _sources(raw["sources"])
    texts = {k: _wording(v, f"texts.yaml: texts.{k}")
             for k, v in _table(raw["texts"], "texts.yaml", "texts").items()}
    locales = _locales(raw["locales"], texts, sources)
    exercises, routines = _routines(raw["routines"], sources)
    causes = _causes(raw["causes"], sources, routines)
    triage = _triage(raw["triage"], sources, causes)
    topics = _topics(raw["topics"], sources, locales, causes, routines)
    return Content(
        sources=MappingProxyType(sources), locales=MappingProxyType(locales),
        texts=MappingProxyType(texts), triage=triage, causes=MappingProxyType(causes),
        exercises=MappingProxyType(exercises), routines=MappingProxyType(routines),
        topics=MappingProxyType(topics), directory=directory,
    )


def _read(directory: Path, name: str) -> dict:
    path = directory / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path.name}: file missing from {directory}") from None
    import yaml

    try:
        data = yaml.load(text, Loader=_strict_loader())
    except ContentError as exc:
        raise ContentError(f"{path.name}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: expected a mapping at the top level")
    return data


# --- validation helpers --------------------------------------------------------------------


def _fields(value: Any, where: str, required: Mapping[str, type | tuple],
            optional: Mapping[str, type | tuple] = MappingProxyType({})) -> dict:
    if not isinstance(value, dict):
        raise ContentError(f"{where}: expected a mapping, got {type(value).__name__}")
    unknown = sorted(set(value) - set(required) - set(optional))
    if unknown:
        raise ContentError(f"{where}: unknown key {unknown[0]!r}")
    for key in required:
        if key not in value:
            raise ContentError(f"{where}: missing field {key!r}")
    for key, kind in {**required, **optional}.items():
        if key in value and not isinstance(value[key], kind):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise ContentError(f"{where}.{key}: expected {names}, got {type(value[key]).__name__}")
    return value


def _table(data: dict, file: str, key: str) -> dict:
    _fields(data, file, {key: dict})
    return data[key]


def _id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", value):
        raise ContentError(f"{where}: id must be lower_snake_case, got {value!r}")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: expected non-empty text")
    bad = _UNSAFE.search(value)
    if bad:
        raise ContentError(f"{where}: character {bad.group()!r} is not safe in speech (SSML)")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise ContentError(f"{where}: broken placeholder: {exc}") from None
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        raise ContentError(f"{where}: unknown placeholder {{{unknown[0]}}}")
    return value.strip()


def _wording(value: Any, where: str) -> Wording:
    if isinstance(value, str):
        text = _text(value, where)
        return Wording(text, text)
    _fields(value, where, {"self": str, "helper": str})
    return Wording(_text(value["self"], f"{where}.self"), _text(value["helper"], f"{where}.helper"))


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ContentError(f"{where}: expected a list")
    return tuple(_text(v, f"{where}[{i}]") for i, v in enumerate(value))


def _refs(value: Any, where: str, known: Mapping, what: str, *, required: bool = True):
    if not isinstance(value, list) or (required and not value):
        raise ContentError(f"{where}: expected a non-empty list of {what} ids")
    for i, ref in enumerate(value):
        if ref not in known:
            raise ContentError(f"{where}[{i}]: unknown {what} {ref!r}")
    return tuple(value)


def _level(value: Any, where: str, allowed: tuple[str, ...] = LEVELS) -> str:
    if value not in allowed:
        raise ContentError(f"{where}: level must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _unique(items: list, where: str) -> dict[str, dict]:
    if not isinstance(items, list):
        raise ContentError(f"{where}: expected a list")
    seen: dict[str, dict] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "id" not in item:
            raise ContentError(f"{where}[{i}]: missing field 'id'")
        ident = _id(item["id"], f"{where}[{i}].id")
        if ident in seen:
            raise ContentError(f"{where}[{i}].id: duplicate id {ident!r}")
        seen[ident] = item
    return seen


# --- the files -----------------------------------------------------------------------------


def _sources(data: dict) -> dict[str, Source]:
    out = {}
    for key, item in _table(data, "sources.yaml", "sources").items():
        where = f"sources.yaml: sources.{key}"
        _id(key, where)
        _fields(item, where, {"title": str, "url": str, "reviewed": dt.date})
        if not item["url"].startswith("https://"):
            raise ContentError(f"{where}.url: expected an https:// address")
        out[key] = Source(key, item["title"], item["url"], item["reviewed"])
    return out


def _locales(data: dict, texts: Mapping[str, Wording], sources: Mapping) -> dict[str, Locale]:
    out = {}
    for key, item in _table(data, "locales.yaml", "locales").items():
        where = f"locales.yaml: locales.{key}"
        if not re.fullmatch(r"[a-z]{2}-[A-Z]{2}", str(key)):
            raise ContentError(f"{where}: locale must look like en-US")
        _fields(item, where, {"emergency": str, "emergency_card": str,
                              "emergency_department": str, "same_day": str,
                              "soon": str, "sources": list, "texts": dict})
        cited = _refs(item["sources"], f"{where}.sources", sources, "source")
        overrides = {}
        for tkey, tval in item["texts"].items():
            if tkey not in texts:
                raise ContentError(f"{where}.texts.{tkey}: overrides a text texts.yaml lacks")
            overrides[tkey] = _wording(tval, f"{where}.texts.{tkey}")
        out[key] = Locale(
            key, _text(item["emergency"], f"{where}.emergency"),
            _text(item["emergency_card"], f"{where}.emergency_card"),
            _text(item["emergency_department"], f"{where}.emergency_department"),
            _text(item["same_day"], f"{where}.same_day"), _text(item["soon"], f"{where}.soon"),
            MappingProxyType(overrides), cited)
    if not out:
        raise ContentError("locales.yaml: locales: at least one locale is needed")
    return out


def _drawing(item: dict, where: str) -> Drawing:
    _fields(item, where, {"mark": str, "props": list, "start": dict, "end": dict},
            {"chair_x": (int, float), "step_x": (int, float)})
    if item["mark"] not in MARKS:
        raise ContentError(f"{where}.mark: must be one of {', '.join(MARKS)}")
    props = _strings(item["props"], f"{where}.props")
    unknown = set(props) - set(PROPS)
    if unknown:
        raise ContentError(f"{where}.props: {', '.join(sorted(unknown))}: not one of "
                           f"{', '.join(PROPS)}")
    for prop in ("chair", "step"):
        if (prop in props) != (f"{prop}_x" in item):
            raise ContentError(f"{where}.{prop}_x: needed with the {prop}, and only then")
    return Drawing(_pose(item["start"], f"{where}.start"), _pose(item["end"], f"{where}.end"),
                   item["mark"], props, float(item.get("chair_x", 0)),
                   float(item.get("step_x", 0)))


def _pose(item: dict, where: str) -> Pose:
    required: dict[str, type | tuple] = {
        name: (int, float) for name in Pose._fields if name not in Pose._field_defaults}
    optional = {name: (int, float) for name in Pose._field_defaults}
    required["hip"] = list
    _fields(item, where, required, optional)
    hip = item["hip"]
    if len(hip) != 2 or not all(type(v) in (int, float) and 0 <= v <= 100 for v in hip):
        raise ContentError(f"{where}.hip: must be [x, y], each from 0 to 100")
    for name, value in item.items():
        if name != "hip" and (type(value) not in (int, float) or not -360 <= value <= 360):
            raise ContentError(f"{where}.{name}: must be a number of degrees")
    seen = item.get("near_shin_seen", 1.0)
    if not 0 < seen <= 1:
        raise ContentError(f"{where}.near_shin_seen: must be above 0 and at most 1")
    angles: dict[str, Any] = {k: float(v) for k, v in item.items() if k != "hip"}
    return Pose(hip=(float(hip[0]), float(hip[1])), **angles)


def _routines(data: dict, sources: Mapping) -> tuple[dict[str, Exercise], dict[str, Routine]]:
    _fields(data, "routines.yaml", {"exercises": list, "routines": list})
    exercises = {}
    for ident, item in _unique(data["exercises"], "routines.yaml: exercises").items():
        where = f"routines.yaml: exercises.{ident}"
        _fields(item, where,
                {"id": str, "name": str, "kind": str, "sides": str, "setup": list,
                 "action": (str, dict), "hold_s": int, "reps": int, "rest_s": int,
                 "safety": (str, dict), "sources": list, "position": str, "drawing": dict},
                {"counts": list, "synonyms": list, "tensions_nerve": bool})
        if item["kind"] not in ("hold", "moved"):
            raise ContentError(f"{where}.kind: must be hold or moved")
        if item["position"] not in POSITIONS:
            raise ContentError(f"{where}.position: must be one of {', '.join(POSITIONS)}")
        if item["sides"] not in SIDES:
            raise ContentError(f"{where}.sides: must be one of {', '.join(SIDES)}")
        for key, low, high in (("hold_s", 1, 120), ("reps", 1, 30), ("rest_s", 0, 60)):
            if not low <= item[key] <= high:
                raise ContentError(f"{where}.{key}: must be between {low} and {high}")
        counts = _strings(item.get("counts", []), f"{where}.counts")
        if item["kind"] == "moved" and not counts:
            raise ContentError(f"{where}.counts: a moved exercise needs its count words")
        exercises[ident] = Exercise(
            ident, _text(item["name"], f"{where}.name"), item["kind"], item["sides"],
            tuple(_wording(s, f"{where}.setup[{i}]") for i, s in enumerate(item["setup"])),
            _wording(item["action"], f"{where}.action"), item["hold_s"], item["reps"],
            item["rest_s"], counts, _wording(item["safety"], f"{where}.safety"),
            _strings(item.get("synonyms", []), f"{where}.synonyms"),
            _refs(item["sources"], f"{where}.sources", sources, "source"),
            item["position"], _drawing(item["drawing"], f"{where}.drawing"),
            item.get("tensions_nerve", False))
    routines = {}
    for ident, item in _unique(data["routines"], "routines.yaml: routines").items():
        where = f"routines.yaml: routines.{ident}"
        _fields(item, where, {"id": str, "name": str, "exercises": list, "sources": list,
                              "frequency": (str, dict)},
                {"hold_s": int, "synonyms": list, "min_hold_s": int})
        hold = item.get("hold_s")
        for key in ("hold_s", "min_hold_s"):
            if item.get(key) is not None and not 10 <= item[key] <= 60:
                raise ContentError(f"{where}.{key}: must be between 10 and 60")
        routines[ident] = Routine(
            ident, _text(item["name"], f"{where}.name"),
            _refs(item["exercises"], f"{where}.exercises", exercises, "exercise"), hold,
            _strings(item.get("synonyms", []), f"{where}.synonyms"),
            _refs(item["sources"], f"{where}.sources", sources, "source"),
            _wording(item["frequency"], f"{where}.frequency"), item.get("min_hold_s"))
    if CHAIR_ROUTINE not in routines:
        raise ContentError(f"routines.yaml: routines: no {CHAIR_ROUTINE!r} (the chair routine)")
    off_the_chair = [e for e in routines[CHAIR_ROUTINE].exercises
                     if exercises[e].position != "chair"]
    if off_the_chair:
        raise ContentError(f"routines.yaml: routines.{CHAIR_ROUTINE}: the chair routine has "
                           f"{', '.join(off_the_chair)}, not done on a chair")
    return exercises, routines


BREATH_WORDS = 50  # one breath: 20 s at 150 words a minute
# The place a topic holds in the session is a topic id, or one of these (state.TopicPlace).
RESERVED_TOPIC_IDS = frozenset({"list", "symptoms"})
# A helper's longest wording ("the person you're helping"): what the budget is counted with.
_LONGEST_PERSON = {"subject": "the person you're helping", "Subject": "The person you're helping",
                   "object": "them", "possessive": "their"}


def _breath(wording: Wording, where: str, locales: Mapping[str, Locale]) -> Wording:
    """A topic's chunk fits one breath in every given locale, for the user and a helper."""
    for locale in locales.values():
        values = {k: v for k, v in locale._asdict().items() if isinstance(v, str)}
        values.update(_LONGEST_PERSON)
        for text in wording:
            try:
                count = len(text.format(**values).split())
            except KeyError as exc:
                raise ContentError(f"{where}: {{{exc.args[0]}}} has no value here") from None
            if count > BREATH_WORDS:
                raise ContentError(f"{where}: {count} words in {locale.id}, over "
                                   f"{BREATH_WORDS} (one breath, about 20 s)")
    return wording


def _chunk(value: Any, where: str, locales: Mapping[str, Locale]) -> Wording:
    return _breath(_wording(value, where), where, locales)


def _topic_text(item: Any, where: str, locales: Mapping[str, Locale]) -> TopicText:
    """An answer and its `more` chunks, each within one breath in every locale."""
    _fields(item, where, {"answer": (str, dict)}, {"more": list})
    return TopicText(_chunk(item["answer"], f"{where}.answer", locales),
                     tuple(_chunk(chunk, f"{where}.more[{i}]", locales)
                           for i, chunk in enumerate(item.get("more", []))))


def _local_text(item: Any, where: str, locale: Locale, base: TopicText) -> TopicText:
    """A locale's own wording: `answer` and `more` each optional, and a null chunk in `more`
    keeps the topic's chunk (so every locale has as many chunks)."""
    _fields(item, where, {}, {"answer": (str, dict), "more": list})
    only = {locale.id: locale}
    answer = _chunk(item["answer"], f"{where}.answer", only) if "answer" in item else base.answer
    more = base.more
    if "more" in item:
        if len(item["more"]) != len(base.more):
            raise ContentError(f"{where}.more: needs {len(base.more)} chunks, like the "
                               "topic's (null keeps one)")
        more = tuple(base.more[i] if chunk is None else _chunk(chunk, f"{where}.more[{i}]", only)
                     for i, chunk in enumerate(item["more"]))
    return TopicText(answer, more)


def _topics(data: dict, sources: Mapping, locales: Mapping[str, Locale], causes: Mapping,
            routines: Mapping) -> dict[str, Topic]:
    _fields(data, "topics.yaml", {"topics": list})
    out: dict[str, Topic] = {}
    offered: dict[str, str] = {}
    for ident, item in _unique(data["topics"], "topics.yaml: topics").items():
        where = f"topics.yaml: topics.{ident}"
        if ident in RESERVED_TOPIC_IDS:
            raise ContentError(f"{where}.id: {ident!r} is reserved")
        _fields(item, where, {"id": str, "name": str, "offer": (str, dict),
                              "answer": (str, dict), "sources": list},
                {"more": list, "locales": dict, "by_cause": dict, "offered_after": list,
                 "routine": str})
        text = _topic_text({k: item[k] for k in ("answer", "more") if k in item}, where,
                           locales)
        local = {}
        for locale, override in item.get("locales", {}).items():
            if locale not in locales:
                raise ContentError(f"{where}.locales.{locale}: not a locale of locales.yaml")
            local[locale] = _local_text(override, f"{where}.locales.{locale}", locales[locale],
                                        text)
        by_cause = {}
        for cause, answer in item.get("by_cause", {}).items():
            if cause not in causes:
                raise ContentError(f"{where}.by_cause.{cause}: unknown cause")
            by_cause[cause] = _topic_text(answer, f"{where}.by_cause.{cause}", locales)
        after = _refs(item.get("offered_after", []), f"{where}.offered_after", causes, "cause",
                      required=False)
        for cause in after:
            if cause in offered:
                raise ContentError(f"{where}.offered_after: {cause!r} is offered "
                                   f"{offered[cause]!r} already (one topic per cause)")
            offered[cause] = ident
        routine = item.get("routine")
        if routine is not None and routine not in routines:
            raise ContentError(f"{where}.routine: unknown routine {routine!r}")
        offer = _wording(item["offer"], f"{where}.offer")
        if not all(o.endswith("?") for o in offer):
            raise ContentError(f"{where}.offer: must be a question")
        out[ident] = Topic(
            ident, _text(item["name"], f"{where}.name"), offer, text,
            MappingProxyType(local), MappingProxyType(by_cause), after, routine,
            _refs(item["sources"], f"{where}.sources", sources, "source"))
    if not out:
        raise ContentError("topics.yaml: topics: at least one topic is needed")
    return out


def _causes(data: dict, sources: Mapping, routines: Mapping) -> dict[str, Cause]:
    _fields(data, "causes.yaml", {"causes": list})
    out = {}
    for ident, item in _unique(data["causes"], "causes.yaml: causes").items():
        where = f"causes.yaml: causes.{ident}"
        _fields(item, where,
                {"id": str, "name": str, "brief": (str, dict), "summary": (str, dict),
                 "more": list,
                 "signs": (str, dict), "helps": (str, dict), "see_doctor": (str, dict),
                 "synonyms": list, "sources": list},
                {"routine": str, "level": str, "gate": (str, dict)})
        routine = item.get("routine")
        if routine is not None and routine not in routines:
            raise ContentError(f"{where}.routine: unknown routine {routine!r}")
        out[ident] = Cause(
            ident, _text(item["name"], f"{where}.name"),
            _wording(item["brief"], f"{where}.brief"),
            _wording(item["summary"], f"{where}.summary"),
            tuple(_wording(m, f"{where}.more[{i}]") for i, m in enumerate(item["more"])),
            _wording(item["signs"], f"{where}.signs"), _wording(item["helps"], f"{where}.helps"),
            _wording(item["see_doctor"], f"{where}.see_doctor"),
            _strings(item["synonyms"], f"{where}.synonyms"), routine,
            _level(item.get("level", "self_care"), f"{where}.level"),
            _wording(item["gate"], f"{where}.gate") if "gate" in item else None,
            _refs(item["sources"], f"{where}.sources", sources, "source"))
    return out


_WEIGHING = {"if_yes": dict, "if_no": dict, "excludes_if_yes": list, "excludes_if_no": list}


def _weighing(item: dict, where: str, causes: Mapping
              ) -> tuple[Mapping[str, Mapping[str, int]], Mapping[str, tuple[str, ...]]]:
    """What each answer weighs for (`if_yes`, `if_no`) and rules out (`excludes_if_*`)."""
    weights = {}
    for answer in ("yes", "no"):
        table = item.get(f"if_{answer}", {})
        for cause, weight in table.items():
            if cause not in causes:
                raise ContentError(f"{where}.if_{answer}.{cause}: unknown cause")
            if type(weight) is not int or not -5 <= weight <= 5:
                raise ContentError(f"{where}.if_{answer}.{cause}: weight must be -5 to 5")
        weights[answer] = MappingProxyType(dict(table))
    excludes = {answer: _refs(item.get(f"excludes_if_{answer}", []),
                              f"{where}.excludes_if_{answer}", causes, "cause", required=False)
                for answer in ("yes", "no")}
    return MappingProxyType(weights), MappingProxyType(excludes)


def _conditions(conditions: dict | list, where: str, earlier: list[str]
                ) -> tuple[Mapping[str, str], ...]:
    """An `ask_if`: one condition or a list of them, each earlier question id -> an answer."""
    conditions = [conditions] if isinstance(conditions, dict) else conditions
    for i, condition in enumerate(conditions):
        if not isinstance(condition, dict) or not condition:
            raise ContentError(f"{where}.ask_if[{i}]: expected a mapping of answers")
        for qid, answer in condition.items():
            if qid not in earlier:
                raise ContentError(f"{where}.ask_if.{qid}: must name an earlier question")
            if answer not in ANSWERS:
                raise ContentError(f"{where}.ask_if.{qid}: answer must be yes, no or unsure")
    return tuple(MappingProxyType(dict(c)) for c in conditions)


def _triage(data: dict, sources: Mapping, causes: Mapping) -> Triage:
    _fields(data, "triage.yaml",
            {"red_flags": list, "patterns": list, "max_questions": int, "min_weight": int,
             "sources": list})
    flags: list[RedFlag] = []
    for ident, item in _unique(data["red_flags"], "triage.yaml: red_flags").items():
        where = f"triage.yaml: red_flags.{ident}"
        _fields(item, where, {"id": str, "phrases": list, "covers": list, "sources": list},
                {"level": str, "advice": dict, "cause": str, "question": dict, "short": dict,
                 "unsure_level": str, "unsure_advice": dict, "ask_if": (dict, list),
                 **_WEIGHING})
        if ("question" in item) != ("short" in item):
            raise ContentError(f"{where}: a question needs its short form, and the reverse")
        if ("level" in item) != ("advice" in item):
            raise ContentError(f"{where}: a level needs its advice, and the reverse")
        if "level" not in item and ("question" not in item or item["phrases"]):
            raise ContentError(f"{where}: only a question asked for its follow-ups has no level")
        if item.get("cause") is not None and item["cause"] not in causes:
            raise ContentError(f"{where}.cause: unknown cause {item['cause']!r}")
        weights, excludes = _weighing(item, where, causes)
        flags.append(RedFlag(
            ident, _level(item["level"], f"{where}.level", LEVELS[:3]) if "level" in item
            else None,
            _wording(item["question"], f"{where}.question") if "question" in item else None,
            _wording(item["short"], f"{where}.short") if "short" in item else None,
            _wording(item["advice"], f"{where}.advice") if "advice" in item else None,
            _strings(item["phrases"], f"{where}.phrases"),
            _strings(item["covers"], f"{where}.covers"), item.get("cause"),
            _refs(item["sources"], f"{where}.sources", sources, "source"),
            _level(item["unsure_level"], f"{where}.unsure_level", LEVELS[:3])
            if "unsure_level" in item else None,
            _wording(item["unsure_advice"], f"{where}.unsure_advice")
            if "unsure_advice" in item else None,
            _conditions(item.get("ask_if", []), where, [f.id for f in flags if f.question]),
            weights, excludes))
        if flags[-1].ask_if and flags[-1].question is None:
            raise ContentError(f"{where}.ask_if: only a sign that is asked can follow another")
    # a follow-up comes after what it follows
    order = [f.level for f in flags if not f.ask_if and f.level is not None]
    if order != sorted(order, key=LEVELS.index):
        raise ContentError("triage.yaml: red_flags: must be ordered most serious first")
    patterns: list[PatternQuestion] = []
    asked: set[str] = {f.id for f in flags}
    for ident, item in _unique(data["patterns"], "triage.yaml: patterns").items():
        where = f"triage.yaml: patterns.{ident}"
        if ident in asked:
            raise ContentError(f"{where}.id: duplicate id {ident!r} (a red flag has it)")
        _fields(item, where, {"id": str, "question": dict, "short": dict, "sources": list},
                {"ask_if": (dict, list), "level": str, "advice": dict, "cause": str,
                 "fresh_strain": bool, **_WEIGHING})
        weights, excludes = _weighing(item, where, causes)
        if ("level" in item) != ("advice" in item):
            raise ContentError(f"{where}: a level needs its advice, and the reverse")
        cause = item.get("cause")
        if cause is not None and cause not in causes:
            raise ContentError(f"{where}.cause: unknown cause {cause!r}")
        patterns.append(PatternQuestion(
            ident, _wording(item["question"], f"{where}.question"),
            _wording(item["short"], f"{where}.short"), weights,
            _conditions(item.get("ask_if", []), where,
                        [f.id for f in flags if f.question] + [p.id for p in patterns]),
            _refs(item["sources"], f"{where}.sources", sources, "source"), excludes,
            _level(item["level"], f"{where}.level", LEVELS[:3]) if "level" in item else None,
            _wording(item["advice"], f"{where}.advice") if "advice" in item else None,
            cause, item.get("fresh_strain", False)))
    if not 1 <= data["max_questions"] <= 12:
        raise ContentError("triage.yaml: max_questions: must be between 1 and 12")
    return Triage(tuple(flags), tuple(patterns), data["max_questions"], data["min_weight"],
                  _refs(data["sources"], "triage.yaml: sources", sources, "source"))
