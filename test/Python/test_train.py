"""escalate.train, escalate.data and escalate.evaluate on tiny subsets.

Run by test/Python/train.test under Debian's python3 (torch 1.13) with the
build tree's package first on the path. Every training here is a few steps
on 512 Fashion-MNIST images: seconds, not minutes.
"""
import gzip
import os
import struct
import subprocess

import numpy as np
import onnx
from onnx import numpy_helper
import pytest
import torch

import escalate
from escalate import data, train
from escalate.train import layers

BIN = os.environ["ESCALATE_BIN"]
torch.set_num_threads(2)


@pytest.fixture(scope="module")
def fmnist():
    return (data.load(data.FASHION_MNIST, "train").subset(512, 0),
            data.load(data.FASHION_MNIST, "test").subset(256, 0))


@pytest.fixture(scope="module")
def trained(fmnist, tmp_path_factory):
    d = tmp_path_factory.mktemp("float")
    train_set, _ = fmnist
    model, ck = train.train("tiny_cnn", train_set, str(d / "float.pt"),
                            epochs=4, lr=0.1, width=8, batch=32, quiet=True)
    return d, model, ck


def test_fashion_mnist_reads(fmnist):
    full = data.load(data.FASHION_MNIST, "test")
    assert full.images.shape == (10000, 1, 28, 28)
    assert full.images.dtype == np.float32 and full.images.max() <= 1.0
    assert full.classes == 10 and np.bincount(full.labels).tolist() == [1000] * 10


def _idx(path, dims, kind=0x08, extra=b""):
    body = bytes(int(np.prod(dims)))
    header = struct.pack(">HBB", 0, kind, len(dims)) + struct.pack(
        ">%dI" % len(dims), *dims)
    with gzip.open(path, "wb") as f:
        f.write(header + body + extra)


def test_readers_reject_bad_files(tmp_path):
    _idx(tmp_path / "train-images-idx3-ubyte.gz", (4, 2, 2))
    _idx(tmp_path / "train-labels-idx1-ubyte.gz", (3,))
    with pytest.raises(data.DataError, match="holds 4 images but .* holds 3 labels"):
        data.load(str(tmp_path), "train")
    # Truncated: the header promises more than the file holds.
    with gzip.open(tmp_path / "train-labels-idx1-ubyte.gz", "wb") as f:
        f.write(struct.pack(">HBBI", 0, 8, 1, 4) + b"\0\0")
    with pytest.raises(data.DataError, match="need 4 bytes of data, the file "
                                             "holds 2 \\(truncated\\)"):
        data.load(str(tmp_path), "train")
    with gzip.open(tmp_path / "train-labels-idx1-ubyte.gz", "wb") as f:
        f.write(b"\x12\x34")
    with pytest.raises(data.DataError, match="too short for an IDX header"):
        data.load(str(tmp_path), "train")
    with pytest.raises(data.DataError, match="no 'test' split"):
        data.load(str(tmp_path), "test")
    # The npy folder format, with its own count check.
    npy = tmp_path / "npy" / "test"
    npy.mkdir(parents=True)
    np.save(npy / "images.npy", np.zeros((5, 8, 8, 3), np.uint8))
    np.save(npy / "labels.npy", np.arange(5))
    ok = data.load(str(tmp_path / "npy"), "test")
    assert ok.images.shape == (5, 3, 8, 8) and ok.labels.tolist() == [0, 1, 2, 3, 4]
    np.save(npy / "labels.npy", np.arange(4))
    with pytest.raises(data.DataError, match="holds 5 images but .* holds 4 labels"):
        data.load(str(tmp_path / "npy"), "test")


def test_training_lowers_the_loss(fmnist, trained):
    train_set, _ = fmnist
    _, model, ck = trained
    assert ck["epoch"] == 4
    fresh = train.nets.build("tiny_cnn", train_set.shape, 10, 8)
    x = torch.from_numpy(train_set.images)
    y = torch.from_numpy(train_set.labels)
    with torch.no_grad():
        before = float(torch.nn.functional.cross_entropy(fresh.eval()(x), y))
        after = float(torch.nn.functional.cross_entropy(model.eval()(x), y))
    assert after < before - 0.3


def test_resume_gives_the_same_weights(fmnist, tmp_path, monkeypatch):
    train_set, _ = fmnist
    small = train_set.subset(256, 1)
    _, whole = train.train("tiny_cnn", small, str(tmp_path / "a.pt"),
                           epochs=2, width=4, quiet=True)
    # A run that stops right after its first epoch's checkpoint...
    save = train._save

    def save_then_stop(path, state):
        save(path, state)
        raise KeyboardInterrupt

    monkeypatch.setattr(train, "_save", save_then_stop)
    with pytest.raises(KeyboardInterrupt):
        train.train("tiny_cnn", small, str(tmp_path / "b.pt"), epochs=2,
                    width=4, quiet=True)
    monkeypatch.undo()
    assert torch.load(tmp_path / "b.pt")["epoch"] == 1
    # ...and resumed ends with the unbroken run's weights, bit for bit.
    _, resumed = train.train("tiny_cnn", small, str(tmp_path / "b.pt"),
                             epochs=2, width=4, resume=True, quiet=True)
    for key, value in whole["state"].items():
        assert torch.equal(value, resumed["state"][key]), key


