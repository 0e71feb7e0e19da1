"""Interaction models, generated: content/interaction.yaml plus the content's own names.

Causes, red flags, routines and exercises give the values (with stable ids) of the slot types
CAUSE, RED_FLAG, ROUTINE and EXERCISE, so a synonym added to causes.yaml is heard on every
locale's device the next time the models are generated (`thigh-coach model`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .content import Content, ContentError

MODEL_DIR_NAME = "interaction_model"


def _source(content: Content) -> dict:
    path = content.directory / "interaction.yaml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"interaction.yaml: {exc}") from None


def _content_types(content: Content) -> dict[str, dict[str, list[str]]]:
    """Slot types whose values are content: id -> [name, synonyms...]."""
    return {
        "CAUSE": {c.id: [c.name, *c.synonyms] for c in content.causes.values()},
        "RED_FLAG": {f.id: list(f.phrases) for f in content.triage.red_flags},
        "ROUTINE": {r.id: [r.name, *r.synonyms] for r in content.routines.values()},
        "EXERCISE": {e.id: [e.name, *e.synonyms] for e in content.exercises.values()},
    }


def locales(content: Content) -> list[str]:
    return list(_source(content)["locales"])


def build_model(content: Content, locale: str) -> dict[str, Any]:
    source = _source(content)
    if locale not in source["locales"]:
        raise ContentError(f"interaction.yaml: locales: {locale} is not listed")
    type_values = {**_content_types(content), **source.get("types", {})}
    extra = source.get("locale_extra", {}).get(locale, {})
    intents, used_types = [], []
    for name, spec in source["intents"].items():
        slots = (spec or {}).get("slots", {})
        intent: dict[str, Any] = {"name": name, "samples": list((spec or {}).get("samples", []))}
        if slots:
            intent["slots"] = [{"name": s, "type": t} for s, t in slots.items()]
            used_types += [t for t in slots.values() if not t.startswith("AMAZON.")]
        intents.append(intent)
    types = []
    for type_name in dict.fromkeys(used_types):
        if type_name not in type_values:
            raise ContentError(f"interaction.yaml: slot type {type_name} has no values")
        values = []
        for ident, names in type_values[type_name].items():
            names = list(dict.fromkeys([*names, *extra.get(type_name, {}).get(ident, [])]))
            values.append({"id": ident, "name": {"value": names[0], "synonyms": names[1:]}})
        types.append({"name": type_name, "values": values})
    return {"interactionModel": {"languageModel": {
        "invocationName": source["invocation"], "intents": intents, "types": types}}}


def render(model: dict) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def write_models(content: Content, out_dir: Path) -> list[Path]:
    written = []
    for locale in locales(content):
        path = out_dir / f"{locale}.json"
        path.write_text(render(build_model(content, locale)), encoding="utf-8")
        written.append(path)
    return written
