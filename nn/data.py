"""Real data that is never downloaded: digits, MNIST files you have, moons, batches.

Both loaders return ``((x_train, t_train), (x_test, t_test))`` as numpy
arrays, as the book's ``load_mnist`` does: x has one sample per row, and t
holds class indices (or one-hot rows).

* ``load_digits``: scikit-learn's bundled 8x8 digits, 1797 samples, scaled to [0, 1].
* ``load_mnist(path)``: the four standard IDX files from a folder you already
  have, gzip or raw. Headers, sizes and counts are checked.
* ``make_moons``: two interleaving half circles (micrograd's demo data).
* ``batches``: mini-batches, optionally shuffled with a seed.
"""

from __future__ import annotations

import gzip
import math
import random
import struct
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from autograd.atomic import write_atomic

__all__ = ["MNIST_FILES", "batches", "load_digits", "load_mnist", "make_moons", "read_idx",
           "write_idx"]

MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
_IDX_UBYTE = 0x08  # IDX type code for unsigned bytes, the only one MNIST uses


def load_digits(test_fraction: float = 0.2, seed: int = 0):
    """scikit-learn's 8x8 digits (bundled with it: no download), split into train and test.

    Pixels 0..16 become [0, 1]. The split is a seeded shuffle: the same seed gives the
    same split.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"load_digits: test_fraction must be in (0, 1), got {test_fraction!r}")
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    x = digits.data.astype(np.float64) / 16.0
    t = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = round(len(x) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return (x[train], t[train]), (x[test], t[test])


def read_idx(path: str | Path, expected_dims: int) -> np.ndarray:
    """One IDX file (raw or gzip), checked: magic number, dimensions, size."""
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise ValueError(f"{path.name}: corrupt gzip data ({error})") from None
    if len(raw) < 4:
        raise ValueError(f"{path.name}: too short for an IDX header ({len(raw)} bytes)")
    zero, kind, dims = struct.unpack(">HBB", raw[:4])
    if zero != 0 or kind != _IDX_UBYTE or dims != expected_dims:
        raise ValueError(
            f"{path.name}: bad magic number 0x{int.from_bytes(raw[:4], 'big'):08x}; expected "
            f"0x{(_IDX_UBYTE << 8) | expected_dims:08x} (unsigned bytes, {expected_dims} dims)")
    header = 4 + 4 * dims
    if len(raw) < header:
        raise ValueError(f"{path.name}: header cut short ({len(raw)} of {header} bytes)")
    shape = struct.unpack(f">{dims}I", raw[4:header])
    size = math.prod(shape)
    if len(raw) - header != size:
        raise ValueError(f"{path.name}: header promises {' x '.join(map(str, shape))} = {size} "
                         f"bytes of data, the file has {len(raw) - header}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def write_idx(path: str | Path, array: np.ndarray) -> Path:
    """Write ``array`` (values 0..255) as an IDX file of unsigned bytes, atomically.

    The header is MNIST's: two zero bytes, the type 0x08 (ubyte), the number of
    dimensions, then each dimension as a big-endian uint32. A name ending in .gz
    is gzip-compressed.
    """
    array = np.asarray(array)
    if array.size and (array.min() < 0 or array.max() > 255):
        raise ValueError(f"write_idx: values must be 0..255, got {array.min()}..{array.max()}")
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I",
                                                                   *array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    path = Path(path)
    if path.suffix == ".gz":
        payload = gzip.compress(payload, compresslevel=6)

    return write_atomic(path, payload)


def _find(folder: Path, stem: str) -> Path | None:
    for name in (stem, stem + ".gz"):
        if (folder / name).is_file():
            return folder / name
    return None


def load_mnist(path: str | Path, normalize: bool = True, one_hot_label: bool = False):
    """MNIST from the four IDX files in the folder ``path`` (names as published, .gz or not).

    x is (n, 784) float64 in [0, 1] with ``normalize``, else uint8 0..255.
    t is class indices, or (n, 10) one-hot rows with ``one_hot_label``.
    """
    folder = Path(path)
    found = {key: _find(folder, stem) for key, stem in MNIST_FILES.items()}
    missing = [MNIST_FILES[key] for key, file in found.items() if file is None]
    if missing:
        where = "does not exist" if not folder.is_dir() else f"lacks {', '.join(missing)}"
        raise FileNotFoundError(
            f"load_mnist: the folder {str(folder)!r} {where}. Put these four files "
            f"(each raw or .gz) in it: {', '.join(MNIST_FILES.values())}")

    def split(images_key: str, labels_key: str):
        images = read_idx(found[images_key], 3)
        labels = read_idx(found[labels_key], 1)
        if len(images) != len(labels):
            raise ValueError(f"{found[labels_key].name}: {len(labels)} labels for "
                             f"{len(images)} images in {found[images_key].name}")
        if labels.size and labels.max() > 9:
            raise ValueError(f"{found[labels_key].name}: label {labels.max()} is not a digit")
        x = images.reshape(len(images), -1)
        x = x.astype(np.float64) / 255.0 if normalize else x.copy()
        t = labels.astype(np.int64)
        if one_hot_label:
            t = np.eye(10, dtype=np.float64)[t]
        return x, t

    return split("train_images", "train_labels"), split("test_images", "test_labels")


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles: (x of shape (n, 2), t of 0s and 1s).

    The same construction as scikit-learn's: the upper moon, then the lower one
    shifted by (1, -0.5), plus Gaussian noise, shuffled. The random numbers come
    from ``random.Random(seed)``.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"make_moons: n must be an int >= 2, got {n!r}")
    if not noise >= 0:
        raise ValueError(f"make_moons: noise must be >= 0, got {noise!r}")
    rng = random.Random(seed)
    n_upper = n // 2
    n_lower = n - n_upper
    points = []
    for count, label in ((n_upper, 0), (n_lower, 1)):
        for i in range(count):
            angle = math.pi * i / max(count - 1, 1)
            if label == 0:
                x, y = math.cos(angle), math.sin(angle)
            else:
                x, y = 1 - math.cos(angle), 0.5 - math.sin(angle)
            points.append((x + rng.gauss(0, noise), y + rng.gauss(0, noise), label))
    rng.shuffle(points)
    data = np.array(points)
    return data[:, :2], data[:, 2].astype(np.int64)


def batches(x, t, batch_size: int, shuffle: bool = True, seed: int | None = 0
            ) -> Iterator[tuple]:
    """(x_batch, t_batch) pairs covering every sample once; the last batch may be short."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batches: batch_size must be a positive int, got {batch_size!r}")
    if len(x) != len(t):
        raise ValueError(f"batches: {len(x)} samples but {len(t)} targets")
    order = list(range(len(x)))
    if shuffle:
        random.Random(seed).shuffle(order)
    for start in range(0, len(order), batch_size):
        index = order[start:start + batch_size]
        if isinstance(x, np.ndarray) and isinstance(t, np.ndarray):
            yield x[index], t[index]
        else:
            yield [x[i] for i in index], [t[i] for i in index]
