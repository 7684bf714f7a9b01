"""pybamm-model-zoo's portable contract (manifest, layout, import, citation, well-posedness,
build, solve) for this entry, driven the way the zoo drives its own entries."""

from pathlib import Path

import pytest

zoo = pytest.importorskip("pybamm_model_zoo")
from pybamm_model_zoo._registry import Registry  # noqa: E402
from pybamm_model_zoo.testing.contract import MODEL, checks_in_scope  # noqa: E402

COLLECTION = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def entry():
    return Registry(paths=[], external_paths=[COLLECTION]).by_slug("lrmo")


@pytest.mark.parametrize("check", checks_in_scope(MODEL), ids=lambda check: check.name)
def test_portable_contract(entry, check):
    check.run(entry)
