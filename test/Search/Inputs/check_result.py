"""Checks an escalate-search result: check_result.py BEST.json BUDGET_DB

Prints one line per property that holds and exits non-zero on the first
that does not.
"""
import json
import sys

r = json.load(open(sys.argv[1]))
budget = float(sys.argv[2])
s = r["search"]
print("layers " + " ".join(sorted(r["layers"])))
for name, layer in r["layers"].items():
    assert set(layer) == {"bases", "sparsity", "basis_bits", "coef_bits"}, layer
if s["measured"]["sqnr_db"] < budget:
    sys.exit("measured %.2f dB misses %.2f dB" % (s["measured"]["sqnr_db"],
                                                  budget))
print("measured SQNR meets the budget")
key = "energy_pj" if s["objective"] == "energy" else "cycles"
if s["measured"][key] > s["baseline"][key] * (1 + 1e-9):
    sys.exit("chosen costs more than the baseline")
print("simulated cost at most the baseline's")
print("pareto front of %d points" % len(s["pareto"]))
