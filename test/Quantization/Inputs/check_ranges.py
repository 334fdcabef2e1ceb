"""Prints '<tensor> within bounds' when the table's threshold max(|min|, |max|)
lies in [lo, hi]; otherwise the range."""
import sys

path, lo, hi = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
for line in open(path):
    if line.startswith("#") or not line.strip():
        continue
    name, rmin, rmax = line.rsplit(maxsplit=2)
    t = max(abs(float(rmin)), abs(float(rmax)))
    print(f"{name} within bounds" if lo <= t <= hi else f"{name} {rmin} {rmax}")
