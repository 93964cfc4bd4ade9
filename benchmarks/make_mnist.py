"""Write MNIST-format IDX files of the real size, made from scikit-learn's digits.

    python benchmarks/make_mnist.py out/mnist [--train 60000] [--test 10000] [--seed 0]

Nothing is downloaded. Each image is one of the 1,797 bundled 8x8 digits, scaled
up to 20x20 and placed in a 28x28 frame with a random shift of up to 2 pixels
(as MNIST centres its digits in a 20x20 box), plus a little noise. The four
files have MNIST's names and headers, so ``load_mnist`` and
``demos/train_digits.py --mnist`` read them like the real thing, at the real
size. Train and test images come from different halves of the digits.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nn.data import MNIST_FILES, write_idx  # noqa: E402


def upscale(images: np.ndarray, side: int = 20) -> np.ndarray:
    """8x8 images (0..16) to side x side (0..255), bilinear."""
    positions = np.linspace(0, 7, side)
    low = np.floor(positions).astype(int).clip(0, 6)
    frac = positions - low
    weight = frac[None, :, None]
    rows = images[:, low, :] * (1 - weight) + images[:, low + 1, :] * weight
    both = rows[:, :, low] * (1 - frac) + rows[:, :, low + 1] * frac
    return both * (255.0 / 16.0)


def make_split(images: np.ndarray, labels: np.ndarray, n: int, rng: np.random.Generator):
    picks = rng.integers(0, len(images), n)
    big = upscale(images[picks].astype(np.float64))
    frames = np.zeros((n, 28, 28))
    shifts = rng.integers(-2, 3, (n, 2))
    for k in range(n):  # a 20x20 digit in a 28x28 frame, shifted
        top, left = 4 + shifts[k, 0], 4 + shifts[k, 1]
        frames[k, top:top + 20, left:left + 20] = big[k]
    frames += rng.normal(0, 8, frames.shape)
    return frames.clip(0, 255).round().astype(np.uint8), labels[picks].astype(np.uint8)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("folder", type=Path, help="where the four IDX files go")
    parser.add_argument("--train", type=int, default=60_000, help="training images")
    parser.add_argument("--test", type=int, default=10_000, help="test images")
    parser.add_argument("--seed", type=int, default=0, help="seeds the picks, shifts and noise")
    args = parser.parse_args(argv)
    if args.train < 1 or args.test < 1:
        parser.error("--train and --test must be at least 1")
    from sklearn.datasets import load_digits

    digits = load_digits()
    half = len(digits.images) // 2
    rng = np.random.default_rng(args.seed)
    splits = {
        "train": make_split(digits.images[:half], digits.target[:half], args.train, rng),
        "test": make_split(digits.images[half:], digits.target[half:], args.test, rng),
    }
    for split, (images, labels) in splits.items():
        for kind, array in (("images", images), ("labels", labels)):
            path = write_idx(args.folder / MNIST_FILES[f"{split}_{kind}"], array)
            print(f"wrote {path} {array.shape}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
