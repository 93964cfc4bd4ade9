"""nn.data: digits, the MNIST IDX reader on files the tests write, moons, batches."""

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from nn.data import MNIST_FILES, batches, load_digits, load_mnist, make_moons, read_idx


def test_load_digits_is_scaled_split_and_seeded():
    (x_train, t_train), (x_test, t_test) = load_digits()
    assert x_train.shape == (1438, 64) and x_test.shape == (359, 64)
    assert len(t_train) + len(t_test) == 1797
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert set(t_train.tolist()) == set(range(10))
    (again, _), _ = load_digits()
    (other, _), _ = load_digits(seed=1)
    assert np.array_equal(again, x_train) and not np.array_equal(other, x_train)
    (_, _), (x_small, _) = load_digits(test_fraction=0.5)
    assert len(x_small) == 898 or len(x_small) == 899
    with pytest.raises(ValueError, match="test_fraction"):
        load_digits(test_fraction=1.0)


def idx_bytes(array: np.ndarray) -> bytes:
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I",
                                                                   *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_mnist(folder, n_train=5, n_test=3, side=4, compress=False, overrides=None):
    rng = np.random.default_rng(0)
    arrays = {
        "train_images": rng.integers(0, 256, (n_train, side, side)),
        "train_labels": rng.integers(0, 10, n_train),
        "test_images": rng.integers(0, 256, (n_test, side, side)),
        "test_labels": rng.integers(0, 10, n_test),
    }
    folder.mkdir(exist_ok=True)
    for key, array in arrays.items():
        data = (overrides or {}).get(key, idx_bytes(array))
        name = MNIST_FILES[key] + (".gz" if compress else "")
        (folder / name).write_bytes(gzip.compress(data) if compress else data)
    return arrays


@pytest.mark.parametrize("compress", [False, True])
def test_load_mnist_reads_raw_and_gzip_idx(tmp_path, compress):
    arrays = write_mnist(tmp_path / "mnist", compress=compress)
    (x_train, t_train), (x_test, t_test) = load_mnist(tmp_path / "mnist")
    assert x_train.shape == (5, 16) and x_test.shape == (3, 16)
    assert np.allclose(x_train, arrays["train_images"].reshape(5, 16) / 255.0)
    assert t_train.tolist() == arrays["train_labels"].tolist()
    (raw, _), (_, hot) = load_mnist(tmp_path / "mnist", normalize=False, one_hot_label=True)
    assert raw.dtype == np.uint8 and raw.max() > 1
    assert hot.shape == (3, 10) and hot.sum(axis=1).tolist() == [1.0] * 3
    assert hot.argmax(axis=1).tolist() == arrays["test_labels"].tolist()


def test_missing_folder_says_which_files_to_put_where(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"does not exist.*train-images-idx3-ubyte.*"
                                                r"t10k-labels-idx1-ubyte"):
        load_mnist(tmp_path / "nowhere")
    write_mnist(tmp_path / "partial")
    (tmp_path / "partial" / MNIST_FILES["test_labels"]).unlink()
    with pytest.raises(FileNotFoundError, match="lacks t10k-labels-idx1-ubyte"):
        load_mnist(tmp_path / "partial")


@pytest.mark.parametrize(("key", "data", "message"), [
    ("train_images", struct.pack(">HBB", 0, 0x08, 1) + struct.pack(">I", 0), "bad magic"),
    ("train_labels", b"\x00\x00\x0d\x01" + b"\x00" * 8, "bad magic"),
    ("train_images", b"\x00\x00", "too short"),
    ("train_images", struct.pack(">HBBI", 0, 8, 3, 5), "header cut short"),
    ("train_images", struct.pack(">HBB3I", 0, 8, 3, 5, 4, 4) + b"\x00" * 70, "80 bytes of data"),
    ("train_labels", struct.pack(">HBBI", 0, 8, 1, 4) + b"\x00" * 4, "4 labels for 5 images"),
    ("test_labels", struct.pack(">HBBI", 0, 8, 1, 3) + b"\x00\x0c\x00", "label 12"),
])
def test_corrupt_idx_files_raise_value_error_naming_the_file(tmp_path, key, data, message):
    write_mnist(tmp_path / "mnist", overrides={key: data})
    with pytest.raises(ValueError, match=message) as info:
        load_mnist(tmp_path / "mnist")
    assert MNIST_FILES[key] in str(info.value) or MNIST_FILES[key.replace(
        "labels", "images")] in str(info.value)


def test_truncated_gzip_is_a_value_error(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros((2, 2, 2))))[:-10])
    with pytest.raises(ValueError, match="x.gz: corrupt gzip"):
        read_idx(path, 3)


def test_make_moons():
    x, t = make_moons(100, noise=0.0, seed=0)
    assert x.shape == (100, 2) and sorted(set(t.tolist())) == [0, 1] and t.sum() == 50
    upper = x[t == 0]
    assert np.allclose(upper[:, 0] ** 2 + upper[:, 1] ** 2, 1.0)  # on the unit circle
    lower = x[t == 1]
    assert np.allclose((lower[:, 0] - 1) ** 2 + (lower[:, 1] - 0.5) ** 2, 1.0)
    assert np.array_equal(make_moons(20, 0.1, seed=3)[0], make_moons(20, 0.1, seed=3)[0])
    with pytest.raises(ValueError, match="n must be"):
        make_moons(1)
    with pytest.raises(ValueError, match="noise"):
        make_moons(10, noise=-1)


def test_batches_cover_every_sample_once():
    x, t = np.arange(10).reshape(10, 1), np.arange(10)
    got = list(batches(x, t, batch_size=4, seed=1))
    assert [len(b[0]) for b in got] == [4, 4, 2]
    assert sorted(np.concatenate([b[1] for b in got]).tolist()) == list(range(10))
    assert all((b[0][:, 0] == b[1]).all() for b in got)  # rows stay with their targets
    again = [b[1].tolist() for b in batches(x, t, 4, seed=1)]
    assert again == [b[1].tolist() for b in got]
    assert [b[1] for b in batches([1, 2, 3], [4, 5, 6], 2, shuffle=False)] == [[4, 5], [6]]
    with pytest.raises(ValueError, match="batch_size"):
        list(batches(x, t, 0))
    with pytest.raises(ValueError, match="10 samples but 3 targets"):
        list(batches(x, t[:3], 2))


@pytest.mark.parametrize("name", ["images-idx3-ubyte", "images-idx3-ubyte.gz"])
def test_write_idx_round_trips_through_read_idx_and_matches_mnist_bytes(tmp_path, name):
    from nn.data import write_idx

    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    path = write_idx(tmp_path / name, array)
    assert read_idx(path, 3).tolist() == array.tolist()
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    assert raw == idx_bytes(array)  # the same bytes as this file's own encoder writes
    with pytest.raises(ValueError, match="0..255"):
        write_idx(tmp_path / "bad", np.array([256]))


def test_the_mnist_generator_writes_files_load_mnist_reads(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, str(root / "benchmarks" / "make_mnist.py"),
                    str(tmp_path), "--train", "30", "--test", "20"], check=True,
                   capture_output=True)
    (x, t), (xt, tt) = load_mnist(tmp_path)
    assert x.shape == (30, 784) and xt.shape == (20, 784)
    assert 0.0 <= x.min() and x.max() <= 1.0 and set(t.tolist()) <= set(range(10))
    assert x.reshape(30, 28, 28)[:, :2, :].mean() < x.reshape(30, 28, 28)[:, 10:18, 10:18].mean()
