"""escisa programs for one conv layer, with an independent numpy reference.

`conv_layer` writes the program the ISA spec describes for a single-tile
conv + requant: load the padded input, bases, encoded coefficients and
requant parameters; `conv`; `requant`; store. The expected output is computed
here from the ISA semantics (docs/isa.md) with plain numpy, not with the
simulator's code, so a test comparing the two checks both.
"""

import numpy as np

DRAM_ALIGN = 64
ROW = 1024


def pack(values, bits):
    """Signed values packed LSB-first at `bits` (4, 8 or 16) per element."""
    v = np.asarray(values, dtype=np.int64).ravel()
    if bits == 8:
        return v.astype(np.int8).tobytes()
    if bits == 16:
        return v.astype("<i2").tobytes()
    u = (v & 0xF).astype(np.uint8)
    if len(u) % 2:
        u = np.append(u, 0)
    return (u[0::2] | (u[1::2] << 4)).astype(np.uint8).tobytes()


def pack_unsigned(values, bits):
    out = bytearray((len(values) * bits + 7) // 8)
    for i, v in enumerate(values):
        for b in range(bits):
            if (v >> b) & 1:
                pos = i * bits + b
                out[pos // 8] |= 1 << (pos % 8)
    return bytes(out)


def encode(matrix, fmt, bits, index_bits=0):
    """The coef-buffer layout of a rows x cols matrix (docs/isa.md)."""
    rows, cols = matrix.shape
    if fmt == "dense":
        return pack(matrix, bits)
    row_ptr, index, values = [0], [], []
    bitmap = bytearray()
    for r in range(rows):
        nz = np.flatnonzero(matrix[r])
        if fmt == "bitmap":
            row_bits = np.zeros(((cols + 7) // 8) * 8, dtype=np.uint8)
            row_bits[nz] = 1
            bitmap += np.packbits(row_bits, bitorder="little").tobytes()
            values += matrix[r, nz].tolist()
        else:
            prev, limit = -1, (1 << index_bits) - 1
            for c in nz:
                while c - prev - 1 > limit:  # padding entry holding 0
                    prev += limit + 1
                    index.append(limit)
                    values.append(0)
                index.append(c - prev - 1)
                values.append(int(matrix[r, c]))
                prev = c
        row_ptr.append(len(values))
    header = np.asarray(row_ptr, dtype="<u4").tobytes()
    idx = bytes(bitmap) if fmt == "bitmap" else pack_unsigned(index, index_bits)
    return header + idx + pack(values, bits)


def requantize(acc, bias, mult, shift, zp, lo, hi, neg_mult=1, neg_shift=0):
    """requant semantics, in Python integers (round half up)."""

    def rshift(v, s):
        return v if s == 0 else (v + (1 << (s - 1))) >> s

    out = np.empty(acc.shape, dtype=np.int64)
    for c in range(acc.shape[0]):
        for idx, a in np.ndenumerate(acc[c]):
            y = rshift((int(a) + int(bias[c])) * int(mult[c]), int(shift[c]))
            if y < 0:
                y = rshift(y * neg_mult, neg_shift)
            out[(c,) + idx] = min(max(y + zp, lo), hi)
    return out


def reference_conv(x, weights, stride, dilation, groups):
    """Integer conv of an already padded [C][H][W] input; weights [O][C/g][kh][kw]."""
    cin, h, w = x.shape
    cout, cpg, kh, kw = weights.shape
    oh = (h - dilation * (kh - 1) - 1) // stride + 1
    ow = (w - dilation * (kw - 1) - 1) // stride + 1
    out = np.zeros((cout, oh, ow), dtype=np.int64)
    opg = cout // groups
    for o in range(cout):
        g = o // opg
        for i in range(cpg):
            for a in range(kh):
                for b in range(kw):
                    patch = x[g * cpg + i,
                              a * dilation: a * dilation + stride * (oh - 1) + 1: stride,
                              b * dilation: b * dilation + stride * (ow - 1) + 1: stride]
                    out[o] += int(weights[o, i, a, b]) * patch.astype(np.int64)
    return out


def conv_layer(**kwargs):
    """Returns (mlir_text, input [1,C,H,W] int array, expected output array,
    MACs per conv instruction)."""
    layer = conv_layer_spec(**kwargs)
    return layer["text"], layer["x"], layer["y"], layer["macs"]


def conv_layer_spec(mode="decomposed", fmt="dense", cin=4, cout=6, h=7, w=5, k=3,
                    stride=1, pad=1, dilation=1, groups=1, bases=3, sparsity=0.0,
                    index_bits=4, act_bits=8, coef_bits=8, basis_bits=8, repeat=1,
                    seed=0, name="conv"):
    """The program of conv_layer with what an analytical model needs to time
    it: the coefficient matrix and every transfer's DRAM range and SRAM
    placement (a dict; see costmodel.py)."""
    rng = np.random.default_rng(seed)
    amax = (1 << (act_bits - 1)) - 1
    x = rng.integers(-amax - 1, amax + 1, size=(cin, h, w))
    cpg = cin // groups
    window = mode != "decomposed"
    m = k * k if window else bases
    cmax = (1 << (coef_bits - 1)) - 1
    coef = rng.integers(-cmax, cmax + 1, size=(cout, cpg * m))
    if sparsity:
        coef[rng.random(coef.shape) < sparsity] = 0
    if window:
        basis = np.eye(k * k, dtype=np.int64).reshape(k * k, k, k)
    else:
        bmax = (1 << (basis_bits - 1)) - 1
        basis = rng.integers(-bmax, bmax + 1, size=(m, k, k))
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    # Stage 1 per basis (maps saturate at 32 bits), stage 2 as a 1x1 conv.
    maps = np.stack([reference_conv(xp, np.broadcast_to(basis[j], (cin, 1, k, k)),
                                    stride, dilation, cin) for j in range(m)], axis=1)
    maps = np.clip(maps, -(1 << 31), (1 << 31) - 1).reshape(cin * m, *maps.shape[2:])
    acc = reference_conv(maps, coef.reshape(cout, cpg * m, 1, 1), 1, 1, groups)
    acc = np.clip(acc, -(1 << 31), (1 << 31) - 1)
    bias = rng.integers(-1000, 1000, size=cout)
    mult = rng.integers(1, 1 << 14, size=cout)
    shift = np.full(cout, 20 + coef_bits // 2)
    zp, lo, hi = 3, -(1 << (act_bits - 1)), (1 << (act_bits - 1)) - 1
    y = requantize(acc, bias, mult, shift, zp, lo, hi, neg_mult=13, neg_shift=4)

    ab = act_bits // 8
    hp, wp = h + 2 * pad, w + 2 * pad
    oh, ow = acc.shape[1:]
    segs, dram = [], 0

    def place(data):
        nonlocal dram
        addr = dram
        dram = (dram + len(data) + DRAM_ALIGN - 1) // DRAM_ALIGN * DRAM_ALIGN
        return addr

    x_addr = place(b"\0" * (x.size * ab))
    y_addr = place(b"\0" * (y.size * ab))
    coef_bytes = encode(coef, fmt, coef_bits, index_bits if fmt == "delta" else 0)
    params = np.stack([bias, mult, shift], axis=1).astype("<i4").tobytes()
    basis_bytes = b"" if window else pack(basis, basis_bits)
    for seg_name, data in (("basis", basis_bytes), ("coef", coef_bytes), ("params", params)):
        if len(data) > ROW:  # DMA rows are at most 4095 elements
            data += b"\0" * (-len(data) % ROW)
        if data:
            segs.append((seg_name, place(data), data))
    addr = {n: a for n, a, _ in segs}
    params_at = (len(coef_bytes) + 15) // 16 * 16

    def seg_text(seg_name, at, data):
        vals = ", ".join(str(v) for v in np.frombuffer(data, dtype=np.int8))
        return f'  escisa.segment "{seg_name}" at {at} = dense<[{vals}]> : tensor<{len(data)}xi8>'

    def load(buf, sram, at, n, padv=0, shape=None, p=0, eb=1):
        c, hh, ww = shape or ((1, 1, n) if n <= ROW else (1, -(-n // ROW), ROW))
        return (f"  escisa.load buf = {buf}, sram = {sram}, dram = {at}, c = {c}, h = {hh}, "
                f"w = {ww}, stride_c = {hh * ww * eb}, stride_h = {ww * eb}, pad_top = {p}, "
                f"pad_bottom = {p}, pad_left = {p}, pad_right = {p}, pad_value = {padv}, "
                f"elem_bytes = {eb}")

    loc = f' loc("{name}")'
    lines = [f"escisa.program attributes {{dram_bytes = {dram}}} {{"]
    lines.append(f'  escisa.tensor input "x" <dram = {x_addr}, shape = [1, {cin}, {h}, {w}], '
                 f"bits = {act_bits}, scale = 1.0, zero_point = 0>")
    lines.append(f'  escisa.tensor output "y" <dram = {y_addr}, shape = [1, {cout}, {oh}, {ow}], '
                 f"bits = {act_bits}, scale = 1.0, zero_point = {zp}>")
    lines += [seg_text(*s) for s in segs]
    lines.append(load("act", 0, x_addr, 0, shape=(cin, h, w), p=pad, eb=ab) + loc)
    if basis_bytes:
        lines.append(load("basis", 0, addr["basis"], len(basis_bytes)) + loc)
    lines.append(load("coef", 0, addr["coef"], len(coef_bytes)) + loc)
    lines.append(load("coef", params_at, addr["params"], len(params)) + loc)
    assert params_at + len(params) <= 262144, "coefficients and parameters exceed the coef buffer"
    out_act = (cin * hp * wp * ab + 63) // 64 * 64
    for _ in range(repeat):
        lines.append(
            f"  escisa.conv mode = {'window' if window else 'basis'}, format = {fmt}, "
            f"index_bits = {index_bits if fmt == 'delta' else 0}, input = 0, in_c = {cin}, "
            f"in_h = {hp}, in_w = {wp}, kernel_h = {k}, kernel_w = {k}, stride_h = {stride}, "
            f"stride_w = {stride}, dilation_h = {dilation}, dilation_w = {dilation}, "
            f"out_c = {cout}, groups = {groups}, bases = {m}, basis = 0, coef = 0, "
            f"act_bits = {act_bits}, basis_bits = {0 if window else basis_bits}, "
            f"coef_bits = {coef_bits}, acc = 0, accumulate = overwrite" + loc)
    lines.append(
        f"  escisa.requant src = 0, dst = {out_act}, c = {cout}, h = {oh}, w = {ow}, "
        f"params = {params_at}, out_bits = {act_bits}, zero_point = {zp}, clamp_lo = {lo}, "
        f"clamp_hi = {hi}, neg_mult = 13, neg_shift = 4" + loc)
    lines.append(
        f"  escisa.store buf = act, sram = {out_act}, dram = {y_addr}, c = {cout}, h = {oh}, "
        f"w = {ow}, stride_c = {oh * ow * ab}, stride_h = {ow * ab}, elem_bytes = {ab}" + loc)
    lines.append("  escisa.halt")
    lines.append("}")
    macs = cout * cpg * k * k * oh * ow
    def moved(n):  # a blob load moves whole rows of ROW bytes
        return n if n <= ROW else -(-n // ROW) * ROW

    loads = [("act", 0, x_addr, x.size * ab, cin * hp * wp * ab)]
    if basis_bytes:
        loads.append(("basis", 0, addr["basis"], moved(len(basis_bytes)), moved(len(basis_bytes))))
    loads.append(("coef", 0, addr["coef"], moved(len(coef_bytes)), moved(len(coef_bytes))))
    loads.append(("coef", params_at, addr["params"], moved(len(params)), moved(len(params))))
    return {"text": "\n".join(lines) + "\n", "x": x[None], "y": y[None], "macs": macs,
            "mode": mode, "fmt": fmt, "index_bits": index_bits if fmt == "delta" else 0,
            "coef": coef, "cin": cin, "cout": cout, "groups": groups, "k": k, "bases": m,
            "out_hw": (oh, ow), "act_bytes": ab, "repeat": repeat,
            "in_act_bytes": cin * hp * wp * ab, "coef_bytes": len(coef_bytes),
            "params": (params_at, len(params)), "out_act": out_act,
            # (buffer, sram address, dram address, bytes moved, bytes written)
            "loads": loads, "store": ("act", out_act, y_addr, y.size * ab)}
