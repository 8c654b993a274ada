#!/usr/bin/env python3
"""Whole-document scans of real disclosures, made as a scanner would: every page of a text
PDF from ../shared/corpus rendered at DPI, turned by a skew of up to 2°, with noise, blur and
JPEG artefacts, wrapped as an image-only PDF; and the same images with tesseract's hidden
text layer (a "searchable PDF", as scanning software writes it). Seeded: the same
arguments make the same files. Their truth is the text-layer conversion of the source.

    scripts/make_scans.py OUT [--dpi 150,200,300] [--layer-dpi 200] [DOC ...]

DOC is a path under ../shared/corpus/pdf (default: the four of `DOCUMENTS`, four layouts).
Writes OUT/<stem>-<dpi>dpi.pdf and OUT/<stem>-<dpi>dpi-ocr-layer.pdf (the latter only at the
--layer-dpi resolutions). Needs pdftoppm, pdfunite, tesseract (chi_sim), Pillow and numpy.
"""
import hashlib
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"
# Four layouts: Shanghai's, Beijing's 报表, Guangdong's (珠海), Zhejiang's (杭州).
DOCUMENTS = [
    "shanghai/shanghai-2026年上海市工业和信息化局_部门预算.pdf",
    "beijing/beijing-政府办公厅_附件2：北京市信访办公室2026年度部门预算报表.pdf",
    "zhuhai/zhuhai-财政局_2026年部门预算.pdf",
    "hangzhou/hangzhou-2026年杭州市气象局部门预算.pdf",
]
# ASCII names for the scans (the corpus names are long and Chinese).
STEMS = {
    "shanghai/shanghai-2026年上海市工业和信息化局_部门预算.pdf": "shanghai-industry-2026",
    "beijing/beijing-政府办公厅_附件2：北京市信访办公室2026年度部门预算报表.pdf": "beijing-petitions-2026",
    "zhuhai/zhuhai-财政局_2026年部门预算.pdf": "zhuhai-finance-2026",
    "hangzhou/hangzhou-2026年杭州市气象局部门预算.pdf": "hangzhou-weather-2026",
}


def seed_of(*parts) -> int:
    """A seed from the document, resolution and page: stable across runs and machines."""
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return next(int(l.split()[-1]) for l in out.splitlines() if l.startswith("Pages:"))


def scanned(pdf: Path, page: int, dpi: int, tmp: Path, seed: int) -> bytes:
    """One page as a scanner gives it: a greyscale JPEG at `dpi`."""
    stem = tmp / f"p{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)
    img = Image.open(f"{stem}.pgm").convert("L")
    rng = np.random.default_rng(seed)
    skew = float(rng.uniform(-2.0, 2.0))
    sigma = float(rng.uniform(5.0, 10.0))
    blur = float(rng.uniform(0.4, 0.9))
    quality = int(rng.integers(70, 91))
    img = img.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
    a = np.asarray(img, dtype=np.float32) + rng.normal(0.0, sigma, size=(img.height, img.width)).astype(np.float32)
    img = Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), mode="L")
    img = img.filter(ImageFilter.GaussianBlur(radius=blur))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, dpi=(dpi, dpi))
    return buf.getvalue()


def make(doc: str, dpi: int, layer: bool, out: Path) -> list[Path]:
    pdf = CORPUS / doc
    stem = STEMS.get(doc, Path(doc).stem)
    made = []
    with tempfile.TemporaryDirectory(prefix="make_scans-") as t:
        tmp = Path(t)
        jpegs = []
        for page in range(1, pages(pdf) + 1):
            path = tmp / f"scan-{page:03}.jpg"
            path.write_bytes(scanned(pdf, page, dpi, tmp, seed_of(doc, dpi, page)))
            jpegs.append(path)
        images = [Image.open(p) for p in jpegs]
        target = out / f"{stem}-{dpi}dpi.pdf"
        # Pillow keeps a JPEG's bytes (DCTDecode), one image per page, sized by its dpi.
        images[0].save(target, save_all=True, append_images=images[1:], resolution=float(dpi))
        made.append(target)
        if layer:
            env = dict(os.environ, OMP_THREAD_LIMIT="1")
            parts = []
            for p in jpegs:
                subprocess.run(["tesseract", str(p), str(p.with_suffix("")), "-l", "chi_sim", "--psm", "3",
                                "--dpi", str(dpi), "pdf"], check=True, env=env, capture_output=True)
                parts.append(str(p.with_suffix(".pdf")))
            target = out / f"{stem}-{dpi}dpi-ocr-layer.pdf"
            subprocess.run(["pdfunite", *parts, str(target)], check=True)
            made.append(target)
    return made


def main() -> int:
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(args.pop(0))
    dpis, layer_dpis, docs = [150, 200, 300], [200], []
    while args:
        a = args.pop(0)
        if a == "--dpi":
            dpis = [int(d) for d in args.pop(0).split(",")]
        elif a == "--layer-dpi":
            layer_dpis = [int(d) for d in args.pop(0).split(",") if d]
        else:
            docs.append(a)
    out.mkdir(parents=True, exist_ok=True)
    for doc in docs or DOCUMENTS:
        for dpi in dpis:
            for path in make(doc, dpi, dpi in layer_dpis, out):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
