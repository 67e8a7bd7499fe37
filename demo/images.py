"""Simple, deterministic banners for the demo content, drawn with Pillow.

Each banner is a diagonal gradient in the portal's palette, a light motif (a network of
municipalities, a shield, a grid of services…) and a short caption. The same spec always
produces the same bytes, so reloading the demo never needs to redraw anything.
"""

from __future__ import annotations

import hashlib
import io
import math
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

# Bootstrap Italia's blues and a few companion colours.
PALETTES = {
    "blue": ("#0066CC", "#003366"),
    "teal": ("#00796B", "#004D40"),
    "indigo": ("#3F51B5", "#1A237E"),
    "green": ("#2E7D32", "#0B3D12"),
    "slate": ("#455A64", "#1C2A31"),
    "plum": ("#6A1B9A", "#2E0B45"),
    "amber": ("#B35900", "#4D2600"),
}

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Bold.ttf",
)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


class _Sequence:
    """A tiny deterministic number source (no ``random``: results depend only on the seed)."""

    def __init__(self, seed: str):
        self.state = hashlib.sha256(seed.encode()).digest()
        self.index = 0

    def next(self) -> float:
        if self.index >= len(self.state):
            self.state = hashlib.sha256(self.state).digest()
            self.index = 0
        value = self.state[self.index] / 255
        self.index += 1
        return value

    def between(self, low: float, high: float) -> float:
        return low + (high - low) * self.next()


def _gradient(size: tuple[int, int], start: str, end: str) -> Image.Image:
    width, height = size
    vertical = Image.linear_gradient("L").resize(size)
    horizontal = Image.linear_gradient("L").rotate(90).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    mask = ImageChops.add(vertical, horizontal.resize(size), scale=2)
    first = Image.new("RGB", size, _rgb(start))
    second = Image.new("RGB", size, _rgb(end))
    base = Image.composite(second, first, mask)
    # A soft light spot in the upper right corner.
    glow = Image.new("L", size, 0)
    ImageDraw.Draw(glow).ellipse(
        (int(width * 0.55), -int(height * 0.5), int(width * 1.3), int(height * 0.6)), fill=70
    )
    glow = glow.filter(ImageFilter.GaussianBlur(radius=max(size) // 12))
    return Image.composite(Image.new("RGB", size, (255, 255, 255)), base, glow)


def _network(draw, size, seq, left=0.45):
    width, height = size
    count = 22 if left > 0.3 else 40
    bottom = 0.7 if left > 0.3 else 0.92
    nodes = [
        (seq.between(width * left, width * 0.97), seq.between(height * 0.08, height * bottom))
        for _ in range(count)
    ]
    for i, (x1, y1) in enumerate(nodes):
        for x2, y2 in nodes[i + 1 :]:
            if math.dist((x1, y1), (x2, y2)) < width * 0.17:
                draw.line((x1, y1, x2, y2), fill=(255, 255, 255, 90), width=3)
    for x, y in nodes:
        radius = seq.between(8, 20)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, 170))


def _shield(draw, size, seq, left=0.45):
    width, height = size
    cx, cy, r = width * 0.76, height * 0.38, height * 0.3
    for step in range(4):
        k = r * (1 - step * 0.2)
        outline = [
            (cx, cy - k),
            (cx + k * 0.85, cy - k * 0.6),
            (cx + k * 0.75, cy + k * 0.35),
            (cx, cy + k),
            (cx - k * 0.75, cy + k * 0.35),
            (cx - k * 0.85, cy - k * 0.6),
        ]
        draw.polygon(outline, outline=(255, 255, 255, 150 - step * 25), width=5)
    draw.rounded_rectangle(
        (cx - r * 0.2, cy - r * 0.05, cx + r * 0.2, cy + r * 0.3),
        radius=8,
        fill=(255, 255, 255, 190),
    )
    draw.arc(
        (cx - r * 0.14, cy - r * 0.3, cx + r * 0.14, cy + r * 0.05),
        180,
        360,
        fill=(255, 255, 255, 190),
        width=8,
    )
    _dots(draw, size, seq, count=30)


def _grid(draw, size, seq, left=0.45):
    width, height = size
    cell = height * 0.14
    for row in range(4):
        for col in range(5):
            x = width * 0.56 + col * cell * 1.2
            y = height * 0.08 + row * cell * 1.25
            alpha = int(seq.between(50, 170))
            draw.rounded_rectangle(
                (x, y, x + cell, y + cell), radius=int(cell * 0.22), fill=(255, 255, 255, alpha)
            )


