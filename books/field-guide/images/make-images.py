#!/usr/bin/env python3
"""Regenerate the images of "A Field Guide to folio".

Uses only the Python 3 standard library (zlib and struct). Run it from
anywhere; it writes:

  ../cover.png            the book cover, 800 x 1280
  book-folder.png         the diagram in "Images and covers", 400 x 240
"""

import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

# A 5 x 7 pixel font, enough for the capitals, digits and a little punctuation.
FONT = {
    "A": [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
    "B": ["####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."],
    "C": [".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."],
    "D": ["####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."],
    "E": ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
    "F": ["#####", "#....", "#....", "####.", "#....", "#....", "#...."],
    "G": [".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"],
    "H": ["#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
    "I": [".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."],
    "J": ["..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."],
    "K": ["#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"],
    "L": ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
    "M": ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"],
    "N": ["#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"],
    "O": [".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
    "P": ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
    "Q": [".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"],
    "R": ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
    "S": [".####", "#....", "#....", ".###.", "....#", "....#", "####."],
    "T": ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."],
    "U": ["#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
    "V": ["#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."],
    "W": ["#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."],
    "X": ["#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"],
    "Y": ["#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."],
    "Z": ["#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"],
    "0": [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
    "1": ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
    "2": [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
    "3": ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
    "4": ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
    "5": ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
    "6": ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
    "7": ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
    "8": [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
    "9": [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
    ".": [".....", ".....", ".....", ".....", ".....", ".##..", ".##.."],
    ":": [".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."],
    ",": [".....", ".....", ".....", ".....", ".##..", "..#..", ".#..."],
    "-": [".....", ".....", ".....", "#####", ".....", ".....", "....."],
    "/": ["....#", "...#.", "...#.", "..#..", ".#...", ".#...", "#...."],
    " ": [".....", ".....", ".....", ".....", ".....", ".....", "....."],
}


def hex_colour(text):
    text = text.lstrip("#")
    return bytes(int(text[i:i + 2], 16) for i in (0, 2, 4))


class Canvas:
    def __init__(self, width, height, background):
        self.width = width
        self.height = height
        self.rows = [bytearray(hex_colour(background) * width) for _ in range(height)]

    def rect(self, x, y, w, h, colour):
        c = hex_colour(colour)
        x0, x1 = max(0, x), min(self.width, x + w)
        y0, y1 = max(0, y), min(self.height, y + h)
        if x1 <= x0 or y1 <= y0:
            return
        run = c * (x1 - x0)
        for row in self.rows[y0:y1]:
            row[x0 * 3:x1 * 3] = run

    def box(self, x, y, w, h, fill, outline, thickness=2):
        self.rect(x, y, w, h, outline)
        self.rect(x + thickness, y + thickness, w - 2 * thickness, h - 2 * thickness, fill)

    def line(self, x0, y0, x1, y1, colour, thickness=2):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in range(steps + 1):
            x = round(x0 + (x1 - x0) * i / steps)
            y = round(y0 + (y1 - y0) * i / steps)
            self.rect(x - thickness // 2, y - thickness // 2, thickness, thickness, colour)

    def triangle(self, points, colour):
        (ax, ay), (bx, by), (cx, cy) = points

        def side(px, py, qx, qy, rx, ry):
            return (qx - px) * (ry - py) - (qy - py) * (rx - px)

        for y in range(min(ay, by, cy), max(ay, by, cy) + 1):
            for x in range(min(ax, bx, cx), max(ax, bx, cx) + 1):
                d1 = side(ax, ay, bx, by, x, y)
                d2 = side(bx, by, cx, cy, x, y)
                d3 = side(cx, cy, ax, ay, x, y)
                negative = d1 < 0 or d2 < 0 or d3 < 0
                positive = d1 > 0 or d2 > 0 or d3 > 0
                if not (negative and positive):
                    self.rect(x, y, 1, 1, colour)

    def arrow(self, x0, y0, x1, y1, colour, head=7):
        """A line ending in an arrowhead at (x1, y1)."""
        length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        bx, by = x1 - ux * head * 1.6, y1 - uy * head * 1.6
        self.line(x0, y0, round(bx), round(by), colour)
        left = (round(bx - uy * head), round(by + ux * head))
        right = (round(bx + uy * head), round(by - ux * head))
        self.triangle([(x1, y1), left, right], colour)

    @staticmethod
    def text_width(text, scale):
        return len(text) * 6 * scale - scale

    def text(self, x, y, text, scale, colour):
        for i, ch in enumerate(text.upper()):
            glyph = FONT[ch]
            for gy, bits in enumerate(glyph):
                for gx, bit in enumerate(bits):
                    if bit == "#":
                        self.rect(x + (i * 6 + gx) * scale, y + gy * scale, scale, scale, colour)

    def centred_text(self, cx, y, text, scale, colour):
        self.text(cx - self.text_width(text, scale) // 2, y, text, scale, colour)

    def save(self, path):
        raw = bytearray()
        previous = bytearray(self.width * 3)
        for row in self.rows:
            # PNG filter type 2 ("Up"): flat designs compress far better.
            raw.append(2)
            raw.extend((a - b) & 0xFF for a, b in zip(row, previous))
            previous = row

        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        with open(path, "wb") as out:
            out.write(b"\x89PNG\r\n\x1a\n")
            out.write(chunk(b"IHDR", header))
            out.write(chunk(b"IDAT", zlib.compress(bytes(raw), 9)))
            out.write(chunk(b"IEND", b""))


INK = "#1d2b3a"
PAPER = "#f6f1e6"
TEAL = "#1f5f6b"
RUST = "#b5532f"
OCHRE = "#d9a441"
SAGE = "#7c9a6d"
PLUM = "#6b4a6e"
SKY = "#4f7fa8"


def diagram():
    c = Canvas(400, 240, PAPER)
    c.rect(0, 0, 400, 36, TEAL)
    c.centred_text(200, 11, "A BOOK FOLDER", 2, PAPER)

    # book.yaml on the left
    c.box(12, 116, 124, 36, "#f3dfa9", INK)
    c.centred_text(74, 127, "BOOK.YAML", 2, INK)

    # three chapters in the middle
    fills = ["#cfe0d0", "#d7cbe0", "#cddbe9"]
    for i, y in enumerate((60, 116, 172)):
        c.box(158, y, 124, 36, fills[i], INK)
        c.centred_text(220, y + 11, "CHAPTER %d" % (i + 1), 2, INK)
        c.arrow(136, 134, 157, y + 18, INK, head=5)

    # two outputs on the right
    for label, y, fill in (("EPUB", 84, "#f0c9b8"), ("PDF", 148, "#f0c9b8")):
        c.box(304, y, 84, 36, fill, INK)
        c.centred_text(346, y + 11, label, 2, INK)
    for y in (78, 134, 190):
        c.line(282, y, 292, y, INK)
    c.line(292, 78, 292, 190, INK)
    c.arrow(292, 102, 303, 102, INK, head=5)
    c.arrow(292, 166, 303, 166, INK, head=5)

    c.centred_text(200, 219, "ONE FOLDER IN, TWO BOOKS OUT", 2, TEAL)
    return c


def cover():
    w, h = 800, 1280
    c = Canvas(w, h, PAPER)

    # a thin frame
    c.rect(40, 40, w - 80, 6, INK)
    c.rect(40, h - 46, w - 80, 6, INK)

    c.centred_text(w // 2, 170, "A FIELD GUIDE TO", 6, INK)
    c.centred_text(w // 2, 260, "FOLIO", 24, TEAL)
    c.rect(200, 470, 400, 6, RUST)
    c.centred_text(w // 2, 510, "HOW A FOLDER OF MARKDOWN", 4, INK)
    c.centred_text(w // 2, 560, "BECOMES A BOOK", 4, INK)

    # a shelf of books
    shelf_y = 960
    spines = [
        (34, 250, TEAL), (22, 210, OCHRE), (40, 280, RUST), (28, 230, SAGE),
        (18, 190, INK), (36, 260, PLUM), (26, 240, SKY), (44, 290, OCHRE),
        (24, 220, RUST), (32, 250, SAGE), (20, 200, TEAL), (38, 270, PLUM),
        (30, 235, SKY), (26, 215, RUST), (34, 255, INK),
    ]
    total = sum(sw for sw, _, _ in spines) + 4 * (len(spines) - 1)
    x = (w - total) // 2
    for sw, sh, colour in spines:
        c.rect(x, shelf_y - sh, sw, sh, colour)
        c.rect(x, shelf_y - sh + 24, sw, 4, PAPER)
        c.rect(x, shelf_y - 36, sw, 4, PAPER)
        x += sw + 4
    c.rect(90, shelf_y, w - 180, 14, INK)

    c.rect(0, 1090, w, 130, INK)
    c.centred_text(w // 2, 1120, "THE FOLIO AUTHORS", 4, PAPER)
    c.centred_text(w // 2, 1172, "CC BY 4.0", 3, OCHRE)
    return c


if __name__ == "__main__":
    diagram().save(os.path.join(HERE, "book-folder.png"))
    cover().save(os.path.join(os.path.dirname(HERE), "cover.png"))
