"""Training for the accelerator: float models, PENNI decomposition with
coefficient sparsity, and the unstructured pruning baseline.

    python -m escalate.train train --arch resnet8 --data DIR -o float.pt
    python -m escalate.train penni float.pt --bases 4 --sparsity 0.9 -o penni.pt --onnx penni.onnx
    python -m escalate.train prune float.pt --sparsity 0.9 -o pruned.pt --onnx pruned.onnx

Every stage writes a checkpoint (a dict: architecture, width, image shape,
classes, stage, state_dict, optimizer state, epochs done, RNG states) after
each epoch, so a run that stops resumes with `--resume` from where it
stopped, and gives the same weights as one that did not stop. `--onnx`
exports the result at opset 13 with batch 1: PENNI layers as the two
stages escalate-fold-predecomposed folds, pruned layers dense with zeros
(compile with `--mode pruned --sparsity 0` to keep the trained zeros).

Seeds are fixed (`--seed`); `-j` sets torch's threads.
"""

import copy
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

from .. import data
from ..progress import Progress
from ..data import DataError, Dataset
from . import layers, nets

__all__ = ["DataError", "Dataset", "data", "nets", "train", "penni", "prune",
           "load", "export", "accuracy", "sparsity_stats"]


def _seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _augment(x, generator):
    """Random crops (2-pixel zero padding) and horizontal flips."""
    n, _, h, w = x.shape
    padded = F.pad(x, (2, 2, 2, 2))
    dy = torch.randint(0, 5, (n,), generator=generator)
    dx = torch.randint(0, 5, (n,), generator=generator)
    rows = (dy[:, None] + torch.arange(h)[None])[:, None, :, None]
    cols = (dx[:, None] + torch.arange(w)[None])[:, None, None, :]
    out = padded[torch.arange(n)[:, None, None, None],
                 torch.arange(x.shape[1])[None, :, None, None], rows, cols]
    flip = torch.rand(n, generator=generator) < 0.5
    out[flip] = out[flip].flip(3)
    return out


@torch.no_grad()
def accuracy(model, dataset, batch=500):
    """Float top-1 of `model` on `dataset` in PyTorch (training's own
    measure; escalate.evaluate measures the compiled forms)."""
    model.eval()
    correct = 0
    for i in range(0, len(dataset), batch):
        x = torch.from_numpy(dataset.images[i:i + batch])
        y = torch.from_numpy(dataset.labels[i:i + batch])
        correct += int((model(x).argmax(1) == y).sum())
    return correct / max(len(dataset), 1)


def _save(path, state):
    temp = path + ".tmp"
    torch.save(state, temp)
    os.replace(temp, path)


def load(path):
    """(model, checkpoint dict) of a checkpoint written by this package."""
    try:
        ck = torch.load(path, map_location="cpu")
    except (OSError, RuntimeError, EOFError) as e:
        raise DataError("%s: not a checkpoint: %s" % (path, e)) from None
    if not isinstance(ck, dict) or "arch" not in ck or "state" not in ck:
        raise DataError("%s: not an escalate.train checkpoint" % path)
    model = nets.build(ck["arch"], tuple(ck["shape"]), ck["classes"],
                       ck["width"])
    if ck.get("bases"):
        layers.decompose(model, ck["bases"])
    if ck.get("masked"):
        layers.masked_layers(model, include_linear=False)
    model.load_state_dict(ck["state"])
    return model, ck


def _fit(model, ck, train_set, epochs, lr, out, resume, quiet, l1=0.0,
         masked=None, batch=128, test_set=None, label="train"):
    """SGD with momentum and cosine decay over `epochs`; `l1` weighs the
    coefficient penalty; `masked` layers keep their masks after each step.
    Checkpoints after each epoch into `out`."""
    _seed(ck["seed"])
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9,
                                weight_decay=5e-4, nesterov=True)
    steps = math.ceil(len(train_set) / batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: 0.5 * (1 + math.cos(math.pi * s / max(epochs * steps, 1))))
    generator = torch.Generator().manual_seed(ck["seed"])
    start_epoch = 0
    if resume and os.path.exists(out):
        saved = torch.load(out, map_location="cpu")
        if saved.get("stage") == ck["stage"] and saved.get("epochs") == epochs \
                and "optimizer" in saved:
            model.load_state_dict(saved["state"])
            optimizer.load_state_dict(saved["optimizer"])
            schedule.load_state_dict(saved["schedule"])
            start_epoch = saved["epoch"]
            # The same shuffles and crops as an unbroken run.
            generator.set_state(saved["rng"])
    images = torch.from_numpy(train_set.images)
    labels = torch.from_numpy(train_set.labels)
    progress = Progress(quiet)
    for epoch in range(start_epoch, epochs):
        model.train()
        order = torch.randperm(len(train_set), generator=generator)
        start, total, seen = time.time(), 0.0, 0
        progress.restart()
        for s in range(steps):
            idx = order[s * batch:(s + 1) * batch]
            x = _augment(images[idx], generator)
            loss = F.cross_entropy(model(x), labels[idx])
            objective = loss + l1 * layers.coefficient_l1(model) if l1 else loss
            optimizer.zero_grad()
            objective.backward()
            optimizer.step()
            schedule.step()
            if masked is not None:
                layers.apply_masks(masked)
            total += float(loss) * len(idx)
            seen += len(idx)
            progress.step("%s epoch %d/%d" % (label, epoch + 1, epochs),
                          s + 1, steps, "loss %.4f" % (total / seen))
        ck.update(state=model.state_dict(), optimizer=optimizer.state_dict(),
                  schedule=schedule.state_dict(), epoch=epoch + 1,
                  epochs=epochs, rng=generator.get_state(),
                  train_loss=total / max(seen, 1))
        text = "%s epoch %d/%d: loss %.4f, %.0f s" % (
            label, epoch + 1, epochs, total / max(seen, 1), time.time() - start)
        if test_set is not None:
            ck["test_top1"] = accuracy(model, test_set)
            text += ", test top-1 %.2f%%" % (100 * ck["test_top1"])
        progress.line(text)
        if out:
            _save(out, ck)
    if epochs == 0:  # nothing to train: the result is the model as given
        ck.update(state=model.state_dict(), epoch=0, epochs=0)
        if test_set is not None:
            ck["test_top1"] = accuracy(model, test_set)
        if out:
            _save(out, ck)
    return ck


