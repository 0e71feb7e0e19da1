"""The review pack a clinician can sign (`thigh-coach review --out DIR`): review.md, a
self-contained review.html, and every exercise's drawing (`pack.py` says how nothing in it is
typed by hand)."""

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
    """Write review.md, review.html and the drawings into `out`; returns the two files and
    the drawings' folder."""
    blocks = build(content, today=today)
    out.mkdir(parents=True, exist_ok=True)
    markdown, page = out / "review.md", out / "review.html"
    markdown.write_text(render_markdown(blocks), encoding="utf-8")
    page.write_text(render_html(blocks), encoding="utf-8")
    write_drawings(content, out)
    return [markdown, page, out / DRAWINGS]
