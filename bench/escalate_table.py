"""The ESCALATE results table on trained models (bench/escalate_table.sh).

For each model: train a float network on Fashion-MNIST with a fixed seed,
derive the variants a hardware comparison needs, compile each for the
default hardware, and measure labelled accuracy and cost:

- dense: the float model, `--mode dense`;
- pruned (fine-tuned): unstructured magnitude pruning of every conv with
  masked fine-tuning, at the highest sparsity of a sweep whose float top-1
  stays within 0.5 pt of the float model (`--mode pruned --sparsity 0`
  keeps the trained zeros);
- pruned, matched: the same procedure at the conv nonzero count of the
  PENNI model (equal nonzeros);
- decomposed, post-training: the float model compiled `--mode decomposed`
  with default settings, and with PENNI's structure (M, sparsity) but no
  training;
- PENNI: decomposed, L1-trained, pruned and fine-tuned (escalate.train
  penni), folded by the compiler with its trained bases and coefficients.

Trained checkpoints are cached in --out, so reruns skip training. Float
top-1 is measured by PyTorch on the whole test split; simulated top-1,
cycles and energy by the simulator on --samples test images (default: all
10,000). On --check-samples of them the float reference interpreter is
checked against PyTorch and the quantized reference bit-exact against the
simulator (the references are slower than the simulator).
"""

import argparse
import json
import os
import subprocess
import sys
import time

import torch

import escalate
from escalate import data, train

FP32 = 4


def log(text):
    sys.stderr.write("[%s] %s\n" % (time.strftime("%H:%M:%S"), text))
    sys.stderr.flush()


def cached(path, make):
    """The checkpoint at `path` if complete, else make() (which writes it)."""
    if os.path.exists(path):
        model, ck = train.load(path)
        if ck.get("epoch") == ck.get("epochs"):
            log("cached %s" % path)
            return model, ck
    return make()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="build/bench/escalate_table")
    p.add_argument("--models", default="resnet8:32,vgg16_cifar:16",
                   help="arch:width,... (escalate.train.nets)")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--finetune-epochs", type=int, default=2)
    p.add_argument("--bases", type=int, default=4)
    p.add_argument("--coef-sparsity", type=float, default=0.9)
    p.add_argument("--prune-sweep", default="0.5,0.7,0.8,0.9")
    p.add_argument("--samples", type=int, help="simulated test images "
                   "(default: the whole test split)")
    p.add_argument("--check-samples", type=int, default=500)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-j", "--jobs", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.jobs)
    os.makedirs(args.out, exist_ok=True)
    train_set = data.load(data.FASHION_MNIST, "train")
    test_set = data.load(data.FASHION_MNIST, "test")
    # Calibration: 32 training images, never test images.
    calib = os.path.join(args.out, "calib")
    data.write_samples(calib, train_set.subset(32, args.seed).images)

    revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                              stdout=subprocess.PIPE, text=True).stdout.strip()
    results = {"revision": revision, "models": {}}
    start = time.time()
    for spec in args.models.split(","):
        arch, _, width = spec.partition(":")
        width = int(width) if width else None
        d = os.path.join(args.out, "%s_w%s" % (arch, width or "default"))
        os.makedirs(d, exist_ok=True)
        common = dict(seed=args.seed, test_set=test_set, quiet=False)

        fl = cached(os.path.join(d, "float.pt"), lambda: train.train(
            arch, train_set, os.path.join(d, "float.pt"), epochs=args.epochs,
            width=width, resume=True, **common))
        log("%s float top-1 %.2f%%" % (spec, 100 * fl[1]["test_top1"]))
        pe = cached(os.path.join(d, "penni.pt"), lambda: train.penni(
            fl, train_set, bases=args.bases, sparsity=args.coef_sparsity,
            finetune_epochs=args.finetune_epochs + 1,
            out=os.path.join(d, "penni.pt"), resume=True, **common))
        penni_nz = train.sparsity_stats(pe[0])
        log("%s PENNI top-1 %.2f%%, %d of %d conv weights" % (
            spec, 100 * pe[1]["test_top1"], penni_nz["nonzero"],
            penni_nz["dense"]))

        def pruned(sparsity, name):
            return cached(os.path.join(d, name + ".pt"), lambda: train.prune(
                train.load(os.path.join(d, "float.pt")), train_set,
                sparsity=sparsity, finetune_epochs=args.finetune_epochs,
                out=os.path.join(d, name + ".pt"), resume=True, **common))

        sweep = {}
        for s in [float(v) for v in args.prune_sweep.split(",")]:
            sweep[s] = pruned(s, "pruned%02d" % round(100 * s))
            log("%s pruned %.0f%%: top-1 %.2f%%" % (
                spec, 100 * s, 100 * sweep[s][1]["test_top1"]))
        within = [s for s, (_, ck) in sweep.items()
                  if ck["test_top1"] >= fl[1]["test_top1"] - 0.005]
        best = max(within) if within else min(sweep)
        matched_s = 1 - penni_nz["nonzero"] / penni_nz["dense"]
        matched = pruned(matched_s, "pruned_matched")

        # (row, trained model, ONNX file, compile options)
        variants = [
            ("dense", fl, "float", {"mode": "dense"}),
            ("pruned %.0f%% (fine-tuned)" % (100 * best), sweep[best],
             "pruned_best", {"mode": "pruned", "sparsity": 0}),
            ("pruned %.1f%%, matched to PENNI" % (100 * matched_s), matched,
             "pruned_matched", {"mode": "pruned", "sparsity": 0}),
            ("decomposed, post-training defaults", fl, "float",
             {"mode": "decomposed"}),
            ("decomposed, post-training M=%d %.0f%%" % (
                args.bases, 100 * args.coef_sparsity), fl, "float",
             {"mode": "decomposed", "bases": args.bases,
              "sparsity": args.coef_sparsity}),
            ("PENNI M=%d %.0f%% (trained)" % (args.bases,
                                               100 * args.coef_sparsity),
             pe, "penni", {"mode": "decomposed"}),
        ]
        rows = []
        for name, (model, ck), stem, options in variants:
            onnx_path = os.path.join(d, stem + ".onnx")
            train.export(model, onnx_path, ck["shape"])
            log("%s: evaluating %s" % (spec, name))
            ev = escalate.evaluate(
                onnx_path, test_set, args.samples, ["simulated"], calib,
                jobs=args.jobs, **options)
            # The references are slower than the simulator (22 ms against
            # 14 ms an image on VGG): they run on a subset.
            check = escalate.evaluate(
                onnx_path, test_set, args.check_samples,
                ["float", "quantized", "simulated"], calib, jobs=args.jobs,
                **options)
            binds = binding_units(onnx_path, calib, options,
                                  test_set.images[:1])
            nz = train.sparsity_stats(model)
            if options["mode"] == "decomposed" and ck["stage"] != "penni":
                nz = None  # decomposed by the compiler, not counted here
            rows.append({
                "variant": name, "torch_top1": ck["test_top1"],
                "check_float_ref_top1": check["float"]["top1"],
                "check_torch_top1": train.accuracy(
                    model, test_set.subset(args.check_samples, args.seed)),
                "check_sim_agreement": check["simulated"]["agreement"],
                "sim_top1": ev["simulated"]["top1"],
                "qref_equals_sim": check["quantized_equals_simulated"],
                "check_samples": check["samples"], "binding": binds,
                "nonzero_conv": nz and nz["nonzero"],
                "dense_conv": train.sparsity_stats(fl[0])["dense"],
                "onnx_bytes": os.path.getsize(onnx_path),
                "binary_bytes": ev["simulated"]["binary_bytes"],
                "cycles": ev["simulated"]["cycles"],
                "energy_pj": ev["simulated"]["energy_pj"],
                "samples": ev["samples"], "options": options})
            log("%s: %s" % (spec, json.dumps(rows[-1])))
        results["models"][spec] = rows
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
    results["seconds"] = time.time() - start
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print_table(results)


