#!/usr/bin/env python3
"""Hostile and broken PDFs for the batch: each is small (well under 100 KB) and made here,
byte by byte, with the Python 3.11 standard library only. Their expected outcomes are in
expected.toml beside this file (checked by tests/hostile.rs); README.md says what each one
is. Regenerate with

    python3 samples/hostile/make.py

Output is deterministic: fixed seeds, fixed IDs, no dates. (The two zlib-compressed files
depend on the zlib build; with the same zlib they come out byte for byte the same.)

Every file meant to be well-formed has a correct cross-reference: byte offsets are
measured while writing, never typed in. The broken ones are broken only where they say.
"""
import hashlib
import os
import random
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"

# ---------------------------------------------------------------------------------------
# Writing objects


def stream(entries: bytes, data: bytes) -> bytes:
    """A stream object's body: its dictionary (with /Length) and data."""
    return b"<<" + entries + b" /Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def classic(objects, root=1, order=None, trailer_extra=b"", header=HEADER):
    """A PDF with a classic xref table. `objects`: {number: body}; `order`: the order the
    objects are written in (default: by number). Returns (bytes, {number: offset})."""
    out = bytearray(header)
    offsets = {}
    for num in order or sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        if num in offsets:
            out += b"%010d 00000 n \n" % offsets[num]
        else:
            out += b"0000000000 00000 f \n"
    out += b"trailer\n<</Size %d /Root %d 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, trailer_extra, xref)
    return bytes(out), offsets


def object_stream(objects, extra=b""):
    """An /ObjStm body holding `objects` ({number: body}, no streams), Flate-compressed."""
    head = bytearray()
    body = bytearray()
    for num in sorted(objects):
        head += b"%d %d " % (num, len(body))
        body += objects[num] + b"\n"
    data = bytes(head) + bytes(body)
    entries = b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode%s" % (len(objects), len(head), extra)
    return stream(entries, zlib.compress(data, 9))


def xref_stream_data(entries, widths):
    """Packs xref-stream rows (type, field2, field3) into bytes of the given /W widths."""
    out = bytearray()
    for row in entries:
        for value, width in zip(row, widths):
            out += value.to_bytes(width, "big")
    return bytes(out)


# ---------------------------------------------------------------------------------------
# One text page, the "valid small PDF" the others start from


def ucs2(text: str) -> bytes:
    """A string for the UniGB-UCS2-H CMap: UTF-16BE, written as hex."""
    return b"<" + text.encode("utf-16-be").hex().upper().encode() + b">"


def text_content(name: str) -> bytes:
    """Two lines: a heading that names a year and department (so a reader that gets the
    text gives metadata year 2025, department 测试样本) and the sample's name. No table."""
    return (
        b"BT /F1 18 Tf 72 720 Td " + ucs2("测试样本2025年部门预算") + b" Tj ET\n"
        b"BT /F1 12 Tf 72 690 Td " + ucs2(f"gongkai hostile sample: {name}") + b" Tj ET\n"
    )


def font(string=lambda s: b"(" + s + b")"):
    """reportlab's way with Chinese: STSong-Light, predefined CMap UniGB-UCS2-H, not
    embedded (as samples/pdf/cmap-stsong-gbk.pdf). `string` writes its two strings (they
    must be encrypted in an encrypted file)."""
    return (
        b"<</Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H\n"
        b"  /DescendantFonts [<</Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light\n"
        b"    /CIDSystemInfo <</Registry " + string(b"Adobe") + b" /Ordering " + string(b"GB1") + b" /Supplement 2>>\n"
        b"    /DW 1000 /FontDescriptor <</Type /FontDescriptor /FontName /STSong-Light /Flags 6\n"
        b"      /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 752 /Descent -271\n"
        b"      /CapHeight 737 /StemV 58>>>>]>>"
    )


PAGE = b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 5 0 R>>>> /Contents 4 0 R>>"


