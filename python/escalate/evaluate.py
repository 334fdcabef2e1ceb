"""Labelled accuracy of a model as the accelerator runs it.

    python -m escalate.evaluate model.onnx [--data DIR] [--samples N]
        [--mode decomposed|dense|pruned] [--option key=value ...] [--json F]

Classifies a labelled set (escalate.train.data: IDX or images.npy +
labels.npy; default Debian's Fashion-MNIST test split) three ways:

- `float`: the float reference interpreter on the imported model;
- `quantized`: the reference interpreter on the compiled integer model
  (bit-exact to the simulator);
- `simulated`: the compiled binary on the simulator, which also gives
  cycles and energy per image.

and prints top-1, top-5, top-1 agreement with the float model, and mean
cycles and energy per image. The quantized model and the binary come from
one set of compile options (`--mode` plus any `escalate.compile` keyword as
`--option key=value`); calibration uses `--calib DIR`, or else the first
`--calib-samples` images of a seeded permutation of the training split
(never test images). Images are classified one at a time (the models are
compiled with batch 1); `-j` simulates images on that many threads, with
results independent of it.
"""

import argparse
import concurrent.futures
import json
import os
import sys
import tempfile
import types

import numpy as np

import escalate
from escalate import CompileError, EscalateError
from escalate import data as datasets
from escalate.progress import Progress

__all__ = ["evaluate", "PATHS"]

PATHS = ("float", "quantized", "simulated")


def _topk(logits, labels, k):
    top = np.argsort(-logits, axis=1, kind="stable")[:, :k]
    return float(np.mean(np.any(top == labels[:, None], axis=1)))


def evaluate(model, data=None, samples=None, paths=PATHS, calib=None,
             calib_samples=32, seed=0, jobs=1, quiet=True, **options):
    """Top-1/top-5 of `model` (ONNX path or bytes) on `data` (a Dataset or
    a data folder; default Fashion-MNIST test) through each of `paths`.
    `options` are escalate.compile's. Returns a dict: "samples", "data",
    per path {"top1", "top5", "agreement" (with the float path)} plus, for
    "simulated", "cycles" and "energy_pj" (means per image) and
    "binary_bytes"; with both "quantized" and "simulated",
    "quantized_equals_simulated"."""
    if isinstance(model, (str, os.PathLike)):
        with open(model, "rb") as f:
            model = f.read()
    unknown = set(paths) - set(PATHS)
    if unknown:
        raise CompileError("unknown evaluation path %s (%s)" % (
            ", ".join(sorted(unknown)), ", ".join(PATHS)))
    if data is None or isinstance(data, (str, os.PathLike)):
        data = datasets.load(data or datasets.FASHION_MNIST, "test")
    test = data.subset(samples, seed)
    results = {"samples": len(test), "data": test.name}
    compiled = {}
    with tempfile.TemporaryDirectory(prefix="escalate-calib-") as temp:
        if calib is None and any(p != "float" for p in paths):
            if data.folder is None:
                raise CompileError("no calibration: give calib (the data "
                                   "set has no folder to take a training "
                                   "split from)")
            train = datasets.load(data.folder, "train")
            datasets.write_samples(temp, train.subset(calib_samples, seed).images)
            calib = temp
        compile_options = dict(options, calib=calib) if calib else options
        if "float" in paths:
            compiled["float"] = escalate.Reference(model, "escalate")
        if "quantized" in paths:
            compiled["quantized"] = escalate.Reference(model, "quantized",
                                                       **compile_options)
        if "simulated" in paths:
            compiled["simulated"] = escalate.compile(model, **compile_options)
    name = (compiled.get("float") or compiled.get("quantized")
            or compiled["simulated"]).inputs[0][0]
    logits = {p: [None] * len(test) for p in paths}
    cycles = np.zeros(len(test))
    energy = np.zeros(len(test))
    progress = Progress(quiet)
    done, total = 0, len(test) * len(paths)

    for p in paths:
        target = compiled[p]

        def one(i, target=target, p=p):
            x = test.images[i:i + 1]
            if p == "simulated":
                out, stats = target.run({name: x})
                return i, next(iter(out.values())), stats
            return i, next(iter(target.run({name: x}).values())), None

        # The reference runs in this thread (one MLIR context); the binary is
        # independent per run, so images simulate on `jobs` threads.
        workers = jobs if p == "simulated" else 1
        with concurrent.futures.ThreadPoolExecutor(max(workers, 1)) as pool:
            for i, out, stats in pool.map(one, range(len(test))):
                logits[p][i] = np.asarray(out, np.float32).reshape(-1)
                if stats is not None:
                    cycles[i], energy[i] = stats.cycles, stats.energy_pj
                done += 1
                progress.step(p, done, total)
    progress.line()

    labels = test.labels
    reference = None
    for p in paths:
        values = np.stack(logits[p])
        entry = {"top1": _topk(values, labels, 1),
                 "top5": _topk(values, labels, min(5, values.shape[1]))}
        if reference is None and p == "float":
            reference = values.argmax(1)
        if reference is not None:
            entry["agreement"] = float(np.mean(values.argmax(1) == reference))
        if p == "simulated":
            entry.update(cycles=float(cycles.mean()),
                         energy_pj=float(energy.mean()),
                         binary_bytes=len(compiled[p].binary))
        results[p] = entry
    if "quantized" in paths and "simulated" in paths:
        results["quantized_equals_simulated"] = bool(all(
            np.array_equal(a, b) for a, b in
            zip(logits["quantized"], logits["simulated"])))
    return results