def train(arch, train_set, out=None, epochs=10, lr=0.05, width=None, seed=0,
          batch=128, test_set=None, resume=False, quiet=False):
    """Trains architecture `arch` (escalate.train.nets) on `train_set`;
    returns (model, checkpoint)."""
    _seed(seed)
    model = nets.build(arch, train_set.shape, train_set.classes, width)
    ck = {"arch": arch, "width": width or nets.ARCHITECTURES[arch][1],
          "shape": list(train_set.shape), "classes": train_set.classes,
          "stage": "float", "seed": seed}
    ck = _fit(model, ck, train_set, epochs, lr, out, resume, quiet,
              batch=batch, test_set=test_set, label="train")
    return model, ck


def _derive(source, stage, seed):
    # A copy: the derived model is changed in place (decomposed, masked),
    # and the caller's model must stay as it is.
    model, parent = load(source) if isinstance(source, str) else (
        copy.deepcopy(source[0]), source[1])
    ck = {k: parent[k] for k in ("arch", "width", "shape", "classes")}
    ck.update(stage=stage, seed=seed, parent_top1=parent.get("test_top1"))
    for key in ("bases", "masked"):
        if key in parent:
            ck[key] = parent[key]
    return model, ck


def penni(source, train_set, bases=4, sparsity=0.9, std_threshold=None,
          l1=1e-5, l1_epochs=2, finetune_epochs=2, lr=0.01, out=None,
          seed=0, batch=128, test_set=None, resume=False, quiet=False):
    """PENNI on a trained model (a checkpoint path or (model, checkpoint)):
    every decomposable conv becomes `bases` SVD-initialised bases plus
    coefficients, fine-tuned with `l1` on the coefficients, pruned by
    magnitude to `sparsity` per layer (or PENNI's `std_threshold`), then
    fine-tuned under the mask. Returns (model, checkpoint)."""
    model, ck = _derive(source, "penni", seed)
    layers.decompose(model, bases)
    ck.update(bases=bases)
    if l1_epochs:
        ck["stage"] = "penni-l1"
        _fit(model, ck, train_set, l1_epochs, lr, out and out + ".l1", resume,
             quiet, l1=l1, masked=layers.masked_layers(model),
             batch=batch, test_set=test_set, label="penni L1")
    coefficients = [entry for entry in layers.masked_layers(model)
                    if isinstance(entry[0], layers.DecomposedConv2d)]
    zeros, total = layers.prune_masks(coefficients, sparsity, std_threshold)
    ck.update(stage="penni", masked=True, coefficient_sparsity=zeros / max(total, 1))
    _fit(model, ck, train_set, finetune_epochs, lr, out, resume, quiet,
         masked=coefficients, batch=batch, test_set=test_set,
         label="penni fine-tune")
    if out and os.path.exists(out + ".l1"):
        os.unlink(out + ".l1")
    return model, ck


def prune(source, train_set, sparsity=0.9, finetune_epochs=2, lr=0.01,
          out=None, seed=0, batch=128, test_set=None, resume=False,
          quiet=False):
    """The fair baseline: every conv's weights pruned by magnitude to
    `sparsity` per layer, then fine-tuned under the mask (the classifier
    stays dense, as in PENNI). Returns (model, checkpoint)."""
    model, ck = _derive(source, "pruned", seed)
    weights = layers.masked_layers(model)
    zeros, total = layers.prune_masks(weights, sparsity)
    ck.update(masked=True, weight_sparsity=zeros / max(total, 1))
    _fit(model, ck, train_set, finetune_epochs, lr, out, resume, quiet,
         masked=weights, batch=batch, test_set=test_set,
         label="prune fine-tune")
    return model, ck


def sparsity_stats(model):
    """Conv weights as deployed: {"nonzero": ..., "dense": ...}, where a
    decomposed conv counts its bases plus its nonzero coefficients and
    `dense` is what the undecomposed convs would hold."""
    nonzero = dense = 0
    for m in model.modules():
        if isinstance(m, layers.DecomposedConv2d):
            cout, cin, _ = m.coef.shape
            nonzero += int(((m.coef * m.mask) != 0).sum()) + m.basis.numel()
            dense += cout * cin * m.basis.shape[1] * m.basis.shape[2]
        elif isinstance(m, torch.nn.Conv2d):
            nonzero += int((m.weight != 0).sum())
            dense += m.weight.numel()
    return {"nonzero": nonzero, "dense": dense}


def export(model, path, shape):
    """ONNX (opset 13, batch 1, input "input", output "output") of a trained
    model; decomposed convs as their two stages."""
    model.eval()
    for m in model.modules():
        if isinstance(m, layers.DecomposedConv2d):
            m.two_stage = m.stages()
    try:
        temp = path + ".tmp"
        torch.onnx.export(model, torch.zeros((1,) + tuple(shape)), temp,
                          opset_version=13, input_names=["input"],
                          output_names=["output"], do_constant_folding=True)
        os.replace(temp, path)
    finally:
        for m in model.modules():
            if isinstance(m, layers.DecomposedConv2d):
                m.two_stage = None