def text_page_objects(name, content=None, content_entries=b"", string=None):
    """1 catalog, 2 pages, 3 page, 4 content, 5 font."""
    data = text_content(name) if content is None else content
    return {
        1: b"<</Type /Catalog /Pages 2 0 R>>",
        2: b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        3: PAGE,
        4: stream(content_entries, data),
        5: font(string) if string else font(),
    }


# ---------------------------------------------------------------------------------------
# Standard security handler, RC4 40-bit (/V 1 /R 2): PDF 32000-1 §7.6.3, algorithms 1-4

PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


def padded(password: bytes) -> bytes:
    return (password + PAD)[:32]


def security(user: bytes, owner: bytes, permissions: int, file_id: bytes):
    """(O, U, file key) for revision 2: algorithm 3 (O), 2 (key), 4 (U)."""
    owner_key = hashlib.md5(padded(owner or user)).digest()[:5]
    o = rc4(owner_key, padded(user))
    key = hashlib.md5(padded(user) + o + struct.pack("<i", permissions) + file_id).digest()[:5]
    u = rc4(key, PAD)
    return o, u, key


def object_key(key: bytes, num: int, gen: int = 0) -> bytes:
    """Algorithm 1: the RC4 key for one object's strings and streams."""
    digest = hashlib.md5(key + num.to_bytes(3, "little") + gen.to_bytes(2, "little")).digest()
    return digest[: min(len(key) + 5, 16)]


def encrypted(name: str, user: bytes, owner: bytes) -> bytes:
    """The text page, encrypted: the content stream and the font's two strings."""
    permissions = -44  # print and copy allowed, modify and annotate not (a common choice)
    file_id = hashlib.md5(b"gongkai hostile " + name.encode()).digest()
    o, u, key = security(user, owner, permissions, file_id)
    objects = text_page_objects(name, string=lambda s: b"<" + rc4(object_key(key, 5), s).hex().encode() + b">")
    objects[4] = stream(b"", rc4(object_key(key, 4), text_content(name)))
    objects[6] = b"<</Filter /Standard /V 1 /R 2 /Length 40 /P %d /O <%s> /U <%s>>>" % (
        permissions,
        o.hex().encode(),
        u.hex().encode(),
    )
    ident = file_id.hex().encode()
    pdf, _ = classic(objects, trailer_extra=b" /Encrypt 6 0 R /ID [<%s> <%s>]" % (ident, ident))
    return pdf


# ---------------------------------------------------------------------------------------
# The samples


def truncated() -> bytes:
    """The text page with the page tree written last, cut at half its length: the catalog
    survives, its /Pages does not, nor the xref or trailer."""
    pdf, offsets = classic(text_page_objects("truncated"), order=[1, 4, 5, 2, 3])
    half = len(pdf) // 2
    assert offsets[1] < offsets[4] < half < offsets[2], "the cut must fall before the page tree"
    return pdf[:half]


def zero_pages() -> bytes:
    pdf, _ = classic({1: b"<</Type /Catalog /Pages 2 0 R>>", 2: b"<</Type /Pages /Kids [] /Count 0>>"})
    return pdf


def not_a_pdf() -> bytes:
    return (
        "关于召开2025年部门预算编制工作会议的通知\n"
        "This is a plain UTF-8 text file named .pdf: no %PDF header, no objects, no xref.\n"
    ).encode()


def random_bytes() -> bytes:
    return random.Random(20250101).randbytes(8192)


def cyclic_page_tree() -> bytes:
    """The root /Pages (2) has the text page (3) and an intermediate /Pages node (6) whose
    /Kids hold itself and its parent: 2 → 6 → 6 … and 2 → 6 → 2 …"""
    objects = text_page_objects("cyclic-page-tree")
    objects[2] = b"<</Type /Pages /Kids [3 0 R 6 0 R] /Count 2>>"
    objects[6] = b"<</Type /Pages /Parent 2 0 R /Kids [6 0 R 2 0 R] /Count 1>>"
    pdf, _ = classic(objects)
    return pdf


