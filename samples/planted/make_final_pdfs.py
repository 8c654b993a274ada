#!/usr/bin/env python3
"""Planted defects in a real text-layer PDF (issue 5).

Source: samples/pdf/putuo-finance-2024-final.pdf (上海市普陀区财政局2024年度部门决算, 25 pages,
ONLYOFFICE 8.0 export: one classic xref table, no object streams, every page's content in
one FlateDecode stream whose /Length is an indirect object right after it, Identity-H CID
fonts subset with ToUnicode maps).

Each output is the source with ONE edit. Objects are spliced at the byte level: every
object not named below is copied byte-for-byte (same object numbers, same order), only the
xref offsets and `startxref` are recomputed. An edited content stream is decompressed,
the one text-showing operator is changed or removed in the decoded bytes, and the stream is
recompressed with zlib level 6 (which reproduces the original compressed bytes exactly, so
the rest of the stream is unchanged too); its /Length object gets the new length.

The operators are found by meaning, not by offset: each page's `Tj`/`TJ`/`'`/`"` operands
are decoded through the current font's ToUnicode CMap, and the edit asserts that exactly
one operator matches. The edits, as this script makes them (page numbers are the source's):

1. issue5-table-removed.pdf — page 15 (object 93 0 R, content 94 0 R, length 95 0 R), the
   whole of 一般公共预算财政拨款支出决算表 (the table fits on that one page; page 16 is
   the basic-expense table), is removed: `93 0 R` is dropped from the /Kids of the page
   tree (3 0 R) and /Count 25 → 24; objects 93, 94, 95 are deleted and marked free in the
   xref. Nothing else references them (no outlines, no named destinations). The table of
   contents (page 2) still lists the table; the narrative still describes it.

2. issue5-three-public-blanked.pdf — page 18 (content 103 0 R), 财政拨款“三公”经费支出决算表:
   the operator `<0004000A0009000B> Tj` (font /F3 = 38 0 R, Times New Roman subset;
   codes → "0.95"),
   the first of the two 0.95 on the page, at 53.59 323.66 Td, i.e. the cell under
   合计/预算数, is deleted (with its line end). Its BT /F3 11 Tf … Td ET stays, drawing
   nothing. The 0.95 under 公务接待费/预算数 stays, and the narrative (page 24) still says
   年初预算为0.95万元.

3. issue5-narrative-total.pdf — page 21 (content 112 0 R), 第三部分 二、收入决算情况说明:
   `<000300090005000C000A0003000B> Tj` (font /F4 = 38 0 R, Times New Roman subset;
   "2946.25") → `<000300090005000C000A000B0003> Tj` ("2946.52": the codes of 2 (0003)
   and 5 (000B) after the point swapped; both glyphs are 500 units wide, so nothing moves).
   The sentence reads 本年收入合计2946.52万元; every table still prints 2,946.25.

4. issue5-smaller-to-larger.pdf — page 22 (content 124 0 R), narrative item
   "1、一般公共服务支出（类）财政事务（款）行政运行（项）… 年初预算为 1560.05 万元，
   支出决算为1511.89万元。": in its next operator, `<000E000F014601CC01D7…> Tj` (font /F3
   = 8 0 R, FangSong subset; "决算数小于预算数的主要原因：人员进出及退休变化，减少人员经费开支"),
   the code of 小 (01CC) → the code the same font maps to 大 (0095): "决算数大于预算数…".
   Both are 1000 units wide. The figures (1511.89 < 1560.05) are unchanged, so the
   statement now contradicts them. It is the first 小于 on page 22 (the seven others stay).

Regenerate with

    pip install pikepdf        # only for reading fonts and streams; not a test dependency
    python3 samples/planted/make_final_pdfs.py

Checked with `pdftotext -layout` (diff against the source: only the edit), `pdffonts`
(same six fonts), `qpdf --check` and a render of the changed page.
"""
import os
import re
import sys
import zlib

import pikepdf

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "pdf", "putuo-finance-2024-final.pdf")

TEXT_OPS = (b"Tj", b"TJ", b"'", b'"')


# ---------------------------------------------------------------------------------------
# Raw file: objects as byte spans, rebuilt with a fresh xref


