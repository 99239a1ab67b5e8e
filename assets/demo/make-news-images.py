"""Draws the demo office's news pictures (simple illustrations, 480x270 PNG) with the
standard library only: python3 make-news-images.py writes news-*.png beside it."""
import struct, zlib

W, H = 480, 270

def png(path, px):
    raw = b"".join(b"\x00" + bytes(c for p in px[y*W:(y+1)*W] for c in p) for y in range(H))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)

def canvas(top, bottom):
    return [tuple(int(top[i] + (bottom[i]-top[i]) * y / H) for i in range(3)) for y in range(H) for _ in range(W)]

def rect(px, x0, y0, x1, y1, c):
    for y in range(max(0, y0), min(H, y1)):
        for x in range(max(0, x0), min(W, x1)):
            px[y*W+x] = c

def tri(px, x0, x1, ybase, ytop, c):
    for y in range(ytop, ybase):
        f = (y - ytop) / max(1, ybase - ytop)
        mid = (x0 + x1) / 2; half = (x1 - x0) / 2 * f
        rect(px, int(mid-half), y, int(mid+half), y+1, c)

def circle(px, cx, cy, r, c):
    for y in range(cy-r, cy+r):
        for x in range(cx-r, cx+r):
            if 0 <= x < W and 0 <= y < H and (x-cx)**2 + (y-cy)**2 <= r*r:
                px[y*W+x] = c

# 1. The town hall: a building with a clock tower under a blue sky.
px = canvas((120, 170, 230), (200, 225, 250))
rect(px, 0, 220, W, H, (110, 150, 80))
rect(px, 120, 120, 360, 225, (215, 190, 150))
tri(px, 110, 370, 122, 80, (150, 60, 50))
rect(px, 215, 40, 265, 125, (200, 175, 135))
tri(px, 205, 275, 42, 5, (150, 60, 50))
circle(px, 240, 70, 14, (250, 250, 240))
rect(px, 239, 58, 241, 71, (30, 30, 30)); rect(px, 240, 69, 250, 71, (30, 30, 30))
for x in range(140, 350, 40):
    rect(px, x, 140, x+20, 170, (70, 90, 120)); rect(px, x, 185, x+20, 215, (70, 90, 120))
rect(px, 225, 180, 255, 225, (90, 60, 40))
png("news-town-hall.png", px)

# 2. The park: trees, a path and a bench.
px = canvas((150, 200, 240), (225, 240, 250))
rect(px, 0, 180, W, H, (95, 160, 75))
tri(px, 180, 300, H, 180, (200, 185, 150))
for cx, cy, r in [(70, 120, 45), (150, 105, 40), (360, 115, 50), (430, 130, 35)]:
    rect(px, cx-6, cy, cx+6, 200, (100, 70, 40)); circle(px, cx, cy, r, (50, 120, 50))
rect(px, 310, 205, 380, 212, (120, 80, 40)); rect(px, 315, 212, 320, 228, (60, 60, 60)); rect(px, 370, 212, 375, 228, (60, 60, 60))
png("news-park.png", px)

# 3. Road works: a road with a red-and-white barrier and a warning sign.
px = canvas((170, 190, 210), (220, 225, 230))
rect(px, 0, 170, W, H, (90, 90, 95))
for x in range(0, W, 60):
    rect(px, x, 215, x+30, 222, (240, 240, 240))
for i, x in enumerate(range(100, 380, 28)):
    rect(px, x, 150, x+28, 170, (200, 30, 30) if i % 2 == 0 else (245, 245, 245))
rect(px, 110, 170, 116, 215, (60, 60, 60)); rect(px, 364, 170, 370, 215, (60, 60, 60))
rect(px, 417, 110, 423, 215, (120, 120, 120))
tri(px, 380, 460, 115, 40, (200, 30, 30)); tri(px, 392, 448, 108, 56, (250, 200, 40))
png("news-road-works.png", px)