def cyclic_object_stream() -> bytes:
    """PDF 1.5 structure: catalog, pages, page and font in an object stream (6) whose
    /Extends is itself; two xref streams (7, the newest, and 8) whose /Prev point at each
    other. Every entry is right, so the page itself is intact and readable."""
    plain = text_page_objects("cyclic-object-stream")
    header = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    objstm = object_stream({n: plain[n] for n in (1, 2, 3, 5)}, extra=b" /Extends 6 0 R")
    widths = (1, 4, 2)

    def build(off7: int, off8: int):
        out = bytearray(header)
        offsets = {}
        for num, body in ((4, plain[4]), (6, objstm)):
            offsets[num] = len(out)
            out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
        offsets[7], offsets[8] = off7, off8
        rows = [(0, 0, 65535)]
        for num in range(1, 9):
            if num in (1, 2, 3, 5):
                rows.append((2, 6, [1, 2, 3, 5].index(num)))
            else:
                rows.append((1, offsets[num], 0))
        data = zlib.compress(xref_stream_data(rows, widths), 9)
        for num, prev in ((8, off7), (7, off8)):
            offsets[num] = len(out)
            entries = b"/Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Prev %d /Filter /FlateDecode" % prev
            out += b"%d 0 obj\n" % num + stream(entries, data) + b"\nendobj\n"
        out += b"startxref\n%d\n%%%%EOF\n" % offsets[7]
        return bytes(out), offsets[7], offsets[8]

    off7 = off8 = 0
    while True:  # the offsets appear in the data they locate: iterate to the fixed point
        pdf, new7, new8 = build(off7, off8)
        if (new7, new8) == (off7, off8):
            return pdf
        off7, off8 = new7, new8


def deflate_bomb() -> bytes:
    """The text page whose content stream inflates to exactly 1 GiB: the two text lines,
    then spaces. Deflate tops out near 1032:1 (1 GiB → ~1 MB), so the stream is deflated
    twice, /Filter [/FlateDecode /FlateDecode], both zlib level 9, fed in 1 MiB chunks."""
    total = 1 << 30
    text = text_content("deflate-bomb")
    inner = zlib.compressobj(9)
    outer = zlib.compressobj(9)
    data = bytearray(outer.compress(inner.compress(text)))
    left = total - len(text)
    chunk = b" " * (1 << 20)
    while left > 0:
        piece = chunk if left >= len(chunk) else chunk[:left]
        data += outer.compress(inner.compress(piece))
        left -= len(piece)
    data += outer.compress(inner.flush())
    data += outer.flush()
    objects = text_page_objects("deflate-bomb", content=bytes(data), content_entries=b"/Filter [/FlateDecode /FlateDecode]")
    pdf, _ = classic(objects)
    return pdf


def huge_image() -> bytes:
    """One page that only draws an image declared 100000 × 100000 8-bit grey (10^10
    bytes decoded) whose Flate data holds a single row of zeros (~100 bytes)."""
    data = zlib.compress(b"\0" * 100000, 9)
    objects = {
        1: b"<</Type /Catalog /Pages 2 0 R>>",
        2: b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        3: b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</XObject <</Im0 5 0 R>>>> /Contents 4 0 R>>",
        4: stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q\n"),
        5: stream(
            b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray"
            b" /BitsPerComponent 8 /Filter /FlateDecode",
            data,
        ),
    }
    pdf, _ = classic(objects)
    return pdf


def png_up(data: bytes, columns: int) -> bytes:
    """The PNG Up predictor (/Predictor 12): each row as its difference from the row above."""
    assert len(data) % columns == 0
    out = bytearray()
    above = bytes(columns)
    for i in range(0, len(data), columns):
        row = data[i : i + columns]
        out.append(2)
        out += bytes((a - b) & 0xFF for a, b in zip(row, above))
        above = row
    return bytes(out)


