"""A temperature option a command does not have exits 2 with a hint to the set's
``ambient_temperature`` (``hemcell.cli.main._usage_hint``), unless click already suggests
a temperature option of that command."""

from __future__ import annotations

from hemcell.cli.main import main


def test_limetal_temperature_points_to_the_ambient_temperature(capsys):
    assert main(["limetal", "rate", "--temperature", "300"]) == 2
    err = capsys.readouterr().err
    assert "No such option: --temperature" in err
    assert "--set ambient_temperature=" in err


def test_eis_temperature_keeps_clicks_own_suggestion(capsys):
    assert main(["eis", "symmetric", "--temperature", "300"]) == 2
    err = capsys.readouterr().err
    assert "--temperatures" in err
    assert "ambient_temperature" not in err


def test_other_unknown_options_get_no_temperature_hint(capsys):
    assert main(["limetal", "rate", "--rates", "1"]) == 2
    assert "ambient_temperature" not in capsys.readouterr().err
