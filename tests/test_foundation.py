"""The package frame: packaged data folders and the command-line error contract."""

import subprocess
import sys

import pytest

from lrmo_cell.resources import data_dir, data_path


@pytest.mark.parametrize("folder", ["parameter_sets", "designs", "validation"])
def test_data_folders_are_found(folder):
    assert data_dir(folder).is_dir()


def test_unknown_data_file_names_what_exists():
    with pytest.raises(FileNotFoundError, match="available"):
        data_path("designs", "no_such_design.toml")


def test_cli_usage_error_is_one_line_and_exit_2():
    result = subprocess.run(
        [sys.executable, "-m", "lrmo_cell.cli", "no-such-command"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
