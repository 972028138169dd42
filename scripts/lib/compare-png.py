#!/usr/bin/env python3
"""compare-png.py DRAWN REFERENCE [MAX_DIFFERENT_FRACTION]

Checks that DRAWN (a screen the packaged kiosk rendered) is a real picture of the same screen as
REFERENCE (e.g. docs/screens/kiosk-portrait-vi-home.png): same size, many colours (text with
anti-aliased Vietnamese marks, not a blank or single-colour buffer), and at most the given
fraction of pixels different (the clock in the header differs between two renders).
Standard library only (the PNG read by png_rows.py): 8-bit RGB/RGBA, non-interlaced.
"""
import sys

import png_rows


def decode(path):
    width, height, depth, colour, rows = png_rows.read(path)
    if depth != 8 or colour not in (2, 6):
        sys.exit(f"{path}: only 8-bit RGB/RGBA non-interlaced PNGs are supported")
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    pixels = [row[x:x + 3] for row in rows for x in range(0, stride, bpp)]
    return width, height, pixels


def main():
    drawn, reference = sys.argv[1], sys.argv[2]
    limit = float(sys.argv[3]) if len(sys.argv) > 3 else 0.02
    w1, h1, p1 = decode(drawn)
    w2, h2, p2 = decode(reference)
    if (w1, h1) != (w2, h2):
        sys.exit(f"{drawn} is {w1}x{h1}, {reference} is {w2}x{h2}")
    colours = len(set(p1))
    different = sum(1 for a, b in zip(p1, p2) if a != b) / len(p1)
    print(f"{drawn}: {w1}x{h1}, {colours} colours, {different:.2%} of pixels differ from {reference}")
    if colours < 64:
        sys.exit(f"{drawn}: only {colours} colours: not a drawn screen")
    if different > limit:
        sys.exit(f"{drawn}: {different:.2%} of pixels differ (more than {limit:.0%})")


main()
