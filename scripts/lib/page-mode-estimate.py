#!/usr/bin/env python3
"""Estimate what page mode would save on a raster page (docs/PERFORMANCE.md, "Bytes per layout").

Reads a 1-bit golden PNG of the virtual printer, finds its lines (runs of rows with ink, gaps of
under 3 rows merged), leaves out those taller than 100 rows (the ticket number and the QR, which
the encoder sends at quadruple density or as a native QR), and prints the bytes of the rest
(a) as one band per line cropped to its ink, 12 bytes of commands each, and (b) in page mode,
each piece of a line between runs of >= GAP blank columns its own image cropped to its own rows,
16 bytes of commands each. Standard library only.

    scripts/lib/page-mode-estimate.py printer/tests/golden/ticket-576.png [GAP=6]
"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    pos, idat = 8, b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (1, 0), "a 1-bit greyscale PNG"
        elif kind == b"IDAT":
            idat += body
    raw, stride = zlib.decompress(idat), (width + 7) // 8
    rows, prev = [], bytes(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - 1] if x else 0
            b, c = prev[x], prev[x - 1] if x else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    # 0 is black in a greyscale PNG: ink where the bit is clear.
    return width, [[not (r[x >> 3] >> (7 - (x & 7))) & 1 for x in range(width)] for r in rows]


def main():
    width, ink = read_png(sys.argv[1])
    gap = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    inked = [any(r) for r in ink]
    lines, y = [], 0
    while y < len(ink):
        if inked[y]:
            top = y
            while y < len(ink) and inked[y]:
                y += 1
            if lines and top - lines[-1][1] < 3:
                lines[-1][1] = y
            else:
                lines.append([top, y])
        else:
            y += 1
    bands = pieces = 0
    for top, bottom in lines:
        if bottom - top > 100:
            continue
        xs = [x for x in range(width) if any(ink[y][x] for y in range(top, bottom))]
        bands += (xs[-1] - xs[0] + 8) // 8 * (bottom - top) + 12
        runs, start, last = [], xs[0], xs[0]
        for x in xs[1:]:
            if x - last > gap:
                runs.append((start, last + 1))
                start = x
            last = x
        runs.append((start, last + 1))
        for a, b in runs:
            ys = [y for y in range(top, bottom) if any(ink[y][a:b])]
            pieces += (b - a + 7) // 8 * (ys[-1] + 1 - ys[0]) + 16
    print(f"text and rules: {bands} bytes as one band per line, {pieces} in page mode (gap {gap})")


if __name__ == "__main__":
    main()
