#!/usr/bin/env python3
"""Make simulated scans of three pages of the 青龙 2023 budget PDF for OCR tests.

Source: ../pdf/qinglong-2023-budget-hebei.pdf, pages 1, 2 (部门预算收支总表) and
14 (部门预算财政拨款"三公"经费支出表).  Output, next to this script:

  qinglong-2023-budget-scan-200dpi.pdf    image-only, 200 dpi greyscale JPEG pages
  qinglong-2023-budget-scan-150dpi.pdf    image-only, 150 dpi greyscale JPEG pages
  qinglong-2023-budget-scan-ocr-layer.pdf the 200 dpi JPEGs + tesseract's hidden
                                          text layer (a "searchable PDF")

Per page: `pdftoppm -r DPI -gray` -> rotate (PIL, positive = counter-clockwise,
bicubic, white fill, same canvas size) -> add Gaussian noise (numpy
default_rng, fixed seed per page) -> GaussianBlur -> 8-bit greyscale JPEG.

Run:  python3 make_scans.py   (needs pdftoppm, tesseract with chi_sim,
Pillow, numpy, img2pdf, pypdf).  Intermediate images go to a temporary
directory and are deleted; nothing outside this directory is written.
"""

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import img2pdf
import numpy as np
from PIL import Image, ImageFilter
from pypdf import PdfReader, PdfWriter

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "pdf" / "qinglong-2023-budget-hebei.pdf"
PAGES = [1, 2, 14]  # source page numbers; they become pages 1..3 of each scan
JPEG_QUALITY = 85

VARIANTS = {
    # name: dpi, skew per output page (degrees, + = counter-clockwise),
    #       noise sigma (grey levels), blur radius, base seed
    "200dpi": dict(dpi=200, skew=[+0.6, -0.4, +0.3], sigma=6.0, blur=0.6, seed=2000),
    "150dpi": dict(dpi=150, skew=[+0.8, -0.5, +0.2], sigma=8.0, blur=0.7, seed=1500),
}


def render(page: int, dpi: int, tmp: Path) -> Image.Image:
    """Render one source page to an 8-bit greyscale image with pdftoppm."""
    stem = tmp / f"src-{dpi}-p{page}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page),
         "-singlefile", str(SOURCE), str(stem)],
        check=True,
    )
    img = Image.open(f"{stem}.pgm")
    img.load()
    return img.convert("L")


def degrade(img: Image.Image, skew: float, sigma: float, blur: float, seed: int) -> Image.Image:
    img = img.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
    rng = np.random.default_rng(seed)
    a = np.asarray(img, dtype=np.float32)
    a = a + rng.normal(0.0, sigma, size=a.shape).astype(np.float32)
    img = Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), mode="L")
    return img.filter(ImageFilter.GaussianBlur(radius=blur))


def jpeg_bytes(img: Image.Image, dpi: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi), optimize=True)
    return buf.getvalue()


def main() -> int:
    if not SOURCE.is_file():
        print(f"missing source {SOURCE}", file=sys.stderr)
        return 1
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # deterministic tesseract
    with tempfile.TemporaryDirectory(prefix="make_scans-") as t:
        tmp = Path(t)
        jpegs = {}
        for name, v in VARIANTS.items():
            dpi = v["dpi"]
            pages = []
            for i, page in enumerate(PAGES):
                img = degrade(render(page, dpi, tmp), v["skew"][i], v["sigma"],
                              v["blur"], v["seed"] + i)
                data = jpeg_bytes(img, dpi)
                (tmp / f"{name}-p{i + 1}.jpg").write_bytes(data)
                pages.append(data)
            jpegs[name] = pages
            out = HERE / f"qinglong-2023-budget-scan-{name}.pdf"
            out.write_bytes(img2pdf.convert(
                pages,
                layout_fun=img2pdf.get_fixed_dpi_layout_fun((dpi, dpi)),
                engine=img2pdf.Engine.internal,
                nodate=True,
            ))
            print(f"wrote {out.name} ({out.stat().st_size} bytes)")

        # Searchable PDF: tesseract's pdf renderer per 200 dpi page, then merged.
        writer = PdfWriter()
        for i in range(len(PAGES)):
            jpg = tmp / f"200dpi-p{i + 1}.jpg"
            base = tmp / f"ocr-p{i + 1}"
            subprocess.run(
                ["tesseract", str(jpg), str(base), "-l", "chi_sim", "--psm", "3", "pdf"],
                check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            writer.append(PdfReader(f"{base}.pdf"))
        writer.add_metadata({"/Producer": "tesseract 5 pdf renderer + pypdf (make_scans.py)"})
        out = HERE / "qinglong-2023-budget-scan-ocr-layer.pdf"
        with open(out, "wb") as fh:
            writer.write(fh)
        print(f"wrote {out.name} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
