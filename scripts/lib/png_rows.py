"""A PNG's rows, unfiltered: the one PNG reader of the scripts here that check or measure what
the kiosk and the virtual printer drew (compare-png.py, page-mode-estimate.py). Standard library
only (zlib); non-interlaced PNGs of any depth and colour type, which each caller checks for
what it supports.
"""
import struct
import sys
import zlib

# Samples per pixel of each PNG colour type (greyscale, RGB, palette, grey + alpha, RGBA).
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def read(path):
    """(width, height, bit depth, colour type, rows): each row its bytes, filters undone."""
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
    if interlace:
        sys.exit(f"{path}: interlaced PNGs are not supported")
    bits = CHANNELS[colour] * depth
    # The filters work on bytes, against the byte one whole pixel back (one byte below 8 bits).
    bpp, stride = max(1, bits // 8), (width * bits + 7) // 8
    raw = zlib.decompress(idat)
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
    return width, height, depth, colour, rows