class RawPdf:
    """A PDF with one classic xref section and no object streams (as ONLYOFFICE writes)."""

    def __init__(self, data):
        self.data = data
        startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
        m = re.compile(rb"xref\s+0\s+(\d+)\s+").match(data, startxref)
        assert m, "expected one classic xref section starting at object 0"
        size = int(m.group(1))
        pos = m.end()
        self.offsets = {}
        for num in range(size):
            entry = data[pos:pos + 20]
            off, _gen, kind = entry[:10], entry[11:16], entry[17:18]
            if kind == b"n":
                self.offsets[num] = int(off)
            pos += 20
        trailer = data.index(b"trailer", pos)
        self.trailer = data[trailer:data.index(b"startxref", trailer)]
        assert b"/Prev" not in self.trailer, "incremental updates are not handled"
        self.size = size
        order = sorted(self.offsets.items(), key=lambda kv: kv[1])
        self.head = data[:order[0][1]]
        # each object's span runs to the next object (or to the xref): the bytes between
        # objects (line ends) travel with the object before them
        self.body = {}
        self.order = [num for num, _ in order]
        for i, (num, off) in enumerate(order):
            end = order[i + 1][1] if i + 1 < len(order) else startxref
            self.body[num] = data[off:end]
            assert self.body[num].startswith(b"%d 0 obj" % num), num

    def stream_parts(self, num):
        """(prefix up to and including the `stream` EOL, compressed data, suffix)"""
        body = self.body[num]
        m = re.search(rb"stream\r?\n", body)
        start = m.end()
        length_ref = re.search(rb"/Length (\d+) 0 R", body[:m.start()])
        length = int(re.search(rb"obj\s+(\d+)\s+endobj", self.body[int(length_ref.group(1))]).group(1))
        return body[:start], body[start:start + length], body[start + length:], int(length_ref.group(1))

    def replace_stream_data(self, num, decoded):
        prefix, old, suffix, length_num = self.stream_parts(num)
        assert zlib.compress(zlib.decompress(old), 6) == old, "level 6 should reproduce the source"
        new = zlib.compress(decoded, 6)
        self.body[num] = prefix + new + suffix
        lbody = self.body[length_num]
        self.body[length_num] = re.sub(rb"(obj\s+)\d+(\s+endobj)", rb"\g<1>%d\g<2>" % len(new), lbody, count=1)

    def delete(self, num):
        self.order.remove(num)
        del self.body[num]

    def write(self, path):
        out = bytearray(self.head)
        offsets = {}
        for num in self.order:
            offsets[num] = len(out)
            out += self.body[num]
        xref = len(out)
        free = [n for n in range(1, self.size) if n not in offsets]
        out += b"xref\n0 %d\n" % self.size
        # free list: 0 → first free → … → 0
        chain = [0] + free
        nxt = {chain[i]: chain[(i + 1) % len(chain)] for i in range(len(chain))}
        for num in range(self.size):
            if num in offsets:
                out += b"%010d 00000 n\r\n" % offsets[num]
            else:
                out += b"%010d %05d f\r\n" % (nxt[num], 65535 if num == 0 else 1)
        out += self.trailer + b"startxref\n%d\n%%%%EOF\n" % xref
        with open(path, "wb") as f:
            f.write(out)
        return len(out)


# ---------------------------------------------------------------------------------------
# Content streams: tokens with byte spans, text decoded through ToUnicode

WS = b" \t\r\n\x0c\x00"
DELIM = b"()<>[]{}/%"


def parse_tounicode(data):
    cmap = {}
    for blk in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for a, b in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
            cmap[int(a, 16)] = bytes.fromhex(b.decode()).decode("utf-16-be")
    for blk in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for a, b, c in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", blk):
            lo, hi = int(a, 16), int(b, 16)
            if c.startswith(b"["):
                for i, x in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", c)):
                    cmap[lo + i] = bytes.fromhex(x.decode()).decode("utf-16-be")
            else:
                base = bytes.fromhex(c[1:-1].decode())
                u = int.from_bytes(base, "big")
                for i in range(hi - lo + 1):
                    cmap[lo + i] = (u + i).to_bytes(len(base), "big").decode("utf-16-be")
    return cmap


def tokens(data):
    """(kind, raw value, start, end) for each token of a content stream"""
    i, n = 0, len(data)
    while i < n:
        c = data[i:i + 1]
        if c in WS:
            i += 1
            continue
        if c == b"%":
            j = data.find(b"\n", i)
            i = n if j < 0 else j
            continue
        s = i
        if data[i:i + 2] in (b"<<", b">>"):
            yield ("dict", data[i:i + 2], s, i + 2)
            i += 2
        elif c == b"<":
            j = data.index(b">", i)
            yield ("hex", data[i + 1:j], s, j + 1)
            i = j + 1
        elif c == b"(":
            depth, j = 1, i + 1
            while depth:
                ch = data[j:j + 1]
                if ch == b"\\":
                    j += 2
                    continue
                depth += {b"(": 1, b")": -1}.get(ch, 0)
                j += 1
            yield ("lit", data[i + 1:j - 1], s, j)
            i = j
        elif c in (b"[", b"]", b"{", b"}"):
            yield (c.decode(), c, s, i + 1)
            i += 1
        else:
            j = i + 1
            while j < n and data[j:j + 1] not in WS and data[j:j + 1] not in DELIM:
                j += 1
            word = data[i:j]
            kind = "name" if c == b"/" else "num" if re.fullmatch(rb"[+-]?(\d+\.?\d*|\.\d+)", word) else "op"
            yield (kind, word, s, j)
            i = j


