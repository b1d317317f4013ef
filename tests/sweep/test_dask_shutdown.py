"""Dask sweeps shut down quietly: nothing on stderr at exit.

Asyncio prints ``Future exception was never retrieved`` (with a ``TimeoutError``) only
when the interpreter exits, so this runs tiny Dask sweeps in a fresh Python process and
reads its stderr: the pattern of ``test_run.py`` (an in-process LocalCluster passed by
address), the sweep's own LocalCluster of worker processes (``--executor dask``), and
a sweep stopped early by an error while tasks are still running (before the fix its
LocalCluster killed the busy workers after a timeout: "Worker process still alive after
4.0 seconds, killing").
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
    import sys

    def main(out):
        from dask.distributed import LocalCluster

        from hemcell.errors import InputError
        from hemcell.sweep import parse_spec, run_sweep

        spec = parse_spec({
            "command": "params export", "arguments": ["azcnf_coated_li"],
            "results_file": "parameters_si.json",
            "parameters": {"coating_thickness": {"values": ["10 nm", "40 nm"]}},
            "outputs": ["coating_thickness"]})
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                          dashboard_address=None) as cluster:
            a = run_sweep(spec, out + "/external", executor="dask",
                          scheduler=cluster.scheduler_address, progress=False)
        b = run_sweep(spec, out + "/own", executor="dask", workers=2, progress=False)
        print(a.computed, a.failed, b.computed, b.failed)
        # stopped early (an output key the command does not write): the tasks still
        # running must be cancelled before the cluster closes, not killed at a timeout
        bad = parse_spec({**spec.raw, "outputs": ["no_such_key"], "parameters": {
            "coating_thickness": {"values": ["10 nm", "20 nm", "40 nm", "80 nm", "160 nm",
                                             "320 nm"]}}})
        try:
            run_sweep(bad, out + "/stopped", executor="dask", workers=2, progress=False)
        except InputError:
            print("stopped")

    if __name__ == "__main__":
        main(sys.argv[1])
''')
NOISE = ("never retrieved", "TimeoutError", "Traceback", "still alive after")


def test_dask_sweeps_leave_nothing_on_stderr_at_exit(tmp_path):
    script = tmp_path / "dask_sweep.py"
    script.write_text(SCRIPT)
    proc = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["2", "0", "2", "0", "stopped"]
    noisy = [ln for ln in proc.stderr.splitlines() if any(n in ln for n in NOISE)]
    assert noisy == [], proc.stderr[-3000:]
