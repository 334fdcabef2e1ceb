"""Checks a compiled program's simulation against the compiler's report.

check_program.py REPORT.json STATS.json [--tolerance T]

For every layer of escalate-compile's --report: the simulated DRAM traffic
equals what the emitter planned (input tiles with halos, constants,
outputs), which shows that no stage-1 map went to DRAM (the maps' bytes,
from the stream-buffer counters, are printed beside it); and the cost
model's cycle estimate is within T of the simulated cycles. The estimate
times a layer alone; in the simulation a layer's loads start under the
previous layer's tail and share the DRAM bus with its stores, so a layer
may wait up to --slack cycles (about one transfer's latency and bus time)
that its estimate does not see, plus, after a host op, the host's cycles
(the accelerator issues the layer's first loads while the host still
writes its input); a layer fails when it is off by more than
both the relative tolerance and that slack. (A layer that starts early,
beside its predecessor, also shares the bus for longer: ResNet-18's
shortcut convs and residual adds simulate up to 25% longer than their
isolated estimates, while the program as a whole gets shorter.) This is the compiler's
estimate against the simulator, the same timing rules applied twice; it is
no independent validation of the timing model.
"""
import argparse
import json
import sys

ap = argparse.ArgumentParser()
ap.add_argument("report")
ap.add_argument("stats")
ap.add_argument("--tolerance", type=float, default=0.3)
ap.add_argument("--slack", type=int, default=512)
args = ap.parse_args()

report = json.load(open(args.report))
stats = json.load(open(args.stats))
sim = {l["name"]: l for l in stats["layers"]}
bad = []
worst = 0.0
maps = 0
print("%-36s %10s %10s %7s %12s %12s" %
      ("layer", "estimated", "simulated", "ratio", "DRAM bytes", "map bytes"))
host_before = 0
for l in report["layers"]:
    s = sim.get(l["name"])
    if s is None:
        bad.append("layer %s is not in the simulation" % l["name"])
        continue
    slack = args.slack + host_before
    host_before = s["cycles"] if l.get("unit") == "host" else 0
    dram = s["dram_read_bytes"] + s["dram_write_bytes"]
    stream = s["buffers"]["stream"]["write_bytes"]
    maps += stream
    ratio = l["estimated_cycles"] / max(1, s["cycles"])
    if abs(l["estimated_cycles"] - s["cycles"]) > slack:
        worst = max(worst, abs(ratio - 1))
    print("%-36s %10d %10d %7.3f %12d %12d" %
          (l["name"][:36], l["estimated_cycles"], s["cycles"], ratio, dram,
           stream))
    if dram != l["estimated_dram_bytes"]:
        bad.append("%s: %d DRAM bytes simulated, %d planned" %
                   (l["name"], dram, l["estimated_dram_bytes"]))
    off = abs(l["estimated_cycles"] - s["cycles"])
    if abs(ratio - 1) > args.tolerance and off > slack:
        bad.append("%s: estimate %d vs %d simulated cycles" %
                   (l["name"], l["estimated_cycles"], s["cycles"]))
for b in bad:
    print("error:", b)
print("%d layers: DRAM traffic as planned, %d bytes of stage-1 maps stayed "
      "on chip; estimates within %.1f%% of simulated cycles (or the slack)" %
      (len(report["layers"]), maps, 100 * worst))
sys.exit(1 if bad else 0)