def string_bytes(tok):
    kind, raw = tok[0], tok[1]
    if kind == "hex":
        h = re.sub(rb"\s", b"", raw)
        return bytes.fromhex((h + b"0" * (len(h) % 2)).decode())
    out, i = bytearray(), 0
    esc = {b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12, b"(": 40, b")": 41, b"\\": 92}
    while i < len(raw):
        if raw[i:i + 1] == b"\\":
            nx = raw[i + 1:i + 2]
            if nx in esc:
                out.append(esc[nx])
                i += 2
            elif nx.isdigit():
                oct_ = re.match(rb"[0-7]{1,3}", raw[i + 1:]).group()
                out.append(int(oct_, 8) & 255)
                i += 1 + len(oct_)
            else:
                i += 2 if nx in (b"\r", b"\n") else 1
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


class TextOp:
    """One text-showing operator: its statement's byte span and its decoded glyphs."""

    def __init__(self, op, operands, font, start, end, cmap):
        self.op, self.operands, self.font, self.start, self.end = op, operands, font, start, end
        self.codes = []  # (code, operand index, byte offset of the 4 hex digits) for hex strings
        text = []
        for k, tok in enumerate(operands):
            if tok[0] not in ("hex", "lit"):
                continue
            b = string_bytes(tok)
            for i in range(0, len(b), 2):  # Identity-H: two-byte codes
                code = int.from_bytes(b[i:i + 2], "big")
                text.append(cmap.get(code, "\ufffd"))
                self.codes.append((code, k))
        self.text = "".join(text)


class Page:
    def __init__(self, pdf, raw, index):
        self.number = index + 1
        self.obj = pdf.pages[index].obj
        contents = self.obj.Contents
        assert isinstance(contents, pikepdf.Array) and len(contents) == 1
        self.content_num = contents[0].objgen[0]
        self.data = contents[0].read_bytes()
        assert zlib.decompress(raw.stream_parts(self.content_num)[1]) == self.data
        fonts = self.obj.Resources.get("/Font", {})
        self.fonts = {k: (v.objgen[0], str(v.BaseFont), parse_tounicode(v.ToUnicode.read_bytes()))
                      for k, v in fonts.items()}
        self.ops = []
        font, stack = None, []
        for tok in tokens(self.data):
            if tok[0] != "op":
                stack.append(tok)
                continue
            if tok[1] == b"Tf":
                font = stack[0][1].decode()
            elif tok[1] in TEXT_OPS:
                start = stack[0][2] if stack else tok[2]
                self.ops.append(TextOp(tok[1], stack, font, start, tok[3], self.fonts[font][2]))
            stack = []
        self.text = "".join(o.text for o in self.ops)

    def find(self, text, contains=False):
        hits = [o for o in self.ops if (text in o.text if contains else o.text == text)]
        return hits

    def code_for(self, font, char):
        codes = [c for c, u in self.fonts[font][2].items() if u == char]
        if not codes:
            raise LookupError(f"{char} is not in {self.fonts[font][1]}")
        return codes[0]


def hexstring(codes):
    return b"<" + b"".join(b"%04X" % c for c in codes) + b">"


def set_codes(page, op, new_codes):
    """The statement `<hex> Tj` with its string rewritten; only single-hex-string Tj."""
    assert op.op == b"Tj" and len(op.operands) == 1 and op.operands[0][0] == "hex"
    tok = op.operands[0]
    old = page.data[tok[2]:tok[3]]
    new = hexstring(new_codes)
    assert len(new) == len(old)
    return page.data[:tok[2]] + new + page.data[tok[3]:]


def delete_op(page, op):
    """The statement removed with the line end after it."""
    end = op.end
    while page.data[end:end + 1] in (b"\r", b"\n"):
        end += 1
    return page.data[:op.start] + page.data[end:]


# ---------------------------------------------------------------------------------------
# The four edits


def load():
    data = open(SOURCE, "rb").read()
    return RawPdf(data), pikepdf.open(SOURCE)


def describe(page, op, new_data):
    old_stmt = page.data[op.start:op.end].decode("latin-1")
    return f"page {page.number}, content {page.content_num} 0 R, {op.font} " \
           f"({page.fonts[op.font][1]}): {old_stmt!r} = {op.text!r}"


