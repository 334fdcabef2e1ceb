"""Checks an escalate-search --hw-space result:
check_cosearch.py BEST.json BUDGET_DB

Prints one line per property that holds and exits non-zero on the first
that does not.
"""
import json
import os
import sys

path = sys.argv[1]
budget = float(sys.argv[2])
r = json.load(open(path))
hs = r["hardware_search"]
chosen = hs["chosen"]
points = {pt["id"]: pt for pt in hs["points"]}
print("%d points measured of %d, %d invalid, %d over the area"
      % (hs["points_measured"], hs["space_points"], hs["points_invalid"],
         hs["points_over_area"]))
if chosen["area_mm2"] > hs["budget_area_mm2"] * (1 + 1e-12):
    sys.exit("the chosen point is over the area budget")
print("chosen within the area budget")
key = {"cycles": "cycles", "energy": "energy_pj"}[hs["objective"]]
for pt in points.values():
    if pt["status"] != "ok" or pt["area_mm2"] > hs["budget_area_mm2"]:
        continue
    if pt["measured"][key] < chosen["measured"][key]:
        sys.exit("%s is cheaper than the chosen point" % pt["id"])
    if pt["measured"]["sqnr_db"] < budget:
        sys.exit("%s misses the budget" % pt["id"])
print("no point within the area is cheaper than the chosen one")
if chosen["measured"] != r["search"]["measured"]:
    sys.exit("the search record is not the chosen point's")
print("the configuration is the chosen point's")
if hs["gain_over_reference"] < 1:
    sys.exit("the chosen point is worse than the reference")
print("at least as good as the reference")
# The front: by area, each cheaper than the last.
front = [points[i] for i in hs["pareto"]]
for a, b in zip(front, front[1:]):
    assert a["area_mm2"] <= b["area_mm2"], (a, b)
    assert a["measured"][key] > b["measured"][key], (a, b)
print("pareto front of %d points" % len(front))
hw = json.load(open(os.path.join(os.path.dirname(path),
                                 chosen["description"])))
print("description %s" % hw["name"])
