"""The README's main job, designs part: every design reported, the paper's pouch cell met."""

import json

import pandas as pd
import pytest

from lrmo_cell.cli import main
from lrmo_cell.design.core import evaluate
from lrmo_cell.design.schema import load_design
from lrmo_cell.resources import data_dir


def test_reproduce_writes_every_design_and_meets_the_paper(tmp_path):
    assert main(["reproduce", "--out", str(tmp_path), "--skip-model"]) == 0
    names = sorted(p.stem for p in data_dir("designs").glob("*.toml"))
    for name in names:
        report = json.loads((tmp_path / "designs" / f"{name}.json").read_text())
        assert report["capacity_Ah"] == pytest.approx(
            float(evaluate(load_design(name))["capacity_Ah"])
        )
        for figure in ("mass", "tornado"):
            assert (tmp_path / "designs" / f"{name}_{figure}.png").read_bytes()[:4] == b"\x89PNG"
    comparison = pd.read_csv(tmp_path / "designs" / "comparison_with_paper.csv")
    assert len(comparison) == 2 and comparison["passes"].all()
    index = (tmp_path / "README.md").read_text()
    assert all(name in index for name in names)
