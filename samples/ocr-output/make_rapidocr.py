"""RapidOCR's JSON of the 150 dpi scan (samples/scan), as a user who ran a PP-OCR engine on
an archive has it: pages rendered at 300 dpi by pdftoppm, read by rapidocr-onnxruntime
(PP-OCRv4 detection and recognition, its bundled models), one list of
`[box, text, score]` per page. Run from the repository root with the project's venv:
`.venv/bin/python samples/ocr-output/make_rapidocr.py`."""
import json
import subprocess
import tempfile
from pathlib import Path

from rapidocr_onnxruntime import RapidOCR

SCAN = "samples/scan/qinglong-2023-budget-scan-150dpi.pdf"
OUT = Path("samples/ocr-output/qinglong-2023-budget-rapidocr.json")

engine = RapidOCR()
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", SCAN, f"{tmp}/page"], check=True)
    pages = []
    for image in sorted(Path(tmp).glob("page-*.png")):
        result, _ = engine(str(image))
        # Boxes rounded to a tenth of a pixel, scores to four places: the file stays small.
        pages.append(
            [[[[round(x, 1), round(y, 1)] for x, y in box], text, round(float(score), 4)] for box, text, score in result or []]
        )
OUT.write_text(json.dumps(pages, ensure_ascii=False) + "\n", encoding="utf-8")
