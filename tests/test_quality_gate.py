import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("gate", Path(__file__).parents[1] / "quality" / "gate.py")
assert spec and spec.loader
gate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gate)


def test_gate_fails_below_floor_and_on_missing_metric():
    failures = gate.compare({"a": 0.5, "b": 0.9}, {"a": 0.6, "b": 0.9, "c": 0.1})
    assert failures == ["a: 0.500 < floor 0.6", "c: missing (floor 0.1)"]


def test_gate_passes_at_or_above_floor():
    assert gate.compare({"a": 0.6}, {"a": 0.6}) == []


def test_floors_file_is_valid():
    import json

    floors = json.loads((Path(__file__).parents[1] / "quality" / "floors.json").read_text())
    assert floors["acceptance"]["aleppo-2024"]["articles"] == 1.0
    for spec in floors["corpora"].values():
        assert spec["file"] and spec["floors"]
