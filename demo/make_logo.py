#!/usr/bin/env python3
"""Draw the demo company's logo (static/src/img/sao_viet_logo.png) with Pillow.

    ~/.cache/customer_care/venv/py3.11-*/bin/python demo/make_logo.py

A five-pointed star on a red disc, then the name in two lines. The font is Noto
Sans (fonts-noto-core, which the set-up installs for PDF reports).
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "static/src/img/sao_viet_logo.png"
FONTS = Path("/usr/share/fonts/truetype/noto")
RED, GOLD, INK, GREY = (200, 16, 46), (255, 205, 0), (33, 37, 41), (108, 117, 125)
SCALE = 4  # draw large, then shrink: smooth edges


def star(cx, cy, outer, inner):
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    return points


def main():
    width, height = 560 * SCALE, 140 * SCALE
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    r = 60 * SCALE
    cx, cy = 70 * SCALE, 70 * SCALE
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=RED)
    draw.polygon(star(cx, cy + 3 * SCALE, 44 * SCALE, 18 * SCALE), fill=GOLD)
    bold = ImageFont.truetype(str(FONTS / "NotoSans-Bold.ttf"), 50 * SCALE)
    regular = ImageFont.truetype(str(FONTS / "NotoSans-Regular.ttf"), 24 * SCALE)
    draw.text((150 * SCALE, 10 * SCALE), "Sao Việt", font=bold, fill=RED)
    draw.text(
        (152 * SCALE, 84 * SCALE), "ĐIỆN MÁY · CHÍNH HÃNG", font=regular, fill=GREY
    )
    image = image.resize((width // SCALE, height // SCALE), Image.LANCZOS)
    image.save(OUT, optimize=True)
    print(OUT, image.size)


if __name__ == "__main__":
    main()
