#!/usr/bin/env python3
"""compare-png.py DRAWN REFERENCE [MAX_DIFFERENT_FRACTION]

Checks that DRAWN (a screen the packaged kiosk rendered) is a real picture of the same screen as
REFERENCE (e.g. docs/screens/kiosk-portrait-vi-home.png): same size, many colours (text with
anti-aliased Vietnamese marks, not a blank or single-colour buffer), and at most the given
fraction of pixels different (the clock in the header differs between two renders).
Standard library only: PNG decoded with zlib, 8-bit RGB/RGBA, non-interlaced.
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit(f"{path}: only 8-bit RGB/RGBA non-interlaced PNGs are supported")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
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
