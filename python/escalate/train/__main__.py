"""python -m escalate.train {train,penni,prune} ... (see escalate.train)."""

import argparse
import json
import sys

import torch

from . import DataError, data, export, nets, penni, prune, sparsity_stats, \
    train


def _common(p, epochs_default=None):
    p.add_argument("--data", default=data.FASHION_MNIST,
                   help="data folder: IDX files or images.npy/labels.npy "
                        "(default: Debian's Fashion-MNIST)")
    p.add_argument("--train-samples", type=int,
                   help="train on a seeded subset of this many images")
    p.add_argument("--test-samples", type=int,
                   help="report test top-1 on a subset of this many images "
                        "(0: do not report)")
    p.add_argument("-o", "--output", required=True, help="checkpoint (.pt)")
    p.add_argument("--onnx", help="also export the result as ONNX")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float)
    p.add_argument("-j", "--jobs", type=int, default=0,
                   help="torch threads (0: torch's default)")
    p.add_argument("--resume", action="store_true",
                   help="continue from the checkpoint at -o if it is from "
                        "the same run")
    p.add_argument("--quiet", action="store_true")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m escalate.train",
        description="Train models for the accelerator: float, PENNI "
                    "(decomposed, sparse coefficients), pruned baseline.")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a float model")
    t.add_argument("--arch", required=True, choices=sorted(nets.ARCHITECTURES))
    t.add_argument("--width", type=int, help="base channel width")
    t.add_argument("--epochs", type=int, default=10)
    _common(t)
    p = sub.add_parser("penni", help="PENNI: decompose, L1, prune, fine-tune")
    p.add_argument("checkpoint", help="a trained float checkpoint")
    p.add_argument("--bases", type=int, default=4)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--sparsity", type=float,
                       help="coefficient sparsity per layer (default 0.9)")
    group.add_argument("--std-threshold", type=float,
                       help="prune |c| below this many std of the layer "
                            "(PENNI: 1.0)")
    p.add_argument("--l1", type=float, default=1e-5)
    p.add_argument("--l1-epochs", type=int, default=2)
    p.add_argument("--finetune-epochs", type=int, default=2)
    _common(p)
    r = sub.add_parser("prune", help="unstructured pruning with fine-tuning")
    r.add_argument("checkpoint", help="a trained float checkpoint")
    r.add_argument("--sparsity", type=float, default=0.9)
    r.add_argument("--finetune-epochs", type=int, default=2)
    _common(r)
    args = parser.parse_args(argv)

    sparsity = getattr(args, "sparsity", None)
    if sparsity is not None and not 0 <= sparsity < 1:
        parser.error("--sparsity %g: must be in [0, 1)" % sparsity)
    for name in ("epochs", "l1_epochs", "finetune_epochs", "train_samples",
                 "test_samples", "bases"):
        value = getattr(args, name, None)
        if value is not None and value < (1 if name == "bases" else 0):
            parser.error("--%s %d: must not be negative%s" % (
                name.replace("_", "-"), value,
                " or zero" if name == "bases" else ""))
    if args.jobs:
        torch.set_num_threads(args.jobs)
    try:
        train_set = data.load(args.data, "train").subset(args.train_samples,
                                                        args.seed)
        test_set = None
        if args.test_samples != 0:
            test_set = data.load(args.data, "test").subset(args.test_samples,
                                                          args.seed)
        common = dict(out=args.output, seed=args.seed, batch=args.batch,
                      test_set=test_set, resume=args.resume, quiet=args.quiet)
        if args.lr is not None:
            common["lr"] = args.lr
        if args.command == "train":
            model, ck = train(args.arch, train_set, epochs=args.epochs,
                              width=args.width, **common)
        elif args.command == "penni":
            model, ck = penni(
                args.checkpoint, train_set, bases=args.bases,
                sparsity=None if args.std_threshold is not None
                else (0.9 if sparsity is None else sparsity),
                std_threshold=args.std_threshold, l1=args.l1,
                l1_epochs=args.l1_epochs,
                finetune_epochs=args.finetune_epochs, **common)
        else:
            model, ck = prune(args.checkpoint, train_set, sparsity=sparsity,
                              finetune_epochs=args.finetune_epochs, **common)
        if args.onnx:
            export(model, args.onnx, ck["shape"])
    except DataError as e:
        print("escalate.train: error: %s" % e, file=sys.stderr)
        return 1
    summary = {"stage": ck["stage"], "arch": ck["arch"], "width": ck["width"],
               "train_loss": ck.get("train_loss"),
               "test_top1": ck.get("test_top1")}
    summary.update(sparsity_stats(model))
    for key in ("bases", "coefficient_sparsity", "weight_sparsity"):
        if key in ck:
            summary[key] = ck[key]
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
