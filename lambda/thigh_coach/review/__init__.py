"""The review pack a clinician can sign (`thigh-coach review --out DIR`): review.md and a
self-contained review.html.

Nothing medical is typed here. Questions, rules and sources come from the content; every
spoken wording is what the skill's own code produces (the symptom check is answered through
`Dialog.answer`, advice and explanations through `Dialog.present`, routine scripts from the
timer's plans), so what a clinician signs is what a user hears.

The content and the check's rules change (new question kinds, patterns that carry a level or
advice, conditions that are lists), so the pack reads them generically: it lists the fields
an item has, puts any field keyed by yes / no / not sure under that answer, and learns what
each answer leads to by walking the check rather than by restating its rules.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..content import Content
from .drawings import DRAWINGS, write_drawings
from .html import render_html
from .markdown import render_markdown
from .pack import build

__all__ = ["build", "render_html", "render_markdown", "write_review"]


def write_review(content: Content, out: Path, *, today: dt.date | None = None) -> list[Path]:
    """Write review.md and review.html into `out`; returns their paths."""
    blocks = build(content, today=today)
    out.mkdir(parents=True, exist_ok=True)
    markdown, page = out / "review.md", out / "review.html"
    markdown.write_text(render_markdown(blocks), encoding="utf-8")
    page.write_text(render_html(blocks), encoding="utf-8")
    write_drawings(content, out)
    return [markdown, page, out / DRAWINGS]
