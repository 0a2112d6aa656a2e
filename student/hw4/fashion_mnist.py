"""Fashion-MNIST from the local IDX files (Debian package dataset-fashion-mnist); never downloads.

One loader serves both sides of a homework: the grader imports it as
``deepgrade.data.fashion_mnist`` and the student's notebook as ``fashion_mnist`` (a copy of this
file sits beside it), so it uses only the standard library and NumPy.

The four files are the original IDX files, gzipped (Xiao, Rasul and Vollgraf, 2017):
``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``, ``t10k-images-idx3-ubyte.gz``,
``t10k-labels-idx1-ubyte.gz``. An IDX file is a big-endian header, the magic number
``0x00000800 | ndim`` (``0x08``: unsigned bytes), then ``ndim`` 32-bit sizes, then the data.
They are read from ``$FASHION_MNIST_DIR`` if set, else ``/usr/share/datasets/fashion-mnist``.

Run ``python fashion_mnist.py`` to check the installation in one line.
"""

from __future__ import annotations

import functools
import gzip
import os
import sys
import zlib
from pathlib import Path

import numpy as np

DEFAULT_DIR = Path("/usr/share/datasets/fashion-mnist")
ENV_VAR = "FASHION_MNIST_DIR"
PACKAGE = "dataset-fashion-mnist"

IMAGE_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions (N, rows, cols)
LABEL_MAGIC = 0x00000801  # unsigned bytes, 1 dimension (N,)
SIDE = 28
NUM_CLASSES = 10
CLASS_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")

# split -> (images file, labels file, number of examples)
SPLITS = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 60_000),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 10_000),
}


class FashionMNISTError(Exception):
    """A Fashion-MNIST file is missing or corrupt. The message is one line: the file, what is
    wrong with it, and what to do."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"Fashion-MNIST file {self.path} {problem}; {remedy()}")


def remedy() -> str:
    """What to do about a missing or corrupt file, depending on where the files are looked for."""
    if os.environ.get(ENV_VAR):
        return (f"put the four Fashion-MNIST IDX .gz files in ${ENV_VAR} "
                f"({os.environ[ENV_VAR]}) or unset {ENV_VAR} to use {DEFAULT_DIR}")
    return (f"install them with `sudo apt-get install --reinstall {PACKAGE}`, or set "
            f"{ENV_VAR} to a folder holding the four IDX .gz files")


def data_dir() -> Path:
    """The folder the files are read from: ``$FASHION_MNIST_DIR`` if set, else the Debian one."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DIR)


def read_idx(path: Path, magic: int, shape: tuple[int, ...]) -> np.ndarray:
    """The uint8 array of a gzipped IDX file, after checking its magic number, its sizes
    (``shape``) and its length. Raises FashionMNISTError naming the file."""
    path = Path(path)
    try:
        compressed = path.read_bytes()
    except FileNotFoundError:
        raise FashionMNISTError(path, "is missing") from None
    except OSError as exc:
        raise FashionMNISTError(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        raw = gzip.decompress(compressed)
    except (OSError, EOFError, zlib.error) as exc:
        # BadGzipFile (not gzip), EOFError (cut short), zlib.error (damaged stream)
        raise FashionMNISTError(path, f"is not a valid gzip file ({exc})") from None
    del compressed
    ndim = len(shape)
    header = 4 * (1 + ndim)
    if len(raw) < 4:
        raise FashionMNISTError(path, f"is truncated: {len(raw)} bytes, too short for an IDX "
                                      "header")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise FashionMNISTError(path, f"has magic number 0x{found:08x}, expected 0x{magic:08x} "
                                      f"(unsigned bytes, {ndim} dimension{'s' * (ndim > 1)})")
    if len(raw) < header:
        raise FashionMNISTError(path, f"is truncated: {len(raw)} bytes, too short for an IDX "
                                      f"header of {header} bytes")
    sizes = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    if sizes != shape:
        raise FashionMNISTError(path, f"has dimensions {sizes}, expected {shape}")
    expected = header + int(np.prod(shape))
    if len(raw) != expected:
        state = "is truncated" if len(raw) < expected else "has trailing data"
        raise FashionMNISTError(path, f"{state}: {len(raw)} bytes after decompression, "
                                      f"expected {expected}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def load_split(split: str, folder: Path | str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(images, labels)`` of ``split`` ("train" or "test"): images float32 in [0, 1] of shape
    (N, 1, 28, 28) (pixels divided by 255, nothing else), labels int64 (N,) in 0..9."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {sorted(SPLITS)}, not {split!r}")
    images_name, labels_name, n = SPLITS[split]
    folder = Path(folder) if folder is not None else data_dir()
    labels_path = folder / labels_name
    labels = read_idx(labels_path, LABEL_MAGIC, (n,))
    if labels.max() >= NUM_CLASSES:
        raise FashionMNISTError(labels_path, f"has label {int(labels.max())}, expected 0..9")
    pixels = read_idx(folder / images_name, IMAGE_MAGIC, (n, SIDE, SIDE))
    images = pixels.reshape(n, 1, SIDE, SIDE).astype(np.float32)
    images /= np.float32(255.0)  # in place, in float32: the same values as torchvision's ToTensor
    return images, labels.astype(np.int64)


def load_fashion_mnist(folder: Path | str | None = None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(train_x, train_y, test_x, test_y)``: 60000 and 10000 images, float32 (N, 1, 28, 28)
    with pixels divided by 255, and int64 labels (N,)."""
    train_x, train_y = load_split("train", folder)
    test_x, test_y = load_split("test", folder)
    return train_x, train_y, test_x, test_y


def load_fashion_mnist_test(folder: Path | str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(test_x, test_y)`` only: what a grader needs to evaluate a trained model."""
    return load_split("test", folder)


def load_fashion_mnist_test_cached() -> tuple[np.ndarray, np.ndarray]:
    """``(test_x, test_y)`` from the default location, read once per process and shared:
    read-only arrays, for a grader that evaluates many models (31 MB kept, not one copy each)."""
    return _cached_split("test", str(data_dir()))


@functools.lru_cache(maxsize=2)
def _cached_split(split: str, folder: str) -> tuple[np.ndarray, np.ndarray]:
    images, labels = load_split(split, folder)
    images.flags.writeable = False  # shared by every caller: nobody may change them
    labels.flags.writeable = False
    return images, labels


def main() -> int:
    """Check the installation: one line, exit status 0 if all four files load."""
    try:
        sizes = [len(load_split(split)[1]) for split in SPLITS]
    except FashionMNISTError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Fashion-MNIST OK in {data_dir()}: {sizes[0]} training and {sizes[1]} test images")
    return 0


if __name__ == "__main__":
    sys.exit(main())