def _compile_ir(path, *flags):
    r = subprocess.run([os.path.join(BIN, "escalate-compile"), path, "--emit",
                        "decomposed", "--quiet", "--calib-samples", "1"]
                       + list(flags), check=True, stdout=subprocess.PIPE,
                       text=True)
    return r.stdout


def test_penni_exports_a_model_that_folds(fmnist, trained, tmp_path):
    train_set, test_set = fmnist
    d, _, _ = trained
    model, ck = train.penni(str(d / "float.pt"), train_set, bases=3,
                            sparsity=0.8, l1_epochs=1, finetune_epochs=1,
                            out=str(tmp_path / "penni.pt"), quiet=True)
    decomposed = [m for m in model.modules()
                  if isinstance(m, layers.DecomposedConv2d)]
    assert len(decomposed) == 2  # conv2, conv3; the 1-channel stem stays
    for m in decomposed:
        assert m.bases == 3
        assert float((m.coef * m.mask == 0).float().mean()) == pytest.approx(0.8, abs=0.01)
    path = str(tmp_path / "penni.onnx")
    train.export(model, path, ck["shape"])
    ir = _compile_ir(path)
    # Every exported pair folded, with the trained M, none re-decomposed.
    assert ir.count("escalate.decomposed_conv") == 2
    assert ir.count("escalate.predecomposed") == 2
    assert "tensor<3x3x3xf32>" in ir
    # The default --sparsity is not applied on top of the trained one:
    # the coefficients the compiler holds are the trained nonzeros.
    ref = escalate.Reference(path, "decomposed", calib_samples=1)
    x = test_set.images[:1]
    with torch.no_grad():
        want = model.eval()(torch.from_numpy(x)).numpy()
    got = ref.run({"input": x})["output"]
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
    # Loaded back, the checkpoint is the same model.
    again, _ = train.load(str(tmp_path / "penni.pt"))
    with torch.no_grad():
        assert torch.equal(again.eval()(torch.from_numpy(x)),
                           model(torch.from_numpy(x)))


def test_pruned_baseline_keeps_its_zeros(fmnist, trained, tmp_path):
    train_set, _ = fmnist
    d, _, _ = trained
    model, ck = train.prune(str(d / "float.pt"), train_set, sparsity=0.7,
                            finetune_epochs=1, quiet=True)
    stats = train.sparsity_stats(model)
    assert stats["nonzero"] == pytest.approx(0.3 * stats["dense"], rel=0.01)
    path = str(tmp_path / "pruned.onnx")
    train.export(model, path, ck["shape"])
    exported = sum(int(np.count_nonzero(numpy_helper.to_array(t)))
                   for t in onnx.load(path).graph.initializer
                   if len(t.dims) == 4)
    assert exported == stats["nonzero"]


def test_quantized_reference_equals_the_simulator(trained, fmnist, tmp_path):
    _, test_set = fmnist
    d, model, ck = trained
    path = str(tmp_path / "float.onnx")
    train.export(model, path, ck["shape"])
    r = escalate.evaluate(path, test_set, samples=64, mode="dense",
                          calib_samples=8, jobs=2)
    assert r["samples"] == 64
    assert r["quantized_equals_simulated"]
    assert r["float"]["top1"] == pytest.approx(train.accuracy(
        model, test_set.subset(64, 0)), abs=1e-9)
    assert r["simulated"]["cycles"] > 0 and r["simulated"]["agreement"] > 0.8
    # The command line prints the same table.
    out = subprocess.run(
        ["/usr/bin/python3", "-m", "escalate.evaluate", path, "--samples",
         "16", "--mode", "dense", "--quiet"], check=True,
        stdout=subprocess.PIPE, text=True).stdout
    assert "quantized reference equals the simulator on every image" in out
    assert out.count("%") >= 6


def test_search_holds_labelled_accuracy(trained, fmnist, tmp_path):
    _, test_set = fmnist
    d, model, ck = trained
    path = str(tmp_path / "float.onnx")
    train.export(model, path, ck["shape"])
    labelled = tmp_path / "labelled"
    labelled.mkdir()
    subset = test_set.subset(64, 0)
    np.save(labelled / "images.npy",
            np.round(subset.images[:, 0] * 255).astype(np.uint8))
    np.save(labelled / "labels.npy", subset.labels)
    cal = tmp_path / "cal"
    cal.mkdir()
    for i, x in enumerate(data.load(data.FASHION_MNIST, "train").subset(2, 0).images):
        np.save(cal / ("%d.npy" % i), x[None])
    best = escalate.search(path, str(cal), str(tmp_path / "best.json"),
                           budget="accuracy:2", labels=str(labelled),
                           grid_bases="2,3", grid_sparsity="0,0.9",
                           grid_coef_bits="8", jobs=2)
    float_top1 = train.accuracy(model, subset)
    measured = best["search"]["measured"]
    assert measured["top1"] >= float_top1 - 0.02 - 1e-9
    assert best["search"]["baseline"]["top1"] >= measured["top1"] - 0.02
    with pytest.raises(escalate.CompileError, match="needs labelled images"):
        escalate.search(path, str(cal), str(tmp_path / "x.json"),
                        budget="accuracy:1")
