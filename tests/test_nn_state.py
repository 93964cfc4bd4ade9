"""state_dict, save and load: round trips, bad files, and crash-safe writes."""

import json
import os

import pytest

import nn


def test_state_dict_round_trip():
    a, b = nn.MLP(2, [3, 1], seed=1), nn.MLP(2, [3, 1], seed=2)
    assert a.state_dict() != b.state_dict()
    b.load_state_dict(a.state_dict())
    assert a.state_dict() == b.state_dict()
    assert b([0.5, 0.5])[0].data == a([0.5, 0.5])[0].data


def test_save_and_load_round_trip_exactly(tmp_path):
    a, b = nn.TwoLayerNet(4, 3, 2, seed=1), nn.TwoLayerNet(4, 3, 2, seed=2)
    path = a.save(tmp_path / "net.json")
    document = json.loads(path.read_text())
    assert document["format"] == "chainrule.state_dict" and document["version"] == 1
    assert "affine1.neurons.0.w.0" in document["parameters"]
    b.load(path)
    assert b.state_dict() == a.state_dict()  # repr floats round-trip exactly


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON"),
    ('{"format": "other", "version": 1, "parameters": {}}', "not a chainrule state file"),
    ('{"format": "chainrule.state_dict", "version": 2, "parameters": {}}', "'version'"),
    ('{"format": "chainrule.state_dict", "version": 1, "parameters": []}', "'parameters'"),
    ("[]", "not a chainrule state file"),
])
def test_corrupt_files_raise_value_error(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        nn.MLP(2, [1]).load(path)


def test_mismatched_files_name_the_key_and_change_nothing(tmp_path):
    model = nn.MLP(2, [3, 1])
    before = model.state_dict()
    nn.MLP(2, [4, 1]).save(tmp_path / "bigger.json")
    with pytest.raises(ValueError, match=r"unexpected key 'layers\.0\.neurons\.3\.w\.0'"):
        model.load(tmp_path / "bigger.json")
    nn.MLP(2, [2, 1]).save(tmp_path / "smaller.json")
    with pytest.raises(ValueError, match=r"missing key 'layers\.0\.neurons\.2\.w\.0'"):
        model.load(tmp_path / "smaller.json")
    state = dict(before, **{"layers.1.neurons.0.b": "zero"})
    with pytest.raises(ValueError, match=r"key 'layers\.1\.neurons\.0\.b' holds 'zero'"):
        model.load_state_dict(state)
    with pytest.raises(ValueError, match="not a finite number"):
        model.load_state_dict(dict(before, **{"layers.1.neurons.0.b": float("nan")}))
    assert model.state_dict() == before


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.json"):
        nn.MLP(2, [1]).load(tmp_path / "nope.json")


def test_an_interrupted_save_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    old = nn.MLP(2, [3, 1], seed=1)
    old.save(path)
    saved = path.read_text()

    def crash(fd):
        raise KeyboardInterrupt  # the process dies after writing, before the rename

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        nn.MLP(2, [3, 1], seed=2).save(path)
    assert path.read_text() == saved
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]  # no temporary left


def test_saved_files_get_ordinary_permissions(tmp_path):
    path = nn.MLP(1, [1]).save(tmp_path / "m.json")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
