"""Searches and sweeps on a Dask cluster (docs/distributed.md).

    python -m escalate.distributed search MODEL --calib DIR -o best.json \\
        (--local N | --scheduler tcp://HOST:8786 | --scheduler-file F) \\
        [--batch K] [-j N] [--log F] [any other escalate-search flag]
    python -m escalate.distributed sweep --models A.onnx [B.onnx ...] \\
        [--hw default H.json ...] [--mode dense --mode "pruned:--sparsity 0.8"
        ...] [--calib DIR] -o results.json \\
        (--local N | --scheduler tcp://HOST:8786 | --scheduler-file F)

`escalate-search --executor dask` is the same search.

A search is split into the jobs escalate-search runs by itself
(`--measure KEY`: compile one layer option alone, simulate it, run it on
the layer's recorded inputs; `--gain KEY`: one layer's output gain), whose
output is the lines of the search log; each worker keeps one
`escalate-search --serve` process per search and feeds it its jobs. The coordinator asks
`escalate-search --list-jobs` what the log lacks, submits those jobs in
batches, appends every finished batch to the log, and finally runs
escalate-search itself, which finds every measurement in the log and only
optimises and verifies (the whole-model verifications bisect a target one
after another, so they stay on the coordinator). The result is the file
`escalate-search -j 1` writes on the same inputs, byte for byte.

A sweep compiles and simulates every model x hardware description x mode
and collects one table.

Workers need this package and the tools (PYTHONPATH=build/python; the tools
beside it, or ESCALATE_BIN), and the input files at the paths the
coordinator names. They prove they hold the same files: jobs carry content
digests (XXH3) of the model, the calibration samples and the hardware, and
a worker whose files differ is refused, with the reason, while its jobs go
to the others. A job whose worker dies is run again elsewhere; a job that
fails twice more is written to the log as failed and the run goes on.
"""

import argparse
import json
import logging
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time

from . import CompileError, EscalateError, InputError, _bindir
from .progress import Progress

__all__ = ["Cluster", "InputsDiffer", "JobError", "search", "search_args",
           "sweep", "table"]

# Runs of a failing job after the first.
RETRIES = 2


class _WorkerError(EscalateError):
    """An error on one worker, named by its address (pickled with it)."""

    def __init__(self, worker, message):
        super().__init__(worker, message)
        self.worker, self.message = worker, message


class InputsDiffer(_WorkerError):
    """A worker holds other inputs than the coordinator: another model,
    calibration set or hardware description under the same path."""

    def __str__(self):
        return "worker %s refused: %s" % (self.worker, self.message)


class JobError(_WorkerError):
    """A job whose tool failed on a worker, with the tool's message."""

    def __str__(self):
        return "on worker %s: %s" % (self.worker, self.message)


# -- on the workers ----------------------------------------------------------

def _tool(name):
    return os.path.join(_bindir(), name)


def _die_with_worker():
    # A worker killed mid-job takes its tool process along (Linux's
    # PR_SET_PDEATHSIG), so nothing it started outlives it.
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _run(command):
    try:
        return subprocess.run(command, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              preexec_fn=_die_with_worker)
    except OSError as e:
        raise JobError(_worker(), "cannot run %s: %s" % (command[0],
                                                          e.strerror))


def _tail(stderr, returncode):
    """What a failed tool said: the last lines of its stderr."""
    lines = [l for l in stderr.splitlines() if l.strip()]
    return "\n".join(lines[-5:]) or "exit code %d" % returncode


def _worker():
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return "local"


def _difference(found, expected):
    """The fields in which a worker's inputs (a header) differ."""
    here = json.loads(found).get("search", {})
    there = json.loads(expected)["search"]
    return ", ".join("%s is %s here, %s on the coordinator" % (
        k, json.dumps(here.get(k)), json.dumps(v))
        for k, v in there.items() if here.get(k) != v) or "headers differ"


