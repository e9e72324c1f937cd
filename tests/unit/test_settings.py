"""How a deployment on a work pool names its board (prefect.yaml's `board_config` parameter)."""

from pathlib import Path

import pytest

from scr.config import load_board_config
from scr.errors import ConfigError, ScrError
from scr.settings import Runtime

ROOT = Path(__file__).resolve().parents[2]


def test_the_board_is_read_from_its_configuration_file_on_the_worker():
    path = ROOT / "config" / "example-board.yaml"
    runtime = Runtime.from_board_config(str(path))
    assert runtime == Runtime.from_config(load_board_config(path)), "the same settings as the scr commands use"
    assert runtime.backend == "local" and Path(runtime.out_dir).is_absolute()


@pytest.mark.parametrize("given", ["", "{{ $SCR_BOARD_CONFIG }}"])
def test_a_deployment_naming_no_board_says_to_set_scr_board_config_and_deploy_again(given):
    with pytest.raises(ScrError) as refused:
        Runtime.from_board_config(given)
    assert "SCR_BOARD_CONFIG" in str(refused.value) and "prefect deploy" in str(refused.value)


def test_a_path_with_no_file_there_is_refused_naming_it(tmp_path):
    with pytest.raises(ConfigError) as refused:
        Runtime.from_board_config(str(tmp_path / "board.yaml"))
    assert "board.yaml" in str(refused.value) and "no such file" in str(refused.value)
