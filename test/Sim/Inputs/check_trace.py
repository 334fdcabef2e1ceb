"""Summarises a Chrome trace from escalate-sim --trace: the process name,
the tracks in display order, the layer spans, and whether every unit event
lies inside a layer span.

check_trace.py TRACE.json
"""
import json
import sys

events = json.load(open(sys.argv[1]))["traceEvents"]
meta = [e for e in events if e["ph"] == "M"]
process = [e["args"]["name"] for e in meta if e["name"] == "process_name"]
names = {e["tid"]: e["args"]["name"] for e in meta
         if e["name"] == "thread_name"}
order = {e["tid"]: e["args"]["sort_index"] for e in meta
         if e["name"] == "thread_sort_index"}
layer_tid = [t for t, n in names.items() if n == "layers"][0]
spans = [e for e in events if e["ph"] == "X" and e["tid"] == layer_tid]
units = [e for e in events if e["ph"] == "X" and e["tid"] != layer_tid]
inside = all(any(s["ts"] <= u["ts"] and u["ts"] + u["dur"] <=
                 s["ts"] + s["dur"] + 1e-9 for s in spans) for u in units)
print("process:", process[0])
print("tracks:", ", ".join(names[t] for t in sorted(names, key=order.get)))
print("layer spans: %d (%s)" % (len(spans),
                                ", ".join(repr(s["name"]) for s in spans)))
print("unit events: %d, %s" % (len(units), "all inside a layer span"
                               if inside else "some outside every span"))
