"""The skill's two icons (108 and 512 px PNG), drawn here so they can be remade exactly.

A figure doing a standing hamstring stretch, one foot up on a step, the back of the raised
thigh marked in amber, on a teal ground. Shapes are signed distance functions in a unit
square, so both sizes come from one drawing with smooth edges, and the PNG is written with
zlib and struct alone: the output is byte-for-byte the same on every machine.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

SIZES = {"small": 108, "large": 512}  # what the skill manifest asks for (smallIconUri...)
FILE_NAMES = {"small": "icon-108.png", "large": "icon-512.png"}

Color = tuple[int, int, int]
TOP, BOTTOM = (20, 184, 166), (15, 118, 110)  # teal, light to dark
WHITE: Color = (255, 255, 255)
STEP: Color = (153, 246, 228)
AMBER: Color = (245, 158, 11)


class Shape(NamedTuple):
    distance: Callable[[float, float], float]  # < 0 inside, in unit-square lengths
    box: tuple[float, float, float, float]  # x0, y0, x1, y1: outside it, nothing to draw
    color: Color


def _segment(ax: float, ay: float, bx: float, by: float, width: float, color: Color) -> Shape:
    dx, dy, r = bx - ax, by - ay, width / 2
    length2 = dx * dx + dy * dy

    def distance(x: float, y: float) -> float:
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
        return math.hypot(x - ax - t * dx, y - ay - t * dy) - r

    return Shape(distance, (min(ax, bx) - r, min(ay, by) - r, max(ax, bx) + r, max(ay, by) + r),
                 color)


def _circle(cx: float, cy: float, r: float, color: Color) -> Shape:
    return Shape(lambda x, y: math.hypot(x - cx, y - cy) - r, (cx - r, cy - r, cx + r, cy + r),
                 color)


def _box(x0: float, y0: float, x1: float, y1: float, corner: float, color: Color) -> Shape:
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 - corner, (y1 - y0) / 2 - corner

    def distance(x: float, y: float) -> float:
        qx, qy = abs(x - cx) - hx, abs(y - cy) - hy
        return math.hypot(max(qx, 0.0), max(qy, 0.0)) + min(max(qx, qy), 0.0) - corner

    return Shape(distance, (x0, y0, x1, y1), color)


LIMB = 0.06
SHAPES = (
    _segment(0.1, 0.87, 0.9, 0.87, 0.02, WHITE),         # the floor
    _box(0.64, 0.635, 0.86, 0.87, 0.02, STEP),            # the step
    _segment(0.3, 0.56, 0.3, 0.84, LIMB, WHITE),          # standing leg
    _segment(0.3, 0.84, 0.38, 0.84, 0.05, WHITE),         # its foot
    _segment(0.3, 0.56, 0.74, 0.6, LIMB, WHITE),          # raised leg, heel on the step
    _segment(0.74, 0.6, 0.77, 0.52, 0.05, WHITE),         # its foot, toes up
    _segment(0.38, 0.585, 0.58, 0.603, 0.026, AMBER),     # the back of the thigh
    _segment(0.3, 0.56, 0.47, 0.35, LIMB, WHITE),         # trunk, leaning into the stretch
    _segment(0.47, 0.35, 0.64, 0.52, 0.045, WHITE),       # arm, hand towards the shin
    _circle(0.54, 0.26, 0.075, WHITE),                    # head
)


def render(size: int) -> list[bytearray]:
    """Rows of RGB pixels."""
    rows = []
    for py in range(size):
        shade = py / (size - 1)
        ground = tuple(round(t + (b - t) * shade) for t, b in zip(TOP, BOTTOM, strict=True))
        rows.append(bytearray(ground * size))
    pixel = 1.0 / size
    for shape in SHAPES:
        x0, y0, x1, y1 = shape.box
        for py in range(max(0, int(y0 * size) - 1), min(size, int(y1 * size) + 2)):
            row, y = rows[py], (py + 0.5) * pixel
            for px in range(max(0, int(x0 * size) - 1), min(size, int(x1 * size) + 2)):
                # coverage of this pixel: one pixel of smooth edge around the outline
                cover = 0.5 - shape.distance((px + 0.5) * pixel, y) / pixel
                if cover <= 0:
                    continue
                cover = min(cover, 1.0)
                i = px * 3
                for c in range(3):
                    row[i + c] = round(row[i + c] * (1 - cover) + shape.color[c] * cover)
    return rows


def png(rows: list[bytearray]) -> bytes:
    """An 8-bit RGB PNG (no filter; zlib at level 9)."""
    height, width = len(rows), len(rows[0]) // 3

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, or None if these bytes are not one."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def write_icons(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, size in SIZES.items():
        path = out_dir / FILE_NAMES[kind]
        path.write_bytes(png(render(size)))
        written.append(path)
    return written
