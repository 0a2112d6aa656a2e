"""The Fashion-MNIST loader: real files load as the course specifies; broken ones fail clearly.

Error handling is tested on small IDX files the tests write themselves (missing, not gzip, bad
magic number, wrong dimensions, truncated); loading is tested on the installed data set
(Debian package dataset-fashion-mnist, see scripts/system-deps.sh).
"""

from __future__ import annotations

import ast
import gzip
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT
from deepgrade.data import fashion_mnist as fm
from deepgrade.data.fashion_mnist import (IMAGE_MAGIC, LABEL_MAGIC, FashionMNISTError,
                                          load_fashion_mnist, load_fashion_mnist_test,
                                          load_fashion_mnist_test_cached, load_split, read_idx)

MODULE = Path(fm.__file__)


def idx_bytes(magic: int, dims: tuple[int, ...], data: bytes) -> bytes:
    """An IDX file: big-endian magic number, one 32-bit size per dimension, then the data."""
    return magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims) + data


def write_gz(path: Path, content: bytes) -> Path:
    path.write_bytes(gzip.compress(content, mtime=0))
    return path


def write_split(folder: Path, split: str, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A complete, valid split of made-up images and labels; returns the uint8 arrays."""
    images_name, labels_name, expected = fm.SPLITS[split]
    n = expected if n is None else n
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    write_gz(folder / images_name, idx_bytes(IMAGE_MAGIC, (n, 28, 28), pixels.tobytes()))
    write_gz(folder / labels_name, idx_bytes(LABEL_MAGIC, (n,), labels.tobytes()))
    return pixels, labels


def one_line_error(excinfo: pytest.ExceptionInfo, path: Path, *fragments: str) -> str:
    message = str(excinfo.value)
    assert "\n" not in message, message
    assert str(path) in message, message
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty folder that $FASHION_MNIST_DIR points to."""
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path))
    return tmp_path


# -- the real data set -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real() -> tuple[np.ndarray, ...]:
    return load_fashion_mnist()


def test_real_files_load_with_the_specified_shapes_and_types(real):
    train_x, train_y, test_x, test_y = real
    assert train_x.shape == (60000, 1, 28, 28) and test_x.shape == (10000, 1, 28, 28)
    assert train_x.dtype == test_x.dtype == np.float32
    assert train_y.shape == (60000,) and test_y.shape == (10000,)
    assert train_y.dtype == test_y.dtype == np.int64
    assert 0.0 == train_x.min() and train_x.max() == 1.0
    # Fashion-MNIST is balanced: 6000 training and 1000 test images per class.
    assert np.bincount(train_y).tolist() == [6000] * 10
    assert np.bincount(test_y).tolist() == [1000] * 10


def test_pixels_are_the_file_bytes_divided_by_255_in_float32(real):
    raw = gzip.decompress((fm.data_dir() / "t10k-images-idx3-ubyte.gz").read_bytes())
    pixels = np.frombuffer(raw, np.uint8, offset=16).reshape(10000, 1, 28, 28)
    assert np.array_equal(real[2], pixels.astype(np.float32) / np.float32(255))
    labels = gzip.decompress((fm.data_dir() / "t10k-labels-idx1-ubyte.gz").read_bytes())
    assert np.array_equal(real[3], np.frombuffer(labels, np.uint8, offset=8))


def test_test_set_alone_equals_the_test_part(real):
    test_x, test_y = load_fashion_mnist_test()
    assert np.array_equal(test_x, real[2]) and np.array_equal(test_y, real[3])


def test_graders_share_one_read_only_test_set(real):
    images, labels = load_fashion_mnist_test_cached()
    assert load_fashion_mnist_test_cached()[0] is images
    assert np.array_equal(images, real[2]) and np.array_equal(labels, real[3])
    assert not images.flags.writeable and not labels.flags.writeable
    with pytest.raises(ValueError):
        images[0, 0, 0, 0] = 1.0


