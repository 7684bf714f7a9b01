"""The LRMO model as a pybamm-model-zoo collection (entry point ``pybamm_zoo_models``).

Each folder here is one zoo entry: ``model.toml`` (manifest), README, CITATION.bib, an example
and the pointer to its tests. ``tests/test_model_checks.py`` holds the entry to the zoo's
portable contract.
"""
