"""Draw the app icon: resources/icons/mou-desk.png (256 px) and mou-desk.ico (16-256 px).

    python packaging/make_icon.py

A navy tile, a white page with text lines and a saffron seal: an agreement on a desk.
Drawn at 4x and scaled down so edges are smooth. Needs Pillow (a reportlab dependency).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
NAVY, PAGE, LINE, SAFFRON, GREEN = "#1f3a68", "#ffffff", "#9fb0c8", "#f29b1d", "#1e8a4c"


def draw(size: int = 1024) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    u = size / 64  # drawing units: a 64 x 64 grid
    pen.rounded_rectangle((2 * u, 2 * u, 62 * u, 62 * u), radius=12 * u, fill=NAVY)
    pen.rounded_rectangle((15 * u, 9 * u, 49 * u, 55 * u), radius=3 * u, fill=PAGE)
    for top in (17, 24, 31):
        pen.rounded_rectangle((20 * u, top * u, 44 * u, (top + 3) * u), radius=1.5 * u, fill=LINE)
    pen.rounded_rectangle((20 * u, 38 * u, 32 * u, 41 * u), radius=1.5 * u, fill=LINE)
    pen.ellipse((33 * u, 35 * u, 53 * u, 55 * u), fill=SAFFRON)
    pen.line(
        [(38 * u, 45 * u), (42 * u, 49 * u), (48.5 * u, 41 * u)], fill=GREEN, width=round(3 * u)
    )
    return image


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(ICONS / "mou-desk.png")
    sizes = [(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]
    big.resize((256, 256), Image.Resampling.LANCZOS).save(ICONS / "mou-desk.ico", sizes=sizes)
    print(f"wrote {ICONS / 'mou-desk.png'} and {ICONS / 'mou-desk.ico'}")


if __name__ == "__main__":
    main()
