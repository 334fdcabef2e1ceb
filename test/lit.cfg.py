# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "ESCALATE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".onnxtxt"]
config.excludes = ["Inputs", "corpus", "lit.cfg.py", "lit.site.cfg.py", "interpret.test.mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.escalate_obj_root, "test")

llvm_config.use_default_substitutions()
# Tools built with AddressSanitizer (scripts/test.sh --sanitize): the Python
# extension, instrumented too, cannot load into Debian's uninstrumented
# interpreter, so the tests that import it are unsupported there.
if "Address" in config.llvm_use_sanitizer:
    config.available_features.add("asan")
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["escalate-compare", "escalate-compile", "escalate-opt", "escalate-run", "escalate-search", "escalate-sim",
     "escalate-translate"],
    [config.escalate_tools_dir, config.llvm_tools_dir],
)
# Debian's onnx and numpy are visible only to /usr/bin/python3.
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(
    ("%models", "env PYTHONPATH=%s /usr/bin/python3 -m escalate.models"
     % os.path.join(config.escalate_src_root, "python")))
config.substitutions.append(("%onnx_node_tests", config.onnx_node_tests))
config.substitutions.append(("%shared", os.path.join(config.escalate_src_root, "..", "shared")))
config.substitutions.append(("%escalate_src", config.escalate_src_root))
config.substitutions.append(("%escalate_build", config.escalate_obj_root))
config.substitutions.append(
    ("%escalate_python", os.path.join(config.escalate_obj_root, "python")))
config.substitutions.append(("%llvm_include", "/usr/lib/llvm-22/include"))
llvm_config.add_tool_substitutions(["mlir-tblgen"], [config.llvm_tools_dir])
config.substitutions.append(
    ("%ort_run", os.path.join(config.escalate_src_root, "scripts", "ort", "run.js")))
config.substitutions.append(("%escalate_bin", config.escalate_tools_dir))
