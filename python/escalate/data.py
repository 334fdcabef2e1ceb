"""Labelled image sets: IDX files (MNIST, Fashion-MNIST) and npy folders.

A data set is a pair of arrays: images as float32 [N, C, H, W] scaled to
[0, 1] and labels as int64 [N]. Two formats are read:

- IDX, the format of MNIST and Fashion-MNIST: `<split>-images-idx3-ubyte`
  and `<split>-labels-idx1-ubyte` (optionally `.gz`), splits `train` and
  `t10k` (or `test`).
- A folder holding `images.npy` ([N, H, W], [N, C, H, W] or [N, H, W, C]
  with C in 1, 3, 4; uint8 is scaled by 1/255, floats are taken as they
  are) and `labels.npy` (integers [N]); for a split, `DIR/<split>/`.

Every inconsistency (a short file, a wrong magic number, image and label
counts that differ, labels out of range) raises DataError naming the file.
"""

import gzip
import os
import struct

import numpy as np

__all__ = ["DataError", "Dataset", "load", "read_idx", "write_samples"]

# Fashion-MNIST as Debian's dataset-fashion-mnist installs it.
FASHION_MNIST = "/usr/share/datasets/fashion-mnist"

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4",
              0x0D: ">f4", 0x0E: ">f8"}


class DataError(Exception):
    """A data file that is missing, truncated or inconsistent."""


class Dataset:
    """Images [N, C, H, W] float32 in [0, 1] and labels [N] int64, with
    the data folder they came from (for its other splits)."""

    def __init__(self, images, labels, name, folder=None):
        self.images, self.labels, self.name = images, labels, name
        self.folder = folder

    def __len__(self):
        return len(self.labels)

    @property
    def shape(self):
        """(C, H, W) of one image."""
        return tuple(self.images.shape[1:])

    @property
    def classes(self):
        return int(self.labels.max()) + 1 if len(self.labels) else 0

    def subset(self, count, seed=0):
        """The first `count` images of a seeded permutation (all if None)."""
        if count is None or count >= len(self):
            return self
        order = np.random.default_rng(seed).permutation(len(self))[:count]
        order.sort()
        return Dataset(self.images[order], self.labels[order],
                       "%s[%d]" % (self.name, count), self.folder)


def read_idx(path):
    """An IDX file (gzip or plain) as a numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as e:
        raise DataError("%s: cannot read: %s" % (path, e)) from None
    if len(data) < 4:
        raise DataError("%s: %d bytes, too short for an IDX header"
                        % (path, len(data)))
    zero, kind, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind not in _IDX_TYPES or rank == 0:
        raise DataError("%s: not an IDX file (magic 0x%08x)"
                        % (path, struct.unpack(">I", data[:4])[0]))
    header = 4 + 4 * rank
    if len(data) < header:
        raise DataError("%s: header truncated" % path)
    dims = struct.unpack(">%dI" % rank, data[4:header])
    dtype = np.dtype(_IDX_TYPES[kind])
    need = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    have = len(data) - header
    if have != need:
        raise DataError("%s: dimensions %s need %d bytes of data, the file "
                        "holds %d (%s)" % (path, "x".join(map(str, dims)),
                                           need, have,
                                           "truncated" if have < need
                                           else "trailing bytes"))
    return np.frombuffer(data, dtype, offset=header).reshape(dims)


def _find(directory, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    return None


def _idx_split(directory, split):
    prefix = {"test": "t10k"}.get(split, split)
    images = _find(directory, prefix + "-images-idx3-ubyte")
    labels = _find(directory, prefix + "-labels-idx1-ubyte")
    if not images or not labels:
        return None
    x, y = read_idx(images), read_idx(labels)
    if x.ndim != 3:
        raise DataError("%s: images must be N x H x W, not %s"
                        % (images, "x".join(map(str, x.shape))))
    if y.ndim != 1:
        raise DataError("%s: labels must be one-dimensional" % labels)
    _check_counts(len(x), len(y), images, labels)
    return (x[:, None].astype(np.float32) / 255.0,
            y.astype(np.int64), "%s:%s" % (directory, prefix))


def _check_counts(n_images, n_labels, images, labels):
    if n_images != n_labels:
        raise DataError("%s holds %d images but %s holds %d labels"
                        % (images, n_images, labels, n_labels))


def _npy_split(directory):
    images = os.path.join(directory, "images.npy")
    labels = os.path.join(directory, "labels.npy")
    if not os.path.exists(images) or not os.path.exists(labels):
        return None
    try:
        x = np.load(images, allow_pickle=False)
        y = np.load(labels, allow_pickle=False)
    except (OSError, ValueError, EOFError) as e:
        raise DataError("%s or %s: cannot read: %s" % (images, labels, e)) \
            from None
    if x.ndim == 3:
        x = x[:, None]
    elif x.ndim == 4 and x.shape[1] not in (1, 3, 4) and x.shape[3] in (1, 3, 4):
        x = x.transpose(0, 3, 1, 2)
    if x.ndim != 4:
        raise DataError("%s: images must be N x H x W or N x C x H x W, not %s"
                        % (images, "x".join(map(str, x.shape))))
    if y.ndim != 1 or y.dtype.kind not in "iu":
        raise DataError("%s: labels must be integers of shape [N]" % labels)
    _check_counts(len(x), len(y), images, labels)
    if x.dtype == np.uint8:
        x = x.astype(np.float32) / 255.0
    elif x.dtype.kind == "f":
        x = x.astype(np.float32)
    else:
        raise DataError("%s: images must be uint8 or floating point, not %s"
                        % (images, x.dtype))
    return np.ascontiguousarray(x), y.astype(np.int64), directory


def load(directory=FASHION_MNIST, split="test"):
    """The `split` ("train" or "test") of the data set in `directory`: IDX
    files, `images.npy`/`labels.npy` in `directory/<split>/`, or those two
    directly in `directory` (a folder that is itself one split)."""
    if not os.path.isdir(directory):
        raise DataError("%s: no such data folder" % directory)
    found = (_idx_split(directory, split)
             or _npy_split(os.path.join(directory, split))
             or _npy_split(directory))
    if found is None:
        raise DataError(
            "%s: no '%s' split: expected %s-images-idx3-ubyte[.gz] and "
            "%s-labels-idx1-ubyte[.gz], or images.npy and labels.npy (in "
            "%s/ or the folder itself)" % (
                directory, split, {"test": "t10k"}.get(split, split),
                {"test": "t10k"}.get(split, split), split))
    x, y, name = found
    if len(y) and (y.min() < 0):
        raise DataError("%s: negative label %d" % (name, y.min()))
    return Dataset(x, y, name, directory)


def write_samples(directory, images):
    """Writes each image as DIR/sampleNNNN.npy with a batch of one: the
    calibration folder layout escalate-compile --calib reads. Samples
    already there are replaced, so the folder holds exactly `images`."""
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.startswith("sample") and name.endswith(".npy"):
            os.unlink(os.path.join(directory, name))
    for i, image in enumerate(images):
        np.save(os.path.join(directory, "sample%04d.npy" % i), image[None])
