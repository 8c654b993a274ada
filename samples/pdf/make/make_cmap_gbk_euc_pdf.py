#!/usr/bin/env python3
"""Sibling of make_cmap_pdf.py: the same one-page 三公 table (title, banner lines, header,
rows, values, ruling lines; the data and drawing code are imported from make_cmap_pdf.py), but
the STSong-Light Type0 font uses the predefined CMap GBK-EUC-H. The text strings are GBK bytes
(Python's 'gbk' codec): two bytes for a Chinese character, one byte for an ASCII digit, letter,
space or punctuation mark. Adobe-GB1 collection, font NOT embedded, NO ToUnicode map: a text
extractor has to map GBK codes -> CIDs -> Unicode through the predefined CMap itself.

ReportLab's own CIDFont('STSong-Light', 'GBK-EUC-H') cannot draw text (ReportLab 5.1.0 no
longer loads CMap files: its stringWidth is 0 for every string, and formatForPdf fails on any
non-Latin-1 character), so a small subclass does the encoding and the widths:

* formatForPdf: the text encoded with 'gbk', escaped as a PDF literal string;
* stringWidth: GBK-EUC-H maps the single bytes 0x20 -> CID 7716 and 0x21..0x7E -> CIDs
  814..907, the half-width (500/1000 em) Latin glyphs of Adobe-GB1, not the proportional
  CIDs 1..95 that UniGB-UCS2-H uses; every double-byte code used here is a full-width
  character (1000/1000 em, the font's DW);
* the font dictionary: ReportLab's STSong-Light dictionary with /Encoding /GBK-EUC-H, the W
  array extended by those half-width CIDs (otherwise a viewer would set them 1000 wide), and
  CIDSystemInfo Supplement 2 (that of GBK-EUC-H, Adobe-GB1-2).

So the page is that of cmap-stsong-gbk.pdf with every text anchor (left edge, centre, right
edge) in the same place; digits, spaces and ASCII punctuation are half-width glyphs.

Usage: python3 make_cmap_gbk_euc_pdf.py OUT.pdf
"""
import copy
import sys
import unicodedata

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import CIDFont, CIDFontInfo, structToPDF

import make_cmap_pdf

FACE = make_cmap_pdf.FONT  # STSong-Light
CMAP = "GBK-EUC-H"
HALF_WIDTH = [814, 907, 500, 7716, [500]]  # W array entries for GBK-EUC-H's single bytes


def w_table(w):
    """PDF W array -> {cid: width}."""
    out, i = {}, 0
    while i < len(w):
        if isinstance(w[i + 1], list):
            for k, width in enumerate(w[i + 1]):
                out[w[i] + k] = width
            i += 2
        else:
            for cid in range(w[i], w[i + 1] + 1):
                out[cid] = w[i + 2]
            i += 3
    return out


class GBKEUCFont(CIDFont):
    """STSong-Light with the predefined CMap GBK-EUC-H, taking Python str."""

    def __init__(self):
        CIDFont.__init__(self, FACE, CMAP)  # registered as "STSong-Light-GBK-EUC-H"
        descendant = copy.deepcopy(CIDFontInfo[FACE]["DescendantFonts"][0])
        self.default_width = descendant["DW"]
        self.widths = w_table(descendant["W"] + HALF_WIDTH)

    def cid_width(self, ch):
        code = ch.encode("gbk")
        if len(code) == 1:
            assert 0x20 <= code[0] <= 0x7E, repr(ch)
            cid = 7716 if code[0] == 0x20 else 814 + code[0] - 0x21
            return self.widths[cid]
        assert unicodedata.east_asian_width(ch) in ("W", "F"), repr(ch)
        return self.default_width

    def formatForPdf(self, text):
        return escapePDF(text.encode("gbk"))

    def stringWidth(self, text, size, encoding=None):
        return 0.001 * size * sum(self.cid_width(ch) for ch in text)

    def addObjects(self, doc):
        internal = "F" + repr(len(doc.fontMapping) + 1)
        font = copy.deepcopy(CIDFontInfo[FACE])  # ReportLab's own dict stays untouched
        font["Name"] = "/" + internal
        font["Encoding"] = "/" + CMAP
        descendant = font["DescendantFonts"][0]
        descendant["W"] = descendant["W"] + HALF_WIDTH
        descendant["CIDSystemInfo"]["Supplement"] = 2
        ref = doc.Reference(structToPDF(font), internal)
        doc.idToObject["BasicFonts"].dict[internal] = ref
        doc.fontMapping[self.name] = "/" + internal


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "cmap-stsong-gbk-euc.pdf"
    font = GBKEUCFont()
    pdfmetrics.registerFont(font)
    make_cmap_pdf.draw(out, font.name)


if __name__ == "__main__":
    main()
