"""Pillow reference for `npm run bench:import`: the same work as the S4MI importer, done with PIL.

For each image: read the file, SHA-256 it, store a copy by hash (fsync), decode, then either tile to
480 x 480 with black padding and store each tile as a PNG (compress level 2), or resize the whole image
to 480 x 480 (bilinear) and store it; masks are converted 0/255 -> 0/1, stored whole, and resized with
nearest neighbour. Prints one JSON line: {"seconds": ..., "images": ...}.
Usage: python3 import_pillow.py tile|resize OUT_DIR IMAGE[:MASK]...
"""
import hashlib
import io
import json
import os
import sys
import time

from PIL import Image

TILE = 480


def store(out_dir, data):
    h = hashlib.sha256(data).hexdigest()
    path = os.path.join(out_dir, h)
    if not os.path.exists(path):
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    return h


def png_bytes(img):
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=2)
    return buf.getvalue()


def main():
    mode, out_dir, items = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    start = time.perf_counter()
    for item in items:
        image_path, _, mask_path = item.partition(":")
        with open(image_path, "rb") as f:
            store(out_dir, f.read())
        img = Image.open(image_path).convert("RGB")
        mask = None
        if mask_path:
            mask = Image.open(mask_path).convert("L").point(lambda v: 1 if v == 255 else 0)
            store(out_dir, png_bytes(mask))
        if mode == "tile":
            w, h = img.size
            for y in range(0, h, TILE):
                for x in range(0, w, TILE):
                    # crop() beyond the edge pads with black, like our blank padding
                    store(out_dir, png_bytes(img.crop((x, y, x + TILE, y + TILE))))
                    if mask is not None:
                        store(out_dir, png_bytes(mask.crop((x, y, x + TILE, y + TILE))))
        else:
            store(out_dir, png_bytes(img.resize((TILE, TILE), Image.BILINEAR)))
            if mask is not None:
                store(out_dir, png_bytes(mask.resize((TILE, TILE), Image.NEAREST)))
    print(json.dumps({"seconds": time.perf_counter() - start, "images": len(items)}))


if __name__ == "__main__":
    main()