class _Server:
    """`escalate-search ARGS --serve` kept running on a worker: the model
    is imported and its layers recorded once per worker, not per job."""

    def __init__(self, args):
        self.args = args
        self.stderr = tempfile.TemporaryFile(mode="w+")
        try:
            self.process = subprocess.Popen(
                [_tool("escalate-search")] + args +
                ["--serve", "-j", "1", "--quiet"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self.stderr, text=True, preexec_fn=_die_with_worker)
        except OSError as e:
            raise JobError(_worker(), "cannot run escalate-search: %s"
                           % e.strerror)
        try:
            self.header = self._line()
        except JobError as e:
            # The tool cannot even start here (a missing model, folder or
            # tool): this worker is refused, not the layer options failed.
            raise InputsDiffer(e.worker, "escalate-search --serve cannot "
                               "start here: " + e.message)

    def _line(self):
        line = self.process.stdout.readline()
        if not line:
            # The tool stopped: its own message says why.
            self.process.wait()
            self.stderr.seek(0)
            raise JobError(_worker(), _tail(self.stderr.read(),
                                            self.process.returncode))
        return line.rstrip("\n")

    def run(self, kind, keys):
        """The log lines of these jobs."""
        self.process.stdin.write(json.dumps({kind: keys}) + "\n")
        self.process.stdin.flush()
        lines, error = [], None
        while True:
            line = self._line()
            reply = json.loads(line)
            if "done" in reply:
                break
            if "error" in reply:
                error = reply["error"]
            else:
                lines.append(line)
        if error is not None:
            raise JobError(_worker(), error)
        return lines

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()
        self.stderr.close()


# Each worker thread's server: one per thread, so that a worker with
# several threads runs jobs side by side, and one at a time, so that a
# long-lived worker holds one search's model, not every one's.
_local = threading.local()


def search_job(args, header, kind, keys):
    """On a worker: measures `keys` (kind "measure": layer options; "gain":
    gains by probe option) with the search of `args`, whose log header
    must be `header`; returns the log lines."""
    server = getattr(_local, "server", None)
    if server is not None and (server.args != args or
                               server.process.poll() is not None or
                               server.header != header):
        # Another search, a dead process, or files that changed since it
        # started: a fresh process reads them again.
        server.close()
        server = None
    if server is None:
        server = _local.server = _Server(args)
    if server.header != header:
        raise InputsDiffer(_worker(), _difference(server.header, header))
    try:
        return server.run(kind, keys)
    except JobError:
        if server.process.poll() is not None:
            _local.server = None
        raise


def _file_digest(path):
    import xxhash
    h = xxhash.xxh3_64()
    if os.path.isdir(path):
        # A calibration folder: its file names and contents, in order.
        for root, dirs, files in sorted(os.walk(path)):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(root, name)
                h.update(os.path.relpath(full, path).encode() + b"\0")
                with open(full, "rb") as f:
                    h.update(f.read())
        return h.hexdigest()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


# A program input in the disassembly:
#   escisa.tensor input "x" <dram = ..., shape = [1, 3, 32, 32], ...>
_INPUT_SHAPE = re.compile(r'escisa\.tensor input "[^"]*" <[^>]*?shape = \[([0-9, ]+)\]')


def sweep_job(point, digests):
    """On a worker: one model x hardware x mode compiled and simulated;
    a row of the sweep's table (an error row if the compiler refuses)."""
    for path, digest in digests.items():
        try:
            here = _file_digest(path)
        except OSError as e:
            raise InputsDiffer(_worker(), "cannot read %s: %s" % (
                path, e.strerror))
        if here != digest:
            raise InputsDiffer(_worker(), "%s has xxh3 %s here, %s on the "
                               "coordinator" % (path, here, digest))
    row = {k: point[k] for k in ("model", "hw", "mode")}
    with tempfile.TemporaryDirectory(prefix="escalate-job-") as work:
        binary = os.path.join(work, "program.escb")
        command = [_tool("escalate-compile"), point["model"], "-o", binary,
                   "--quiet"] + point["flags"]
        if point["hw_path"]:
            command += ["--hw", point["hw_path"]]
        if point["calib"]:
            command += ["--calib", point["calib"]]
        start = time.monotonic()
        r = _run(command)
        row["compile_s"] = round(time.monotonic() - start, 3)
        if r.returncode:
            row["error"] = _tail(r.stderr, r.returncode)
            return row
        row["binary_bytes"] = os.path.getsize(binary)
        # The simulator's counts do not depend on the data: zero inputs,
        # shaped as the program's inputs (read from its disassembly, which
        # needs no Python extension on the worker).
        import numpy as np
        r = _run([_tool("escalate-translate"), "--bin-to-escisa", binary])
        if r.returncode:
            raise JobError(_worker(), _tail(r.stderr, r.returncode))
        inputs = []
        for i, dims in enumerate(_INPUT_SHAPE.findall(r.stdout)):
            inputs.append(os.path.join(work, "input%d.npy" % i))
            np.save(inputs[-1], np.zeros([int(d) for d in dims.split(",")],
                                         np.float32))
        stats_path = os.path.join(work, "stats.json")
        command = [_tool("escalate-sim"), binary, "--stats", stats_path,
                   "--quiet"]
        for path in inputs:
            command += ["--input", path]
        start = time.monotonic()
        r = _run(command)
        row["sim_s"] = round(time.monotonic() - start, 3)
        if r.returncode:
            raise JobError(_worker(), _tail(r.stderr, r.returncode))
        with open(stats_path) as f:
            stats = json.load(f)
    total = stats["total"]
    row.update(hardware=stats["hardware"], cycles=total["cycles"],
               energy_uj=total["energy_pj"]["total"] * 1e-6,
               dram_bytes=total["dram_read_bytes"] + total["dram_write_bytes"],
               pe_utilization=total["pe_utilization"],
               area_mm2=stats["area_mm2"]["total"])
    return row


# -- on the coordinator ------------------------------------------------------

class Cluster:
    """A dask.distributed client: a LocalCluster of `local` single-threaded
    worker processes on this machine (on loopback), or the scheduler at
    `scheduler` (tcp://HOST:8786) or named in `scheduler_file`. Use it as a
    context manager; a LocalCluster is shut down on exit."""

    def __init__(self, local=None, scheduler=None, scheduler_file=None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError("escalate.distributed needs Dask's distributed "
                             "package (Debian: python3-distributed)")
        given = [x is not None for x in (local, scheduler, scheduler_file)]
        if sum(given) != 1:
            raise InputError("give exactly one of --local N, --scheduler "
                             "ADDRESS or --scheduler-file FILE")
        self.cluster = None
        if local is not None:
            if local < 1:
                raise InputError("--local %d: a cluster needs at least one "
                                 "worker" % local)
            # Dask's own warnings (a failed attempt, a restarted worker)
            # are silenced: what they mean is reported here, once.
            self.cluster = LocalCluster(
                n_workers=local, threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None,
                silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        elif scheduler is not None:
            self.client = self._connect(scheduler, address=scheduler)
        else:
            if not os.path.exists(scheduler_file):
                raise InputError("--scheduler-file %s: no such file"
                                 % scheduler_file)
            self.client = self._connect(scheduler_file,
                                        scheduler_file=scheduler_file)

    @staticmethod
    def _connect(where, **how):
        from distributed import Client
        try:
            return Client(timeout="30s", **how)
        except OSError as e:
            raise InputError("cannot reach the scheduler %s: %s" % (where, e))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _dispatch(client, function, jobs, done, failed, progress, label,
              refused, on_job=None):
    """Runs function(*job) for every job on the cluster and calls
    done(job, result) as each finishes. A worker whose inputs differ is
    refused (kept in `refused`, by address, for the caller's later
    dispatches) and the job goes to the others; any other failure is
    retried RETRIES times, then failed(job, error) is called.
    on_job(finished, total) follows every finished job (tests kill workers
    from it)."""
    from distributed import as_completed
    pending = {}
    running = as_completed()

    def submit(job, tries):
        workers = None
        if refused:
            workers = [w for w in client.scheduler_info()["workers"]
                       if w not in refused]
            if not workers:
                raise InputError("every worker was refused: " + "; ".join(
                    str(e) for e in refused.values()))
        future = client.submit(function, *job, pure=False, workers=workers,
                               allow_other_workers=False)
        pending[future] = (job, tries)
        running.add(future)

    for job in jobs:
        submit(job, 0)
    finished = 0
    progress.restart()
    progress.step(label, 0, len(jobs))
    for future in running:
        job, tries = pending.pop(future)
        try:
            # The job's own exception, or the cluster's (a result lost with
            # its worker, a job that killed its workers).
            result = future.result()
        except InputsDiffer as error:
            if error.worker not in refused:
                refused[error.worker] = error
                # Said even when quiet: the cluster is not what the user
                # thinks it is.
                progress.line()
                sys.stderr.write("escalate.distributed: warning: %s; its "
                                 "jobs go to the other workers\n" % error)
            submit(job, tries)
            continue
        except Exception as error:
            if tries < RETRIES:
                submit(job, tries + 1)
                continue
            failed(job, error)
        else:
            done(job, result)
        future.release()
        finished += 1
        progress.step(label, finished, len(jobs))
        if on_job:
            on_job(finished, len(jobs))
    progress.line("escalate.distributed: %s: %d jobs in %.1f s" % (
        label, len(jobs), time.time() - progress.start))


def _list_jobs(args, log):
    r = subprocess.run([_tool("escalate-search")] + args +
                       ["--log", log, "--list-jobs", "--quiet"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode:
        raise CompileError(r.stderr.strip().replace(
            "escalate-search: error: ", ""))
    lines = r.stdout.splitlines()
    return lines[0], [json.loads(line) for line in lines[1:]]


def search_args(args, client, output, log=None, jobs=0, batch=8,
                quiet=False, on_job=None):
    """The distributed escalate-search: `args` are the tool's arguments
    (the model and every flag but -o, --log and -j), `output` best.json,
    `log` the measurement log (default OUTPUT.log, resumed from), `jobs`
    the threads of the final step, `batch` the layer options per job.
    Returns best.json's content; the tool's table goes to stdout."""
    if batch < 1:
        raise InputError("--batch %d: a job measures at least one option"
                         % batch)
    output = os.fspath(output)
    log = os.fspath(log) if log else output + ".log"
    progress = Progress(quiet)
    refused = {}
    header, missing = _list_jobs(args, log)
    with open(log, "a") as out:
        def append(lines):
            for line in lines:
                out.write(line + "\n")
            out.flush()

        for kind in ("measure", "gain"):
            if kind == "gain":
                header, missing = _list_jobs(args, log)
            keys = [job[kind] for job in missing if kind in job]
            if not keys:
                continue
            failures = []

            def failed(job, error):
                failures.append(error)
                if kind == "measure":
                    append(json.dumps({"failed": {"key": key, "message":
                                                  str(error)}})
                           for key in job[3])

            # A gain costs a whole float inference per sample: one a job,
            # so that the few of them spread over the workers.
            size = batch if kind == "measure" else 1
            batches = [(args, header, kind, keys[i:i + size])
                       for i in range(0, len(keys), size)]
            progress.line("escalate.distributed: %d %s jobs (%d keys)" % (
                len(batches), kind, len(keys)))
            _dispatch(client, search_job, batches,
                      lambda job, lines: append(lines), failed, progress,
                      kind, refused, on_job)
            if failures:
                sys.stderr.write("escalate.distributed: warning: %d %s jobs "
                                 "failed %d times (the first %s); the run "
                                 "goes on without them\n" % (
                                     len(failures), kind, RETRIES + 1,
                                     failures[0]))
    # Everything is in the log: the tool optimises and verifies.
    command = [_tool("escalate-search")] + args + [
        "-o", output, "--log", log, "-j", str(jobs)]
    if quiet:
        command.append("--quiet")
    # Its progress and warnings pass through as they come; its error
    # becomes the exception's message.
    tool = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    errors = []
    for line in tool.stderr:
        if line.startswith("escalate-search: error: "):
            errors.append(line[len("escalate-search: error: "):].strip())
        else:
            sys.stderr.write(line)
    if tool.wait():
        raise CompileError("\n".join(errors) or "escalate-search failed "
                           "with exit code %d" % tool.returncode)
    with open(output) as f:
        return json.load(f)


def search(model, calib, output, client, objective="cycles",
           budget="sqnr:30dB", jobs=0, batch=8, log=None, quiet=True,
           on_job=None, **flags):
    """`escalate.search` on a cluster (`client`: a dask.distributed Client,
    or Cluster(...).client): the same keywords, plus `batch` (layer
    options per job) and `on_job(finished, total)`. Returns the result;
    it equals `escalate.search(..., jobs=1)`'s."""
    args = [os.fspath(model), "--calib", os.fspath(calib), "--objective",
            objective, "--budget", budget]
    for key, value in sorted(flags.items()):
        args += ["--" + key.replace("_", "-"), str(value)]
    return search_args(args, client, output, log, jobs, batch, quiet, on_job)


def _parse_modes(specs):
    """NAME or NAME:FLAGS (escalate-compile flags after the mode)."""
    modes = []
    for spec in specs:
        name, _, flags = spec.partition(":")
        if name not in ("dense", "pruned", "decomposed"):
            raise InputError("--mode %r: expected dense, pruned or "
                             "decomposed, optionally followed by ':' and "
                             "compile flags" % spec)
        modes.append((spec, ["--mode", name] + shlex.split(flags)))
    return modes


def sweep(models, client, hw=("default",), modes=("dense", "pruned",
                                                  "decomposed"),
          calib=None, quiet=True, on_job=None):
    """Every model x hardware description ("default": the built-in one) x
    mode compiled and simulated on the cluster; one row per point in that
    order (cycles, energy_uj, area_mm2, compile_s, sim_s, ...; `error`
    instead where the compiler refuses the point)."""
    digests = {}
    for path in list(models) + [h for h in hw if h != "default"] + (
            [calib] if calib else []):
        try:
            digests[os.fspath(path)] = _file_digest(os.fspath(path))
        except OSError as e:
            raise InputError("cannot read %s: %s" % (path, e.strerror))
    points = []
    for model in models:
        for h in hw:
            for name, flags in _parse_modes(modes):
                points.append({
                    "model": os.fspath(model), "hw": h, "mode": name,
                    "hw_path": None if h == "default" else os.fspath(h),
                    "calib": os.fspath(calib) if calib else None,
                    "flags": flags})
    rows = {}
    progress = Progress(quiet)

    def done(job, row):
        rows[id(job[0])] = row

    def failed(job, error):
        rows[id(job[0])] = {k: job[0][k] for k in ("model", "hw", "mode")}
        rows[id(job[0])]["error"] = str(error)

    jobs = []
    for point in points:
        needed = {p: digests[p] for p in (point["model"], point["hw_path"],
                                          point["calib"]) if p}
        jobs.append((point, needed))
    _dispatch(client, sweep_job, jobs, done, failed, progress, "sweep", {},
              on_job)
    return [rows[id(point)] for point in points]


def table(rows):
    """The sweep as a Markdown table."""
    out = ["| model | hardware | mode | cycles | energy (uJ) | area (mm2) | "
           "compile (s) | simulate (s) |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        name = os.path.basename(r["model"])
        hw = r.get("hardware", os.path.basename(r["hw"]))
        if "error" in r:
            out.append("| %s | %s | %s | error: %s | | | | |" % (
                name, hw, r["mode"], r["error"].splitlines()[-1]))
        else:
            out.append("| %s | %s | %s | %d | %.3f | %.3f | %.2f | %.2f |" % (
                name, hw, r["mode"], r["cycles"], r["energy_uj"],
                r["area_mm2"], r["compile_s"], r["sim_s"]))
    return "\n".join(out)


def _cluster_flags(parser):
    where = parser.add_argument_group("cluster (exactly one)")
    where.add_argument("--local", type=int, metavar="N",
                       help="a LocalCluster of N single-threaded workers")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running scheduler (tcp://HOST:8786)")
    where.add_argument("--scheduler-file", metavar="FILE",
                       help="the file dask-scheduler --scheduler-file wrote")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress on stderr")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m escalate.distributed", allow_abbrev=False,
        description="escalate-search and compile sweeps on a Dask cluster "
                    "(docs/distributed.md)")
    commands = parser.add_subparsers(dest="command", required=True)
    s = commands.add_parser(
        "search", allow_abbrev=False,
        help="escalate-search with its measurements on the cluster; every "
             "flag not listed here is escalate-search's",
        usage="%(prog)s MODEL --calib DIR -o best.json (--local N | "
              "--scheduler ADDRESS | --scheduler-file FILE) [--batch K] "
              "[escalate-search flags]")
    s.add_argument("-o", dest="output", required=True, metavar="best.json")
    s.add_argument("--log", help="measurement log (default OUTPUT.log)")
    s.add_argument("-j", dest="jobs", type=int, default=0,
                   help="threads of the final step on this machine")
    s.add_argument("--batch", type=int, default=8,
                   help="layer options per job (default 8)")
    _cluster_flags(s)
    w = commands.add_parser(
        "sweep", allow_abbrev=False,
        help="compile and simulate models x hardware x modes")
    w.add_argument("--models", nargs="+", required=True, metavar="MODEL")
    w.add_argument("--hw", nargs="+", default=["default"], metavar="HW",
                   help="hardware descriptions ('default': the built-in)")
    w.add_argument("--mode", action="append", dest="modes", metavar="SPEC",
                   help="dense, pruned or decomposed, optionally with "
                        "compile flags: 'pruned:--sparsity 0.8' "
                        "(repeatable; default all three)")
    w.add_argument("--calib", metavar="DIR",
                   help="calibration inputs for every compile")
    w.add_argument("-o", dest="output", required=True, metavar="results.json")
    _cluster_flags(w)
    args, rest = parser.parse_known_args(argv)
    if args.command == "sweep" and rest:
        parser.error("unrecognized arguments: %s" % " ".join(rest))
    try:
        if args.command == "sweep":
            modes = args.modes or ["dense", "pruned", "decomposed"]
            _parse_modes(modes)  # refused before a cluster is started
        with Cluster(args.local, args.scheduler, args.scheduler_file) as c:
            if args.command == "search":
                search_args(rest, c.client, args.output, args.log, args.jobs,
                            args.batch, args.quiet)
                return 0
            rows = sweep(args.models, c.client, args.hw, modes, args.calib,
                         args.quiet)
    except EscalateError as e:
        sys.stderr.write("escalate.distributed: error: %s\n" % e)
        return 1
    from . import _write_atomically
    _write_atomically(args.output, json.dumps(rows, indent=2) + "\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    # Run from the package's module, not __main__: the workers unpickle
    # its functions by reference, from their own copy of the package.
    from escalate.distributed import main as package_main
    sys.exit(package_main())
