"""``hemcell.cli.main.main`` mounts the command group a command line needs on the one
typer app at every call; a group already there is not mounted again, so repeated calls in
one process (a notebook, a test worker) do not pile up copies of it (each call built a
command of every earlier mount: ~10 ms more per earlier call)."""

from __future__ import annotations

from hemcell.cli.main import app, main


def _names() -> list[str]:
    return [g.name for g in app.registered_groups] + [c.name for c in app.registered_commands]


def test_repeated_calls_mount_each_group_once(tmp_path):
    argv = ["cell", "run", "no_such_recipe", "--params", "heo_rocksalt_mgconicuzn",
            "--protocol", "Rest for 1 minute", "--out", str(tmp_path / "out")]
    for _ in range(5):
        assert main(argv) == 2  # the unknown recipe is refused each time
    names = _names()
    assert names.count("cell") == 1, names
    assert len(names) == len(set(names)), names
