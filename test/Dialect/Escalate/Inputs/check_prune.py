"""Checks escalate-prune-coefficients reports (see prune-coefficients.mlir)."""
import json
import sys

import numpy as np

base = sys.argv[1]


def layer(tag):
    return json.load(open("%s.%s.json" % (base, tag)))["layers"][0]


half, norefit = layer("half"), layer("norefit")
print("half: sparsity", half["coefficient_sparsity"])
print("norefit: sparsity", norefit["coefficient_sparsity"])
print("refit error < no-refit error:",
      half["kernel_relative_error"] < norefit["kernel_relative_error"])

# The std criterion is over the layer's original coefficients, which the
# test file (argv[2]) holds as the second dense literal.
text = open(sys.argv[2]).read()
literal = text.split("dense<")[2].split(">")[0]
coefs = np.array(json.loads(literal)).ravel()
std = layer("std")
kept = round((1 - std["coefficient_sparsity"]) * coefs.size)
print("std: kept %d of %d, matches |c| >= std:" % (kept, coefs.size),
      kept == int((np.abs(coefs) >= coefs.std()).sum()))

budget = layer("budget")
print("budget: error <= 0.5:", budget["kernel_relative_error"] <= 0.5,
      "sparsity > 0:", budget["coefficient_sparsity"] > 0)
print("none: error", round(layer("none")["kernel_relative_error"], 6))