def aligned_object_stream(objects, columns=16):
    """An /ObjStm in rows of `columns` bytes, Flate with the PNG Up predictor: header pairs
    in fixed-width fields, each body padded with spaces to whole rows. Numbers that count up
    row by row then differ from the row above by one digit, which deflate compresses to
    almost nothing (plain deflate cannot: ~5 bytes per page object)."""
    head = bytearray()
    body = bytearray()
    for num in sorted(objects):
        head += b"%7d %7d " % (num, len(body))
        text = objects[num]
        body += text + b" " * (-len(text) % columns)
    assert len(head) == 16 * len(objects) and columns == 16
    data = png_up(bytes(head) + bytes(body), columns)
    entries = b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns %d>>" % (
        len(objects),
        len(head),
        columns,
    )
    return stream(entries, zlib.compress(data, 9))


def refs(numbers) -> bytes:
    """`n 0 R` references in 16-byte fields."""
    return b"".join(b"%11d 0 R " % n for n in numbers)


def many_pages() -> bytes:
    """10000 real /Page objects, all sharing one empty content stream (3), in a balanced
    tree: root /Pages (2) → 100 /Pages nodes (4-103) → 100 pages each (104-10103). To stay
    compact every non-stream object lives in object streams of 1000 objects in aligned rows
    (see aligned_object_stream) and the cross-reference is an xref stream, also with the Up
    predictor. All of it is ordinary PDF 1.5; only the white space is unusual."""
    nodes, per_node = 100, 100
    first_node, first_page = 4, 4 + nodes
    objects = {1: b"<</Type /Catalog /Pages 2 0 R>>"}
    objects[2] = (
        b"<</Type /Pages /MediaBox [0 0 595 842] /Count %d /Kids [" % (nodes * per_node)
    ).ljust(64) + refs(range(first_node, first_node + nodes)) + b"]>>"
    for i in range(nodes):
        leaves = range(first_page + i * per_node, first_page + (i + 1) * per_node)
        objects[first_node + i] = (b"<</Type /Pages /Parent 2 0 R /Count %d /Kids [" % per_node).ljust(64) + refs(
            leaves
        ) + b"]>>"
        for leaf in leaves:
            objects[leaf] = b"<</Type /Page /Parent %d 0 R /Contents 3 0 R>>" % (first_node + i)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {3: len(out)}
    out += b"3 0 obj\n" + stream(b"", b"") + b"\nendobj\n"
    num = first_page + nodes * per_node
    compressed = sorted(objects)
    where = {}  # object → (its object stream, index in it)
    for start in range(0, len(compressed), 1000):
        group = compressed[start : start + 1000]
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + aligned_object_stream({n: objects[n] for n in group}) + b"\nendobj\n"
        where.update({n: (num, index) for index, n in enumerate(group)})
        num += 1
    xref, size = num, num + 1
    offsets[xref] = len(out)
    rows = [(0, 0, 65535)] + [(2, *where[n]) if n in where else (1, offsets[n], 0) for n in range(1, size)]
    data = zlib.compress(png_up(xref_stream_data(rows, (1, 3, 2)), 6), 9)
    entries = b"/Type /XRef /Size %d /W [1 3 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns 6>>" % size
    out += b"%d 0 obj\n" % xref + stream(entries, data) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref]
    return bytes(out)


SAMPLES = {
    "truncated.pdf": truncated,
    "encrypted-user-password.pdf": lambda: encrypted("encrypted-user-password", b"gongkai-user", b"gongkai-owner"),
    "encrypted-no-user-password.pdf": lambda: encrypted("encrypted-no-user-password", b"", b"gongkai-owner"),
    "zero-pages.pdf": zero_pages,
    "not-a-pdf.pdf": not_a_pdf,
    "random-bytes.pdf": random_bytes,
    "cyclic-page-tree.pdf": cyclic_page_tree,
    "cyclic-object-stream.pdf": cyclic_object_stream,
    "deflate-bomb.pdf": deflate_bomb,
    "huge-image.pdf": huge_image,
    "many-pages.pdf": many_pages,
}


def main():
    for name, make in SAMPLES.items():
        data = make()
        assert len(data) < 100_000, f"{name}: {len(data)} bytes"
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
        print(f"{name:32} {len(data):6} bytes  sha256 {hashlib.sha256(data).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
