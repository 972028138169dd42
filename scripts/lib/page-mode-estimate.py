#!/usr/bin/env python3
"""Estimate what page mode would save on a raster page (docs/PERFORMANCE.md, "Bytes per layout").

Reads a 1-bit golden PNG of the virtual printer, finds its lines (runs of rows with ink, gaps of
under 3 rows merged), leaves out those taller than 100 rows (the ticket number and the QR, which
the encoder sends at quadruple density or as a native QR), and prints the bytes of the rest
(a) as one band per line cropped to its ink, 12 bytes of commands each, and (b) in page mode,
each piece of a line between runs of >= GAP blank columns its own image cropped to its own rows,
16 bytes of commands each. Standard library only (the PNG read by png_rows.py).

    scripts/lib/page-mode-estimate.py printer/tests/golden/ticket-576.png [GAP=6]
"""
import sys

import png_rows


def read_png(path):
    width, _, depth, colour, rows = png_rows.read(path)
    assert (depth, colour) == (1, 0), "a 1-bit greyscale PNG"
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
