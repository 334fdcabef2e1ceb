"""PENNI's decomposed convolution and unstructured pruning, as modules.

`DecomposedConv2d` holds a k x k convolution as M bases shared by the
layer (B: [M, k, k]) and coefficients per (output, input) pair
(C: [C_out, C_in, M]) under a pruning mask, so that
W[o, i] = sum_m C[o, i, m] B[m]. It trains through the composed kernel
(one ordinary convolution, the cheapest form on a CPU) and exports as the
two stages escalate-fold-predecomposed folds into one decomposed_conv: a
grouped convolution (groups = C_in) whose filters repeat the M bases for
every input channel, then a 1x1 convolution over the C_in * M maps with
weights C viewed as [C_out, C_in * M, 1, 1].

Bases start from the SVD of the layer's kernels viewed as
(C_out * C_in) x k^2 (no mean removed, as PENNI's code and
escalate-decompose-kernels do), coefficients from projecting the kernels
on them. The scale between a basis and its coefficients is free, so an L1
penalty could shrink coefficients by growing bases; `normalize()` keeps
every basis at unit norm and moves the scale into the coefficients.
"""

import torch
from torch import nn
import torch.nn.functional as F

__all__ = ["DecomposedConv2d", "decompose", "decomposable", "prune_masks",
           "coefficient_l1", "masked_layers", "apply_masks"]


class DecomposedConv2d(nn.Module):
    def __init__(self, conv, bases):
        super().__init__()
        w = conv.weight.detach()
        cout, cin, kh, kw = w.shape
        m = min(bases, kh * kw)
        flat = w.reshape(cout * cin, kh * kw).double()
        _, _, vt = torch.linalg.svd(flat, full_matrices=False)
        basis = vt[:m]
        self.basis = nn.Parameter(basis.reshape(m, kh, kw).float())
        self.coef = nn.Parameter((flat @ basis.T).reshape(cout, cin, m).float())
        self.register_buffer("mask", torch.ones(cout, cin, m))
        self.bias = None if conv.bias is None else nn.Parameter(
            conv.bias.detach().clone())
        self.stride, self.padding = conv.stride, conv.padding
        self.dilation = conv.dilation
        #: (stage-1 filters, stage-2 weights) while exporting as two stages:
        #: computed before tracing, so they export as initializers.
        self.two_stage = None

    @property
    def bases(self):
        return self.basis.shape[0]

    def weight(self):
        m, kh, kw = self.basis.shape
        c = self.coef * self.mask
        return torch.einsum("oim,mk->oik", c, self.basis.reshape(m, -1)) \
            .reshape(c.shape[0], c.shape[1], kh, kw)

    @torch.no_grad()
    def stages(self):
        """The two exported convolutions' weights: the M bases repeated for
        every input channel ([C_in * M, 1, k, k], filter i * M + m is basis
        m) and the coefficients as a 1x1 conv ([C_out, C_in * M, 1, 1])."""
        cout, cin, m = self.coef.shape
        return (self.basis.repeat(cin, 1, 1).unsqueeze(1).clone(),
                (self.coef * self.mask).reshape(cout, cin * m, 1, 1).clone())

    def forward(self, x):
        if self.two_stage is None:
            return F.conv2d(x, self.weight(), self.bias, self.stride,
                            self.padding, self.dilation)
        filters, coef = self.two_stage
        maps = F.conv2d(x, filters, None, self.stride, self.padding,
                        self.dilation, groups=self.coef.shape[1])
        return F.conv2d(maps, coef, self.bias)

    @torch.no_grad()
    def normalize(self):
        norms = self.basis.reshape(self.bases, -1).norm(dim=1).clamp_min(1e-12)
        self.basis.div_(norms[:, None, None])
        self.coef.mul_(norms)
        self.coef.mul_(self.mask)


def decomposable(conv):
    """PENNI decomposes k x k convolutions (k > 1) of group 1 with more than
    one input channel; 1x1, depthwise and grouped ones stay as they are,
    as escalate-decompose-kernels leaves them."""
    return (isinstance(conv, nn.Conv2d) and conv.groups == 1
            and conv.in_channels > 1 and conv.kernel_size[0] * conv.kernel_size[1] > 1)


def decompose(model, bases):
    """Replaces every decomposable Conv2d of `model` in place by a
    DecomposedConv2d with `bases` bases; returns how many."""
    count = 0
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if decomposable(child):
                setattr(parent, name, DecomposedConv2d(child, bases))
                count += 1
    return count


def _weight_mask(module):
    """Unstructured pruning of an ordinary layer: a mask buffer on the
    module, applied to the weight after every optimizer step."""
    if not hasattr(module, "weight_mask"):
        module.register_buffer("weight_mask", torch.ones_like(module.weight))
    return module.weight_mask


def masked_layers(model, include_linear=False):
    """(module, values, mask) for every prunable layer: the coefficients of
    decomposed convs, the weights of the other convs (and linears)."""
    out = []
    for module in model.modules():
        if isinstance(module, DecomposedConv2d):
            out.append((module, module.coef, module.mask))
        elif isinstance(module, nn.Conv2d) or (
                include_linear and isinstance(module, nn.Linear)):
            out.append((module, module.weight, _weight_mask(module)))
    return out


@torch.no_grad()
def prune_masks(layers, sparsity=None, std_threshold=None):
    """Zeroes each layer's smallest magnitudes: the fraction `sparsity` of
    its values, or (PENNI) those below `std_threshold` standard deviations
    of the layer. Masks only shrink. Returns (zeros, total)."""
    zeros = total = 0
    for _, values, mask in layers:
        v = (values * mask).abs().flatten()
        if std_threshold is not None:
            keep = v >= std_threshold * (values * mask).std()
        else:
            drop = int(round(sparsity * v.numel()))
            keep = torch.ones_like(v, dtype=torch.bool)
            if drop:
                keep[torch.argsort(v, stable=True)[:drop]] = False
        mask.mul_(keep.reshape(mask.shape).to(mask.dtype))
        values.mul_(mask)
        zeros += int((mask == 0).sum())
        total += mask.numel()
    return zeros, total


@torch.no_grad()
def apply_masks(layers):
    for module, values, mask in layers:
        if isinstance(module, DecomposedConv2d):
            module.normalize()
        else:
            values.mul_(mask)


def coefficient_l1(model):
    """Sum of |C| over every decomposed conv (PENNI's sparsity penalty)."""
    terms = [(m.coef * m.mask).abs().sum() for m in model.modules()
             if isinstance(m, DecomposedConv2d)]
    return torch.stack(terms).sum() if terms else torch.zeros(())
