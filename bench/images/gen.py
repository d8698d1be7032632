"""Camera-like test photos for bench/images.sh: gradients, shapes and sensor noise, JPEG q92.

Usage: gen.py OUT_DIR COUNT [WIDTH HEIGHT]. Writes OUT_DIR/photo-1.jpg … photo-COUNT.jpg
(4000×3000 by default, 3 to 5 MB each); a photo already there is kept. NOISE_SIGMA=0 in the
environment leaves the sensor noise out, for small files.
Each photo is seeded by its number, so the same command makes the same files.
"""

import os
import sys

import numpy as np
from PIL import Image, ImageDraw

QUALITY = 92
NOISE_SIGMA = float(os.environ.get("NOISE_SIGMA", "6.0"))  # 0: smooth, small files


def smooth_field(rng, width, height, cells_x, cells_y, amplitude):
    """Random values on a coarse grid, scaled up bicubically: gradients of `amplitude`."""
    coarse = rng.uniform(-amplitude, amplitude, (cells_y, cells_x, 3)).astype(np.float32)
    size, bicubic = (width, height), Image.Resampling.BICUBIC
    channels = [
        np.asarray(Image.fromarray(coarse[:, :, c]).resize(size, bicubic)) for c in range(3)
    ]
    return np.stack(channels, axis=2)


def shapes(rng, width, height):
    """A layer of soft-edged rectangles and ellipses: the edges a scene has."""
    layer = Image.new("RGB", (width, height), (128, 128, 128))
    draw = ImageDraw.Draw(layer)
    for _ in range(40):
        x0, y0 = rng.integers(0, width), rng.integers(0, height)
        w, h = rng.integers(width // 40, width // 4), rng.integers(height // 40, height // 4)
        colour = tuple(int(v) for v in rng.integers(60, 200, 3))
        box = [x0, y0, x0 + w, y0 + h]
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    return np.asarray(layer, dtype=np.float32) - 128.0


def photo(number, width, height):
    rng = np.random.default_rng(number)
    pixels = np.full((height, width, 3), 128.0, dtype=np.float32)
    pixels += smooth_field(rng, width, height, 6, 5, 70.0)  # light and sky
    pixels += smooth_field(rng, width, height, 80, 60, 18.0)  # texture
    pixels += 0.5 * shapes(rng, width, height)
    pixels += rng.normal(0.0, NOISE_SIGMA, (height, width, 3)).astype(np.float32)  # sensor
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    exif = Image.Exif()
    exif[0x010F] = "midad bench"  # Make
    exif[0x0110] = f"synthetic {number}"  # Model
    exif[0x0112] = 1  # Orientation: upright
    return image, exif


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    width = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
    height = int(sys.argv[4]) if len(sys.argv) > 4 else 3000
    os.makedirs(out, exist_ok=True)
    for number in range(1, count + 1):
        path = os.path.join(out, f"photo-{number}.jpg")
        if os.path.exists(path):
            continue
        image, exif = photo(number, width, height)
        image.save(path + ".tmp", "JPEG", quality=QUALITY, exif=exif)
        os.replace(path + ".tmp", path)
        print(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB", flush=True)


if __name__ == "__main__":
    main()
