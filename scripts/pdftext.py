"""Text runs of a PDF page's content stream, decoded and re-encoded through each font's
ToUnicode map, so a planted defect can change printed characters in place.

Only what the planting needs: `Tj`, `TJ`, `'` and `"` runs of fonts on the page (not inside
form XObjects); a run's text is decoded with its font's ToUnicode CMap (or as Latin-1 for a
simple font without one). A run is re-encoded character by character through the reverse
map, so a replacement must use characters the font's subset already has.
"""

import re

import pikepdf

HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _hex(b):
    return bytes.fromhex(b.decode())


def _utf16(b):
    try:
        return _hex(b).decode("utf-16-be")
    except (UnicodeDecodeError, ValueError):
        return None


class Font:
    """A font's code → text map (and its reverse), from its ToUnicode CMap."""

    def __init__(self, font):
        self.obj = font
        self.width = 1
        self.map = {}
        tu = font.get("/ToUnicode")
        if tu is None or not isinstance(tu, pikepdf.Stream):
            subtype = str(font.get("/Subtype", ""))
            if subtype == "/Type0":
                self.width = 2
            else:
                self.map = {bytes([c]): chr(c) for c in range(32, 127)}
        else:
            self._parse(tu.read_bytes())
        self.reverse = {}
        for code, text in self.map.items():
            self.reverse.setdefault(text, code)

    def _parse(self, data):
        space = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", data)
        if space:
            self.width = len(space.group(1)) // 2
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            pairs = HEX.findall(block)
            for src, dst in zip(pairs[::2], pairs[1::2]):
                text = _utf16(dst)
                if text is not None:
                    self.map[_hex(src)] = text
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
            for m in re.finditer(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
                lo, hi, dst = int(m.group(1), 16), int(m.group(2), 16), m.group(3)
                n = len(m.group(1)) // 2
                if hi - lo > 5000:
                    continue
                if dst.startswith(b"["):
                    for i, d in enumerate(HEX.findall(dst)):
                        text = _utf16(d)
                        if text is not None:
                            self.map[(lo + i).to_bytes(n, "big")] = text
                else:
                    base = _hex(dst[1:-1])
                    for i in range(hi - lo + 1):
                        last = int.from_bytes(base[-2:], "big") + i
                        try:
                            text = (base[:-2] + last.to_bytes(2, "big")).decode("utf-16-be")
                        except (UnicodeDecodeError, OverflowError):
                            continue
                        self.map[(lo + i).to_bytes(n, "big")] = text

    def decode(self, raw):
        """Text and the byte span of each character."""
        chars = []
        for i in range(0, len(raw) - self.width + 1, self.width):
            code = raw[i : i + self.width]
            chars.append((self.map.get(code, "\ufffd"), code))
        return chars

    def encode(self, text):
        """Codes for `text`, or None if the font lacks a character."""
        out = b""
        for c in text:
            code = self.reverse.get(c)
            if code is None:
                return None
            out += code
        return out


def _mul(a, b):
    """Product of two PDF matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


class Run:
    """One text-showing operator: its index in the content stream, its characters (each
    with the string element of the operand it came from) and where it starts on the page
    (user space, y up)."""

    def __init__(self, index, font, pieces, origin=(0.0, 0.0), size=0.0):
        self.index = index
        self.font = font
        self.pieces = pieces  # [(element index or None, [(char, code)])]
        self.origin = origin
        self.size = size

    @property
    def text(self):
        return "".join(c for _, chars in self.pieces for c, _ in chars)


def _is_num(v):
    try:
        float(v)
        return not isinstance(v, (pikepdf.Name, pikepdf.String, pikepdf.Array, pikepdf.Dictionary))
    except (TypeError, ValueError):
        return False


class Page:
    """A page's content stream, parsed, with its decoded text runs."""

    def __init__(self, pdf, page):
        self.pdf = pdf
        self.page = page
        self.ops = list(pikepdf.parse_content_stream(page))
        fonts = page.Resources.get("/Font", {}) if "/Resources" in page.obj else {}
        self.fonts = {str(k): Font(v) for k, v in fonts.items()}
        box = [float(v) for v in page.mediabox]
        self.width = box[2] - box[0]
        self.height = box[3] - box[1]
        self.bottom = box[1]
        self.left = box[0]
        self.rotate = int(page.obj.get("/Rotate", 0)) % 360
        self.runs = []
        font, size, leading = None, 0.0, 0.0
        ctm, stack = [1, 0, 0, 1, 0, 0], []
        tm = tlm = [1, 0, 0, 1, 0, 0]
        for i, (operands, op) in enumerate(self.ops):
            name = str(op)
            nums = [float(v) for v in operands if _is_num(v)]
            if name == "q":
                stack.append(ctm)
            elif name == "Q":
                ctm = stack.pop() if stack else [1, 0, 0, 1, 0, 0]
            elif name == "cm" and len(nums) == 6:
                ctm = _mul(nums, ctm)
            elif name == "BT":
                tm = tlm = [1, 0, 0, 1, 0, 0]
            elif name == "Tm" and len(nums) == 6:
                tm = tlm = nums
            elif name in ("Td", "TD") and len(nums) == 2:
                if name == "TD":
                    leading = -nums[1]
                tm = tlm = _mul([1, 0, 0, 1, nums[0], nums[1]], tlm)
            elif name == "TL" and nums:
                leading = nums[0]
            elif name == "T*":
                tm = tlm = _mul([1, 0, 0, 1, 0, -leading], tlm)
            elif name == "Tf":
                font = self.fonts.get(str(operands[0]))
                size = float(operands[1]) if len(operands) > 1 else 0.0
            if name in ("'", '"'):
                tm = tlm = _mul([1, 0, 0, 1, 0, -leading], tlm)
            if name in ("Tj", "'", '"', "TJ") and font is not None:
                arg = operands[-1]
                if name == "TJ":
                    pieces = [(j, font.decode(bytes(e))) for j, e in enumerate(arg) if isinstance(e, pikepdf.String)]
                else:
                    pieces = [(None, font.decode(bytes(arg)))]
                m = _mul(tm, ctm)
                scale = (m[2] ** 2 + m[3] ** 2) ** 0.5
                run = Run(i, font, pieces, (m[4], m[5]), size * scale)
                run.source = (operands, op)
                run.upright = abs(m[1]) < 1e-6 and abs(m[2]) < 1e-6 and m[0] > 0 and m[3] > 0
                self.runs.append(run)

    def displayed(self, origin):
        """A user-space point as shown: from the left and from the top of the page as
        displayed (its /Rotate applied), as gongkai's `bbox` gives it."""
        x, y = origin[0] - self.left, origin[1] - self.bottom
        return {
            0: (x, self.height - y),
            90: (y, x),
            180: (self.width - x, y),
            270: (self.height - y, self.width - x),
        }.get(self.rotate, (x, self.height - y))

    def in_box(self, bbox, pad=1.5):
        """The runs starting inside a box given as [x0, top, x1, bottom] from the page's
        top-left (gongkai's `bbox`), in stream order."""
        x0, top, x1, bottom = bbox
        out = []
        for r in self.runs:
            x, y = self.displayed(r.origin)
            if x0 - pad <= x <= x1 + pad and top - pad <= y <= bottom + pad:
                out.append(r)
        return out

    def replace(self, run, new_text):
        """Gives `run` the text `new_text` (same length), or False if the font cannot."""
        old = run.text
        if len(new_text) != len(old):
            return False
        k = 0
        operands, op = self.ops[run.index]
        operands = list(operands)
        for element, chars in run.pieces:
            codes = b""
            for c, code in chars:
                want = new_text[k]
                k += 1
                if want == c:
                    codes += code
                else:
                    enc = run.font.encode(want)
                    if enc is None:
                        return False
                    codes += enc
            if element is None:
                operands[-1] = pikepdf.String(codes)
            else:
                arr = list(operands[-1])
                arr[element] = pikepdf.String(codes)
                operands[-1] = pikepdf.Array(arr)
        self.ops[run.index] = pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(str(op)))
        return True

    def delete(self, run):
        """Removes a run's text (its operator shows an empty string)."""
        operands, op = self.ops[run.index]
        operands = list(operands)
        operands[-1] = pikepdf.Array([]) if str(op) == "TJ" else pikepdf.String(b"")
        self.ops[run.index] = pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(str(op)))

    def user(self, point):
        """A displayed point (from the page's top-left, gongkai's `bbox`) in user space: the
        inverse of `displayed`."""
        a, b = point
        x, y = {
            0: (a, self.height - b),
            90: (b, a),
            180: (self.width - a, b),
            270: (self.width - b, self.height - a),
        }.get(self.rotate, (a, self.height - b))
        return x + self.left, y + self.bottom

    def append_runs(self, runs, at):
        """Prints copies of `runs` (from any page of the same PDF, one line of text) with the
        first starting at user-space point `at`, each in its own font at its own size, after
        the page's content (wrapped in q/Q so that its graphics state is not inherited)."""
        resources = self.page.resources
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        fonts = resources.Font
        x0, y0 = runs[0].origin
        added = [pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q")),
                 pikepdf.ContentStreamInstruction([], pikepdf.Operator("BT"))]
        for k, r in enumerate(runs):
            name = pikepdf.Name(f"/GKNote{k}")
            fonts[name] = r.font.obj
            operands, op = r.source
            x, y = at[0] + r.origin[0] - x0, at[1] + r.origin[1] - y0
            added += [
                pikepdf.ContentStreamInstruction([name, r.size], pikepdf.Operator("Tf")),
                pikepdf.ContentStreamInstruction([1, 0, 0, 1, x, y], pikepdf.Operator("Tm")),
                pikepdf.ContentStreamInstruction([operands[-1]], pikepdf.Operator("TJ" if str(op) == "TJ" else "Tj")),
            ]
        added.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("ET")))
        self.ops = [pikepdf.ContentStreamInstruction([], pikepdf.Operator("q"))] + self.ops + added

    def save(self):
        self.page.obj.Contents = self.pdf.make_stream(pikepdf.unparse_content_stream(self.ops))
