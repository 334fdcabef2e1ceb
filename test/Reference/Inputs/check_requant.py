"""Checks requant.mlir's output against the ISA's requant formula."""
import sys
import numpy as np

BIAS, MULT, SHIFT = [0, 3, -7, 100], [1, 1 << 30, 1431655765, 1], [0, 31, 32, 0]
ZP, LO, HI, NEG_MULT, NEG_SHIFT = -5, -100, 120, 13107, 15


def round_shift(v, s):  # ties toward +infinity
    return v if s == 0 else (v + (1 << (s - 1))) >> s


x = np.load(sys.argv[1]).reshape(4, 6).astype(np.int64)
got = np.load(sys.argv[2]).reshape(4, 6)
ok = 0
for c in range(4):
    for j in range(6):
        y = round_shift((int(x[c, j]) + BIAS[c]) * MULT[c], SHIFT[c])
        if y < 0:
            y = round_shift(y * NEG_MULT, NEG_SHIFT)
        y = min(max(y + ZP, LO), HI)
        want = y - ZP  # dequantized with scale 1
        if got[c, j] == want:
            ok += 1
        else:
            print(f"channel {c} x={x[c, j]}: got {got[c, j]}, want {want}")
print(f"{ok} of 24 elements match")
