"""The exercises' drawings as the clinician looks at them: the AVG the skill sends, as SVG,
and rendered to PNG, on a light and a dark screen's colours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..content import Content
from ..drawing import avg, to_svg

DRAWINGS = "drawings"  # the folder, beside the pack, of every drawing as PNG and SVG
# the colours of a light screen and of a dark one (the APL document's `ink` and `accent`)
THEMES = {"light": ("#1F2937", "#B45309", "#FFFFFF"), "dark": ("#FFFFFF", "#F59E0B", "#000000")}


def drawing_file(exercise_id: str, position: str, theme: str = "light") -> str:
    suffix = "" if theme == "light" else f"-{theme}"
    return f"{DRAWINGS}/{exercise_id}-{position}{suffix}.png"


def drawing_svg(drawing: Any, position: str, theme: str = "light", size: int = 200) -> str:
    ink, accent, background = THEMES[theme]
    return to_svg(avg(drawing, position), ink=ink, accent=accent, background=background,
                  size=size)


def write_drawings(content: Content, out: Path) -> list[Path]:
    """Every exercise's drawings, AVG converted to SVG, then to PNG with CairoSVG, on a light
    and a dark screen's colours: to look at, and for the Markdown pack."""
    import cairosvg  # development only, like the whole review pack

    folder = out / DRAWINGS
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise in content.exercises.values():
        for position in ("start", "end"):
            for theme in THEMES:
                svg = drawing_svg(exercise.drawing, position, theme, size=400)
                png = out / drawing_file(exercise.id, position, theme)
                png.with_suffix(".svg").write_text(svg, encoding="utf-8")
                cairosvg.svg2png(bytestring=svg.encode(), write_to=str(png))
                written.append(png)
    return written
