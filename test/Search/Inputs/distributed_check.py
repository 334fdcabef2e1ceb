"""escalate.distributed against a real Dask cluster (distributed.test).

Run in a folder holding tiny.onnx, cal/ and ref.json (escalate-search -j 1
on the same flags), and other/ (another tiny.onnx beside the same cal/).
Each scenario prints what it checked; every assertion names what failed.
"""
import filecmp
import json
import logging
import os
import signal
import subprocess
import sys
import time

from distributed import Client, LocalCluster

import escalate.distributed as ed

FLAGS = dict(grid_bases="3,5", grid_sparsity="0,0.5,0.9",
             budget="sqnr:25dB", objective="energy")


def measured(log):
    """The keys a log holds measurements (or failures) of."""
    keys = []
    with open(log) as f:
        for line in f.read().splitlines()[1:]:
            entry = json.loads(line)
            for kind in ("measure", "failed"):
                if kind in entry:
                    keys.append(entry[kind]["key"])
    return keys


def same_as_reference(output, log):
    assert filecmp.cmp(output, "ref.json", shallow=False), \
        "%s differs from the -j 1 result" % output
    keys = measured(log)
    assert sorted(set(keys)) == sorted(measured("ref.json.log")), \
        "%s lacks measurements" % log
    return len(keys)


def cluster(n):
    c = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                     host="127.0.0.1", dashboard_address=None,
                     silence_logs=logging.ERROR)
    return c, Client(c)


def killed_worker():
    """A worker killed while jobs run: the run completes, nothing is lost,
    the result is the -j 1 one."""
    c, client = cluster(2)
    killed = []

    def on_job(finished, total):
        if killed or finished < 2:
            return
        # A worker that is running a job right now.
        busy = [w for w, keys in client.processing().items() if keys]
        pids = client.run(os.getpid)
        victim = (busy or sorted(pids))[0]
        os.kill(pids[victim], signal.SIGKILL)
        killed.append(victim)

    ed.search("tiny.onnx", "cal", "kill.json", client, batch=2, log="kill.log",
              on_job=on_job, **FLAGS)
    assert killed, "no worker was killed"
    n = same_as_reference("kill.json", "kill.log")
    print("killed worker: run complete, %d measurements, result identical "
          "to -j 1" % n)
    client.close()
    c.close()


def refused_worker():
    """A worker whose tiny.onnx differs, and one that has no inputs at all,
    are refused, with the reason; the remaining worker does their jobs."""
    c, client = cluster(1)
    os.makedirs("empty", exist_ok=True)
    others = [subprocess.Popen(
        ["dask-worker", c.scheduler_address, "--nthreads", "1",
         "--no-dashboard", "--local-directory", os.path.abspath(folder)],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for folder in ("other", "empty")]
    try:
        client.wait_for_workers(3, timeout=60)
        ed.search("tiny.onnx", "cal", "refused.json", client, batch=2,
                  log="refused.log", **FLAGS)
    finally:
        for other in others:
            other.terminate()
            other.wait()
    n = same_as_reference("refused.json", "refused.log")
    print("refused worker: %d measurements, result identical to -j 1" % n)
    client.close()
    c.close()


def failing_jobs():
    """A job that fails (here: a stand-in tool, failing_server.py, refuses
    one layer option) is written to the log as failed and the run goes on
    without it."""
    bindir = os.path.abspath("failing-bin")
    os.makedirs(bindir, exist_ok=True)
    real = os.path.join(ed._bindir(), "escalate-search")
    proxy = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "failing_server.py")
    with open(os.path.join(bindir, "escalate-search"), "w") as f:
        f.write('#!/bin/sh\nexec /usr/bin/python3 %s %s "$@"\n' % (proxy,
                                                                    real))
    os.chmod(os.path.join(bindir, "escalate-search"), 0o755)
    saved = os.environ.get("ESCALATE_BIN")
    os.environ["ESCALATE_BIN"] = bindir
    try:
        c, client = cluster(2)
        ed.search("tiny.onnx", "cal", "failing.json", client, batch=1,
                  log="failing.log", **FLAGS)
        client.close()
        c.close()
    finally:
        if saved is None:
            del os.environ["ESCALATE_BIN"]
        else:
            os.environ["ESCALATE_BIN"] = saved
    with open("failing.log") as f:
        failures = [json.loads(l)["failed"] for l in f if '"failed"' in l]
    assert [x["key"] for x in failures] == \
        ["/conv2/Conv|M=5 s=0.90 b8/c4"], failures
    assert "injected failure" in failures[0]["message"], failures
    with open("failing.json") as f:
        result = json.load(f)
    print("failing job: logged as failed (%s), search finished with %d "
          "layers" % (failures[0]["message"].splitlines()[-1],
                      len(result["layers"])))


def sweep():
    """A models x hardware x modes sweep; its rows are what compiling and
    simulating one point by hand gives."""
    c, client = cluster(2)
    rows = ed.sweep(["tiny.onnx"], client, hw=["default", "small.json"],
                    modes=["dense", "pruned:--sparsity 0.8"], calib="cal")
    client.close()
    c.close()
    assert [(r["hw"], r["mode"]) for r in rows] == [
        ("default", "dense"), ("default", "pruned:--sparsity 0.8"),
        ("small.json", "dense"), ("small.json", "pruned:--sparsity 0.8")], rows
    assert not any("error" in r for r in rows), rows
    bin_dir = ed._bindir()
    subprocess.run([os.path.join(bin_dir, "escalate-compile"), "tiny.onnx",
                    "--mode", "pruned", "--sparsity", "0.8", "--hw",
                    "small.json", "--calib", "cal", "-o", "hand.escb",
                    "--quiet"], check=True)
    subprocess.run([os.path.join(bin_dir, "escalate-sim"), "hand.escb",
                    "--input", "zeros.npy", "--stats", "hand.json",
                    "--quiet"], check=True)
    with open("hand.json") as f:
        hand = json.load(f)["total"]
    assert rows[3]["cycles"] == hand["cycles"], (rows[3], hand["cycles"])
    assert rows[0]["cycles"] != rows[2]["cycles"], "hardware ignored"
    print("sweep: 4 rows, pruned on small.json %d cycles as by hand" %
          hand["cycles"])
    print(ed.table(rows).splitlines()[0])


if __name__ == "__main__":
    for scenario in sys.argv[1:]:
        globals()[scenario]()