def _value(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text, text)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m escalate.evaluate",
        description="Labelled top-1/top-5 through the float reference, the "
                    "quantized reference and the simulator.")
    parser.add_argument("model", help="ONNX model")
    parser.add_argument("--data", help="data folder (default Fashion-MNIST)")
    parser.add_argument("--samples", type=int,
                        help="evaluate a seeded subset of this many images "
                             "(default: the whole test split)")
    parser.add_argument("--through", default=",".join(PATHS),
                        help="comma-separated paths (default %(default)s)")
    parser.add_argument("--mode", default="decomposed",
                        choices=["decomposed", "dense", "pruned"])
    parser.add_argument("--option", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="an escalate.compile option (sparsity=0, "
                             "bases=4, hw=FILE, ...)")
    parser.add_argument("--calib", help="calibration samples directory")
    parser.add_argument("--calib-samples", type=int, default=32,
                        help="training images to calibrate on when no "
                             "--calib is given")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--json", help="also write the results as JSON")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    options = {"mode": args.mode}
    for item in args.option:
        key, sep, value = item.partition("=")
        if not sep or not key:
            parser.error("--option %r: expected KEY=VALUE" % item)
        options[key.replace("-", "_")] = _value(value)
    if args.samples is not None and args.samples < 1:
        parser.error("--samples %d: must be at least 1" % args.samples)
    known = escalate.compile_options()
    for key in options:
        if key not in known:
            parser.error("--option %s: not a compile option (options: %s)"
                         % (key, ", ".join(sorted(known))))
    try:
        r = evaluate(args.model, args.data, args.samples,
                     [p for p in args.through.split(",") if p], args.calib,
                     args.calib_samples, args.seed, args.jobs, args.quiet,
                     **options)
    except (EscalateError, datasets.DataError, OSError) as e:
        print("escalate.evaluate: error: %s" % e, file=sys.stderr)
        return 1
    print("%s on %d images of %s" % (args.model, r["samples"], r["data"]))
    print("%-10s %7s %7s %9s %12s %12s" % ("path", "top-1", "top-5",
                                           "agree", "cycles/img", "energy uJ"))
    for p in PATHS:
        if p not in r:
            continue
        e = r[p]
        print("%-10s %6.2f%% %6.2f%% %9s %12s %12s" % (
            p, 100 * e["top1"], 100 * e["top5"],
            "%.4f" % e["agreement"] if "agreement" in e else "-",
            "%.0f" % e["cycles"] if "cycles" in e else "-",
            "%.3f" % (e["energy_pj"] / 1e6) if "energy_pj" in e else "-"))
    if "quantized_equals_simulated" in r:
        print("quantized reference %s the simulator on every image" % (
            "equals" if r["quantized_equals_simulated"] else "DIFFERS FROM"))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(r, f, indent=1)
    return 0 if r.get("quantized_equals_simulated", True) else 2


class _Callable(types.ModuleType):
    """`escalate.evaluate(...)` calls evaluate(): the API's name is also
    this module's, which `python -m escalate.evaluate` runs."""

    def __call__(self, *args, **kwargs):
        return evaluate(*args, **kwargs)


sys.modules[__name__].__class__ = _Callable

if __name__ == "__main__":
    sys.exit(main())