def _bars(draw, size, seq, left=0.45):
    width, height = size
    base_y = height * 0.7
    bar = width * 0.045
    for i in range(9):
        x = width * 0.5 + i * bar * 1.4
        top = base_y - seq.between(height * 0.12, height * 0.58)
        draw.rounded_rectangle((x, top, x + bar, base_y), radius=6, fill=(255, 255, 255, 150))
    draw.line(
        (width * 0.48, base_y + 6, width * 0.97, base_y + 6), fill=(255, 255, 255, 200), width=4
    )


def _books(draw, size, seq, left=0.45):
    width, height = size
    x = width * 0.52
    for _ in range(8):
        w = seq.between(width * 0.03, width * 0.055)
        h = seq.between(height * 0.35, height * 0.58)
        draw.rounded_rectangle(
            (x, height * 0.7 - h, x + w, height * 0.7),
            radius=5,
            fill=(255, 255, 255, int(seq.between(90, 190))),
        )
        x += w + width * 0.012
    draw.line(
        (width * 0.5, height * 0.7 + 5, width * 0.97, height * 0.7 + 5),
        fill=(255, 255, 255, 200),
        width=4,
    )


def _dots(draw, size, seq, left=0.45, count=60):
    width, height = size
    for _ in range(count):
        x, y = seq.between(width * left, width), seq.between(0, height * 0.75)
        r = seq.between(3, 9)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, int(seq.between(40, 140))))


def _talk(draw, size, seq, left=0.45):
    width, height = size
    for i, (cx, cy) in enumerate(((0.62, 0.25), (0.8, 0.45), (0.66, 0.6))):
        x, y = width * cx, height * cy
        w, h = width * 0.2, height * 0.17
        draw.rounded_rectangle(
            (x - w / 2, y - h / 2, x + w / 2, y + h / 2),
            radius=24,
            fill=(255, 255, 255, 150 - i * 25),
        )
        for line in range(3):
            ly = y - h / 4 + line * h / 4
            draw.line((x - w / 2.6, ly, x + w / 2.6 - line * 30, ly), fill=(0, 0, 0, 60), width=6)
    _dots(draw, size, seq, count=20)


MOTIFS = {
    "network": _network,
    "shield": _shield,
    "grid": _grid,
    "bars": _bars,
    "books": _books,
    "dots": _dots,
    "talk": _talk,
}


def _wrap(draw, text, font, max_width):
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def banner(
    caption: str,
    *,
    kicker: str = "",
    palette: str = "blue",
    motif: str = "network",
    size: tuple[int, int] = (1600, 900),
) -> bytes:
    """A JPEG banner with a gradient, a motif and an optional caption (bottom left)."""
    start, end = PALETTES[palette]
    image = _gradient(size, start, end).convert("RGBA")
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    # Without a caption the motif fills the whole banner.
    MOTIFS[motif](
        draw, size, _Sequence(f"{caption}|{motif}|{palette}"), left=0.45 if caption else 0.04
    )
    image = Image.alpha_composite(image, overlay)

    draw = ImageDraw.Draw(image)
    width, height = size
    margin = int(width * 0.06)
    title_font = _font(int(height * 0.085))
    lines = _wrap(draw, caption, title_font, width * 0.55) if caption else []
    line_height = int(height * 0.105)
    y = height - margin - line_height * len(lines)
    if kicker and caption:
        kicker_font = _font(int(height * 0.04))
        kicker_y = y - int(height * 0.08)
        draw.rectangle(
            (margin, kicker_y - 6, margin + 10, kicker_y + int(height * 0.045)),
            fill=(255, 255, 255, 255),
        )
        draw.text(
            (margin + 26, kicker_y), kicker.upper(), font=kicker_font, fill=(255, 255, 255, 230)
        )
    for line in lines:
        draw.text((margin + 3, y + 3), line, font=title_font, fill=(0, 0, 0, 90))
        draw.text((margin, y), line, font=title_font, fill=(255, 255, 255, 255))
        y += line_height

    output = io.BytesIO()
    image.convert("RGB").save(output, format="JPEG", quality=86, optimize=True)
    return output.getvalue()