def binding_units(onnx_path, calib, options, image):
    """Share of simulated cycles per binding unit (the unit busiest in each
    layer), and the share in layers the compiler does not decompose."""
    program = escalate.compile(onnx_path, calib=calib, **options)
    _, stats = program.run({program.inputs[0][0]: image})
    shares = {}
    for layer in stats.layers:
        units = layer.get("units", {})
        if not units or not layer["cycles"]:
            continue
        unit = max(units, key=lambda u: units[u]["busy_cycles"])
        shares[unit] = shares.get(unit, 0) + layer["cycles"] / stats.cycles
    return shares


def print_table(results):
    print("git revision %s, %.0f s" % (results["revision"],
                                       results.get("seconds", 0)))
    for spec, rows in results["models"].items():
        dense = rows[0]
        pruned = rows[1]
        print("\n### %s (Fashion-MNIST, simulated on %d test images)\n"
              % (spec, dense["samples"]))
        print("| variant | top-1 float (PyTorch) | top-1 simulated | "
              "nonzero conv weights | binary bytes (ONNX fp32) | cycles | "
              "energy (uJ) | x vs dense | x vs pruned | cycles bound by |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            nz = ("%d (%.1f%%)" % (r["nonzero_conv"], 100 * r["nonzero_conv"]
                                   / r["dense_conv"])
                  if r["nonzero_conv"] is not None else "see report")
            binds = ", ".join("%s %.0f%%" % (u, 100 * v) for u, v in sorted(
                r["binding"].items(), key=lambda kv: -kv[1]) if v >= 0.01)
            print("| %s | %.2f%% | %.2f%% | %s | %d (%d) | %.0f | "
                  "%.2f | %.2fx | %.2fx | %s |" % (
                      r["variant"], 100 * r["torch_top1"],
                      100 * r["sim_top1"], nz,
                      r["binary_bytes"], r["onnx_bytes"], r["cycles"],
                      r["energy_pj"] / 1e6, dense["cycles"] / r["cycles"],
                      pruned["cycles"] / r["cycles"], binds))
        print("\nOn %d checked test images per variant: float reference "
              "top-1 equal to PyTorch's: %s; quantized reference equal to "
              "the simulator: %s." % (
                  rows[0]["check_samples"],
                  all(abs(r["check_float_ref_top1"] - r["check_torch_top1"])
                      < 1e-9 for r in rows),
                  all(r["qref_equals_sim"] for r in rows)))


if __name__ == "__main__":
    main()