def test_the_module_checks_the_installation_from_the_command_line():
    env = {k: v for k, v in os.environ.items() if k != "FASHION_MNIST_DIR"}
    done = subprocess.run([sys.executable, str(MODULE)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "60000 training and 10000 test images" in done.stdout


# -- FASHION_MNIST_DIR --------------------------------------------------------------------------

def test_fashion_mnist_dir_overrides_the_location(data_dir):
    pixels, labels = write_split(data_dir, "test")
    images, got = load_fashion_mnist_test()
    assert images.shape == (10000, 1, 28, 28) and images.dtype == np.float32
    assert got.dtype == np.int64 and np.array_equal(got, labels)
    assert np.array_equal(images[:, 0], pixels.astype(np.float32) / np.float32(255))


def test_an_explicit_folder_wins(tmp_path, data_dir):
    write_split(data_dir, "test")  # valid files where $FASHION_MNIST_DIR points
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(FashionMNISTError) as excinfo:
        load_split("test", other)
    one_line_error(excinfo, other / "t10k-labels-idx1-ubyte.gz", "is missing")


# -- broken files: one line naming the file and what to do -------------------------------------

def test_missing_file(data_dir):
    with pytest.raises(FashionMNISTError) as excinfo:
        load_fashion_mnist()
    one_line_error(excinfo, data_dir / "train-labels-idx1-ubyte.gz", "is missing",
                   "FASHION_MNIST_DIR")


def test_missing_file_in_the_default_folder_says_which_package_to_install(tmp_path, monkeypatch):
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)
    monkeypatch.setattr(fm, "DEFAULT_DIR", tmp_path)
    with pytest.raises(FashionMNISTError) as excinfo:
        load_fashion_mnist_test()
    one_line_error(excinfo, tmp_path / "t10k-labels-idx1-ubyte.gz", "is missing",
                   "apt-get install", "dataset-fashion-mnist")


def test_missing_images_file_when_labels_are_there(data_dir):
    write_split(data_dir, "test")
    (data_dir / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(FashionMNISTError) as excinfo:
        load_fashion_mnist_test()
    one_line_error(excinfo, data_dir / "t10k-images-idx3-ubyte.gz", "is missing")


def test_not_a_gzip_file(tmp_path):
    path = tmp_path / "labels.gz"
    path.write_bytes(idx_bytes(LABEL_MAGIC, (3,), bytes([1, 2, 3])))  # not compressed
    with pytest.raises(FashionMNISTError) as excinfo:
        read_idx(path, LABEL_MAGIC, (3,))
    one_line_error(excinfo, path, "is not a valid gzip file")


def test_cut_gzip_stream(tmp_path):
    path = tmp_path / "images.gz"
    content = gzip.compress(idx_bytes(IMAGE_MAGIC, (5, 28, 28), os.urandom(5 * 784)))
    path.write_bytes(content[: len(content) // 2])
    with pytest.raises(FashionMNISTError) as excinfo:
        read_idx(path, IMAGE_MAGIC, (5, 28, 28))
    one_line_error(excinfo, path, "is not a valid gzip file")


@pytest.mark.parametrize("content, magic, dims, expected", [
    (lambda: idx_bytes(IMAGE_MAGIC, (3,), bytes(3)), LABEL_MAGIC, (3,),
     ["magic number 0x00000803, expected 0x00000801"]),
    (lambda: idx_bytes(IMAGE_MAGIC, (2, 32, 32), bytes(2 * 32 * 32)), IMAGE_MAGIC, (2, 28, 28),
     ["has dimensions (2, 32, 32), expected (2, 28, 28)"]),
    (lambda: idx_bytes(IMAGE_MAGIC, (4, 28, 28), bytes(3 * 784)), IMAGE_MAGIC, (4, 28, 28),
     ["is truncated", f"expected {16 + 4 * 784}"]),
    (lambda: IMAGE_MAGIC.to_bytes(4, "big") + bytes(6), IMAGE_MAGIC, (4, 28, 28),
     ["is truncated", "header"]),
    (lambda: b"", LABEL_MAGIC, (3,), ["is truncated"]),
    (lambda: idx_bytes(LABEL_MAGIC, (3,), bytes(5)), LABEL_MAGIC, (3,), ["has trailing data"]),
], ids=["bad magic", "wrong dimensions", "truncated data", "truncated header", "empty",
        "trailing data"])
def test_corrupt_idx_file(tmp_path, content, magic, dims, expected):
    path = write_gz(tmp_path / "file.gz", content())
    with pytest.raises(FashionMNISTError) as excinfo:
        read_idx(path, magic, dims)
    one_line_error(excinfo, path, *expected)


def test_images_and_labels_swapped(data_dir):
    images_name, labels_name, n = fm.SPLITS["test"]
    write_split(data_dir, "test")
    a, b = data_dir / images_name, data_dir / labels_name
    a.rename(data_dir / "tmp")
    b.rename(a)
    (data_dir / "tmp").rename(b)
    with pytest.raises(FashionMNISTError) as excinfo:
        load_fashion_mnist_test()
    one_line_error(excinfo, b, "magic number 0x00000803, expected 0x00000801")


def test_wrong_number_of_examples(data_dir):
    write_split(data_dir, "test", n=100)  # a valid IDX file, but not the whole test set
    with pytest.raises(FashionMNISTError) as excinfo:
        load_fashion_mnist_test()
    one_line_error(excinfo, data_dir / "t10k-labels-idx1-ubyte.gz",
                   "has dimensions (100,), expected (10000,)")


def test_label_out_of_range(data_dir):
    images_name, labels_name, n = fm.SPLITS["test"]
    write_split(data_dir, "test")
    labels = np.zeros(n, np.uint8)
    labels[17] = 12
    write_gz(data_dir / labels_name, idx_bytes(LABEL_MAGIC, (n,), labels.tobytes()))
    with pytest.raises(FashionMNISTError) as excinfo:
        load_fashion_mnist_test()
    one_line_error(excinfo, data_dir / labels_name, "label 12")


def test_unknown_split_is_a_programming_error():
    with pytest.raises(ValueError, match="split must be one of"):
        load_split("validation")


def test_the_command_line_check_prints_one_line_and_fails(tmp_path):
    env = dict(os.environ, FASHION_MNIST_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, str(MODULE)], capture_output=True, text=True, env=env)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: Fashion-MNIST file ")
    assert str(tmp_path / "train-labels-idx1-ubyte.gz") in lines[0]


# -- one file for both sides --------------------------------------------------------------------

def test_the_loader_needs_only_the_standard_library_and_numpy():
    """A copy sits beside the student's notebook, where deepgrade is not installed."""
    tree = ast.parse(MODULE.read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "functools", "gzip", "os", "sys", "zlib", "pathlib",
                        "numpy"}, imported


def test_hw4_ships_the_same_file_through_a_relative_symlink():
    link = ROOT / "assignments" / "hw4" / "files" / "fashion_mnist.py"
    assert link.is_symlink() and not os.readlink(link).startswith("/")
    assert link.resolve() == MODULE.resolve()