def table_removed(out):
    raw, pdf = load()
    title = "一般公共预算财政拨款支出决算表"
    pages = [Page(pdf, raw, i) for i in range(len(pdf.pages))]
    # the title is drawn by one operator on the contents page (2) and on the table's page,
    # where it is the first text drawn (page 21 only describes the table)
    hits = [p for p in pages if p.find(title)]
    assert [p.number for p in hits] == [2, 15], [p.number for p in hits]
    assert pages[1].ops[0].text != title and "目" in pages[1].text[:3]
    page = hits[1]
    assert page.ops[0].text == title and "科目编码" in page.text
    nxt = pages[page.number]  # the next page begins another table, so this one ends here
    assert "一般公共预算财政拨款基本支出决算表" in nxt.text
    page_num = page.obj.objgen[0]
    length_num = raw.stream_parts(page.content_num)[3]
    data = raw.data
    for n in (page_num, page.content_num, length_num):
        refs = re.findall(rb"(?<![0-9])%d 0 R" % n, data)
        assert len(refs) == 1, (n, refs)  # only its parent's /Kids, the page's /Contents, the /Length
    tree = raw.body[3]
    assert b"/Type /Pages" in tree
    tree = tree.replace(b" %d 0 R" % page_num, b"", 1).replace(b"/Count 25", b"/Count 24", 1)
    raw.body[3] = tree
    for n in (page_num, page.content_num, length_num):
        raw.delete(n)
    size = raw.write(out)
    return size, f"page {page.number} (object {page_num} 0 R, content {page.content_num} 0 R, " \
                  f"length {length_num} 0 R) removed; /Kids of 3 0 R without it, /Count 25 → 24"


def three_public_blanked(out):
    raw, pdf = load()
    page = Page(pdf, raw, 17)
    assert "财政拨款“三公”经费支出决算表" in page.text
    hits = page.find("0.95")
    assert len(hits) == 2, len(hits)
    # the first is in the 合计/预算数 cell (leftmost column, x 53.59); the second under
    # 公务接待费/预算数 (x 711.61): check by the Td before each
    td = [re.findall(rb"([\d.]+) ([\d.]+) Td", page.data[:o.start])[-1] for o in hits]
    assert float(td[0][0]) < 100 < float(td[1][0]), td
    op = hits[0]
    new = delete_op(page, op)
    raw.replace_stream_data(page.content_num, new)
    size = raw.write(out)
    return size, describe(page, op, new) + f" at {td[0][0].decode()} {td[0][1].decode()} Td → deleted"


def narrative_total(out):
    raw, pdf = load()
    page = Page(pdf, raw, 20)
    i = [k for k, o in enumerate(page.ops) if o.text == "本年收入合计"]
    assert len(i) == 1
    op = page.ops[i[0] + 1]
    assert op.text == "2946.25" and page.ops[i[0] + 2].text.startswith("万元"), op.text
    codes = [c for c, _ in op.codes]
    two, five = page.code_for(op.font, "2"), page.code_for(op.font, "5")
    assert codes[-2:] == [two, five]
    new_codes = codes[:-2] + [five, two]
    new = set_codes(page, op, new_codes)
    raw.replace_stream_data(page.content_num, new)
    size = raw.write(out)
    return size, describe(page, op, new) + f" → {hexstring(new_codes).decode()} Tj = '2946.52'"


def smaller_to_larger(out):
    raw, pdf = load()
    page = Page(pdf, raw, 21)
    # item 1: its operators run "…行政运行（项）" … "年初预算为" "1560.05" "万元，支出决算为"
    # "1511.89" "万" "元" "。" then the reason sentence
    k = [k for k, o in enumerate(page.ops) if o.text == "1560.05"]
    assert len(k) == 1
    assert "行政运行（项）" in "".join(o.text for o in page.ops[k[0] - 6:k[0]])
    assert page.ops[k[0] + 2].text == "1511.89"
    op = next(o for o in page.ops[k[0]:] if "小于" in o.text)
    assert op is page.ops[k[0] + 6] and op.text.startswith("决算数小于预算数的主要原因"), op.text
    small, large = page.code_for(op.font, "小"), page.code_for(op.font, "大")
    codes = [c for c, _ in op.codes]
    at = op.text.index("小于")
    assert codes[at] == small
    new_codes = codes[:at] + [large] + codes[at + 1:]
    new = set_codes(page, op, new_codes)
    raw.replace_stream_data(page.content_num, new)
    size = raw.write(out)
    return size, describe(page, op, new) + \
        f" → code {small:04X} (小) replaced by {large:04X} (大): '{op.text.replace('小于', '大于', 1)}'"


EDITS = {
    "issue5-table-removed.pdf": table_removed,
    "issue5-three-public-blanked.pdf": three_public_blanked,
    "issue5-narrative-total.pdf": narrative_total,
    "issue5-smaller-to-larger.pdf": smaller_to_larger,
}


def main():
    for name, edit in EDITS.items():
        size, what = edit(os.path.join(HERE, name))
        print(f"{name}\t{size} bytes\t{what}")


if __name__ == "__main__":
    sys.exit(main())
