//===- Passes.td - escalate dialect passes ----------------*- tablegen -*-===//
#ifndef ESCALATE_TRANSFORMS_PASSES_TD
#define ESCALATE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def LayerStats : Pass<"escalate-layer-stats", "mlir::ModuleOp"> {
  let summary = "Report parameters and MACs of every layer";
  let description = [{
    Walks every compute op (conv, gemm, matmul, pooling, batch_norm) and
    reports its ONNX name, output shape, parameter count (elements of its
    constant weight and bias operands) and multiply-accumulates for one
    inference, with totals. The table goes to stderr so the IR on stdout
    stays intact; `json=FILE` also writes it as JSON. The IR is unchanged.
  }];
  let options = [
    Option<"jsonFile", "json", "std::string", /*default=*/"\"\"",
           "Also write the statistics as JSON to this file">,
  ];
}

def LayerConfig : Pass<"escalate-layer-config", "mlir::ModuleOp"> {
  let summary = "Attach per-layer settings from a JSON configuration";
  let description = [{
    Reads `{"layers": {"<layer>": {<setting>: value, ...}, ...}}` (other
    top-level keys, such as escalate-search's estimates, are ignored) and
    attaches each layer's settings to its convolution or Gemm, found by
    the layer's name (its ONNX node). Settings, which override the passes'
    options for that layer only:
    - `bases` (integer >= 1) or `energy` (in (0, 1]):
      escalate-decompose-kernels;
    - `sparsity` (in [0, 1]): escalate-prune-coefficients (instead of its
      criterion) and escalate-prune-weights;
    - `weight_bits`, `basis_bits`, `coef_bits`: escalate-quantize, which
      checks them against the hardware.
    A layer name that matches no convolution or Gemm, an unknown setting or
    a value out of range is an error naming it.
  }];
  let options = [
    Option<"configFile", "config", "std::string", /*default=*/"\"\"",
           "JSON file of per-layer settings">,
  ];
}

def DecomposeKernels : Pass<"escalate-decompose-kernels", "mlir::ModuleOp"> {
  let summary = "Rewrite k x k convolutions as layer-shared bases and coefficients";
  let description = [{
    PENNI kernel decomposition. For every eligible `escalate.conv` (constant
    weights, a kernel of more than one element, more than one input channel
    per group) the weights, viewed as (C_out * C_in/group) x k^2 rows, are
    written as coefficients x M basis kernels shared by the whole layer. The
    bases are the top eigenvectors of the k^2 x k^2 Gram matrix (Eigen), the
    coefficients their least-squares fit. M is `bases`, or with `bases=0`
    the fewest bases that capture `energy` of the kernel energy, chosen per
    layer. The result is an `escalate.decomposed_conv` whose `bases` operand
    records M. Each carries `escalate.kernel_energy` (||W||^2) and
    `escalate.residual_energy` (||W - C B||^2) so later passes and the
    report can state the error against the original kernels.
  }];
  let options = [
    Option<"numBases", "bases", "int64_t", /*default=*/"0",
           "Bases per layer (0: choose by energy)">,
    Option<"energy", "energy", "double", /*default=*/"0.99",
           "Fraction of kernel energy the bases must capture when bases=0">,
  ];
}

def FoldPredecomposed : Pass<"escalate-fold-predecomposed", "mlir::ModuleOp"> {
  let summary = "Recognise PENNI models decomposed and fine-tuned elsewhere";
  let description = [{
    A model decomposed and retrained in a framework exports each layer as
    a grouped convolution with group = C_in whose C_in * M filters repeat the
    same M basis kernels for every input channel, feeding a 1 x 1
    convolution over those C_in * M maps. This pass folds such a pair into
    one `escalate.decomposed_conv` with the model's own bases and
    coefficients, without re-decomposing (a bias on the grouped convolution
    folds into the coefficient stage's bias). Pairs whose filters do not
    repeat exactly, or whose intermediate maps have other users, are left
    alone. Folded layers are marked `escalate.predecomposed`.
  }];
}

def PruneCoefficients : Pass<"escalate-prune-coefficients", "mlir::ModuleOp"> {
  let summary = "Zero small coefficients of decomposed convolutions";
  let description = [{
    Prunes the coefficients of every `escalate.decomposed_conv` by exactly one
    criterion, per layer:
    - `sparsity=S`: zero the fraction S of coefficients smallest in magnitude;
    - `std-threshold=T`: zero |c| < T * std(c) over the layer (PENNI);
    - `error-budget=E`: zero as many of the smallest coefficients as keeps
      the relative kernel error against the original weights at or below E
      (binary search over the count, refit included).
    With `refit` (default) each (o, i) pair's surviving coefficients are then
    re-solved by least squares against its kernel, which never increases the
    error over pruning alone. The error added is accumulated into
    `escalate.residual_energy` for the report. Bases left without any
    nonzero coefficient are then dropped (M shrinks; one basis always
    stays). Any `escalate.encoding` is removed, since it no longer
    describes the coefficients: encode after pruning.

    With `calibration=DIR` the refit is data-aware: for each output channel
    the surviving coefficients minimise the error of the layer's output on
    the recorded input activations (the basis-stage maps times the
    coefficients against the original output), with a small ridge toward
    the kernel fit so that few samples cannot pull them far (solved
    directly, through the Woodbury identity when there are fewer samples
    than unknowns). Which coefficients survive is still decided by the
    criterion above.
  }];
  let options = [
    Option<"sparsity", "sparsity", "double", /*default=*/"-1",
           "Fraction of coefficients to zero per layer, in [0, 1]">,
    Option<"stdThreshold", "std-threshold", "double", /*default=*/"-1",
           "Zero |c| below this many standard deviations of the layer">,
    Option<"errorBudget", "error-budget", "double", /*default=*/"-1",
           "Largest relative kernel error to accept per layer">,
    Option<"refit", "refit", "bool", /*default=*/"true",
           "Re-solve surviving coefficients by least squares">,
    Option<"calibration", "calibration", "std::string", /*default=*/"\"\"",
           "Data-aware refit: fit survivors to each layer's recorded output "
           "on these activations (escalate-run --dump-dir of the original "
           "model, or one such folder per sample as "
           "escalate-record-activations writes) instead of to its kernels">,
    Option<"keepPredecomposed", "keep-predecomposed", "bool",
           /*default=*/"false",
           "Leave layers marked escalate.predecomposed as trained unless "
           "their layer configuration sets a sparsity">,
  ];
}

def ShrinkChannels : Pass<"escalate-shrink-channels", "mlir::ModuleOp"> {
  let summary = "Remove channels that pruning left dead or constant zero";
  let description = [{
    PENNI's shrinking across the graph. After pruning, a channel of an
    activation can be:
    - dead: every convolution that reads it has all-zero weights (or
      coefficients) for it, counting only output channels that themselves
      survive; or
    - zero: every kernel producing it is zero and so is its bias (or a ReLU
      or Clip clamps such a constant to zero), and the convolutions and
      flatten + Gemm heads that read it gain nothing from it.

    Such channels are removed everywhere the value flows: from the producing
    convolution's output channels (weights or coefficients, and bias), from
    channel-wise ops (activations, batch norm with its parameters, pooling,
    and residual Add/Sub/Mul/Div of same-shaped operands, whose operands
    must all drop the same channels), from channel concat results at their
    offset, and from the consuming convolutions' input channels, or the rows
    of a Gemm/MatMul weight behind a flatten. Decomposed convolutions then
    drop bases no remaining coefficient uses. Graph outputs, grouped
    convolutions and uses the analysis does not know keep every channel;
    one channel of every value always stays. The analysis is the greatest
    fixed point of these constraints; removed channels only ever
    contributed zeros, so outputs are unchanged.

    Each changed layer records its original `[out, in]` channels in
    `escalate.original_channels`, so the decomposition report still states
    savings against the dense layer.
  }];
}

def EncodeSparsity : Pass<"escalate-encode-sparsity", "mlir::ModuleOp"> {
  let summary = "Choose and record the storage format of weights";
  let description = [{
    Attaches `escalate.encoding` (an `#escalate.sparse` attribute) to every
    `escalate.decomposed_conv` (its coefficients) and `escalate.conv` (its
    weights: the dense and unstructured-pruned baselines) with constant
    operands. With `format=auto` each layer gets the smallest of dense,
    bitmap and delta with 2, 4, 8 or 16 index bits, sized exactly for
    `value-bits` per stored value; otherwise the named format (and, for
    delta, `index-bits`, or the best width when 0).
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"auto\"",
           "auto, dense, bitmap or delta">,
    Option<"indexBits", "index-bits", "unsigned", /*default=*/"0",
           "Delta index width (2, 4, 8, 16; 0 picks the smallest)">,
    Option<"valueBits", "value-bits", "unsigned", /*default=*/"32",
           "Bits per stored value when sizing formats">,
  ];
}

def RecordActivations
    : Pass<"escalate-record-activations", "mlir::ModuleOp"> {
  let summary = "Record every convolution's input and output on calibration samples";
  let description = [{
    Runs the float model on each sample of `calib` (the layouts
    escalate-quantize reads; at most `samples` of them, 0 for all) with the
    reference interpreter and writes, for every convolution, its input and
    output activation to `out`/sample<NNNN>/ under the names `escalate-run
    --dump-dir` uses. Run before decomposition, it gives
    escalate-prune-coefficients' data-aware refit (`calibration=out`) the
    original model's layer inputs and outputs on any number of samples, as
    `escalate-compile --refit` does. The IR is unchanged.
  }];
  let options = [
    Option<"calibDir", "calib", "std::string", /*default=*/"\"\"",
           "Calibration samples">,
    Option<"sampleLimit", "samples", "unsigned", /*default=*/"0",
           "Use at most this many samples (0: all)">,
    Option<"outDir", "out", "std::string", /*default=*/"\"\"",
           "Folder to write the recordings into">,
  ];
}

def DecompositionReport
    : Pass<"escalate-decomposition-report", "mlir::ModuleOp"> {
  let summary = "Report what decomposition and pruning did to each layer";
  let description = [{
    For every `escalate.decomposed_conv`: the number of bases M, coefficient
    sparsity, parameters and MACs of the dense convolution it replaced and of
    its decomposed form, and the relative kernel reconstruction error
    ||W - C B||_F / ||W||_F against the original weights (from the energies
    the decomposition recorded). With `calibration=DIR` (activations dumped
    by `escalate-run --dump-dir` from the original model), it also evaluates
    each decomposed layer on its recorded input and reports the output SQNR
    against the original layer's recorded output, in dB. A table goes to
    stderr; `json=FILE` writes the same as JSON. The IR is unchanged.
  }];
  let options = [
    Option<"jsonFile", "json", "std::string", /*default=*/"\"\"",
           "Also write the report as JSON to this file">,
    Option<"calibration", "calibration", "std::string", /*default=*/"\"\"",
           "Activations of the original model from `escalate-run "
           "--dump-dir`: each layer is evaluated on its recorded input and "
           "its output SQNR against the recorded output is reported">,
  ];
}

def Quantize : Pass<"escalate-quantize", "mlir::ModuleOp"> {
  let summary = "Hybrid integer quantization with calibration";
  let description = [{
    Rewrites `@main` into the accelerator's integer arithmetic. Activation
    ranges come from calibration: the float model runs on the samples in
    `calib-dir` (or, without them, on synthetic N(0, 1) inputs, with a loud
    warning) and each tensor's range is chosen by `calib-method`; or the
    ranges are read from `calib-table`. `write-calib-table` saves them.

    Each part of a weight gets its own width, by how often it is reused
    (ESCALATE's hybrid quantization): `basis-bits` for the bases of
    decomposed convolutions, `coef-bits` for their coefficients,
    `weight-bits` for layers that stay dense (1 x 1, depthwise, fully
    connected, and every conv of the dense and pruned baselines), and
    `act-bits` for activations. Weights are symmetric (zero stays zero, which
    sparsity needs), per output channel or per tensor; bases are scaled per
    basis and the scale folded into the coefficients. Activations are
    symmetric or asymmetric per tensor.

    Conv, decomposed conv, Gemm and MatMul with constant weights become
    `qconv`/`qdecomposed_conv` + `requant`, with bias, zero-point
    correction and a following ReLU, Clip or LeakyReLU fused into the
    integer multiplier, shift and clamp. Add and Mul of two activations
    become `qadd`/`qmul` (a following ReLU or Clip fused), pooling `qpool`,
    Sigmoid/HardSigmoid/HardSwish (and unfused activations) an 8-bit
    `qlut`, Softmax `qsoftmax` (the host), and Reshape/Concat move quantized
    values (pooling, reshape and concat share their operands' scale). What
    is left stays float between `dequantize` and `quantize`. The
    accumulator and stage-1 map widths are the hardware's (`hw`), whose
    supported widths the options are checked against.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let options = [
    Option<"actBits", "act-bits", "unsigned", /*default=*/"8",
           "Activation width">,
    Option<"weightBits", "weight-bits", "unsigned", /*default=*/"8",
           "Weight width of layers that stay dense">,
    Option<"basisBits", "basis-bits", "unsigned", /*default=*/"8",
           "Basis width of decomposed convolutions">,
    Option<"coefBits", "coef-bits", "unsigned", /*default=*/"8",
           "Coefficient width of decomposed convolutions">,
    Option<"perChannel", "per-channel", "bool", /*default=*/"true",
           "One weight scale per output channel (else per tensor)">,
    Option<"symmetric", "symmetric", "bool", /*default=*/"false",
           "Symmetric activations (zero point 0)">,
    Option<"calibDir", "calib-dir", "std::string", /*default=*/"\"\"",
           "Calibration samples: .npy/.pb files, or one sub-directory of "
           "input_<k> files per sample">,
    Option<"calibMethod", "calib-method", "std::string",
           /*default=*/"\"minmax\"", "minmax, percentile or kl">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Percentile of |x| kept by calib-method=percentile">,
    Option<"calibSamples", "calib-samples", "unsigned", /*default=*/"0",
           "Use at most this many samples (0: all; synthetic: 8)">,
    Option<"calibTable", "calib-table", "std::string", /*default=*/"\"\"",
           "Read activation ranges from this table instead of calibrating">,
    Option<"writeCalibTable", "write-calib-table", "std::string",
           /*default=*/"\"\"", "Write the activation ranges to this table">,
    Option<"hwFile", "hw", "std::string", /*default=*/"\"\"",
           "Hardware description (default: the built-in one)">,
  ];
}

def PruneWeights : Pass<"escalate-prune-weights", "mlir::ModuleOp"> {
  let summary = "Unstructured magnitude pruning of conv weights (pruned baseline)";
  let description = [{
    The SparTen-like baseline ESCALATE compares against: zero the fraction
    `sparsity` of each `escalate.conv`'s weights smallest in magnitude, per
    layer, leaving the layer dense in shape. Convolutions with fewer than
    `min-weights` weights (the first layer, small heads) are left dense, as
    pruning them costs accuracy for no saving. Encode afterwards
    (`escalate-encode-sparsity`) so the engines skip the zeros.
  }];
  let options = [
    Option<"sparsity", "sparsity", "double", /*default=*/"0.8",
           "Fraction of each layer's weights to zero, in [0, 1)">,
    Option<"minWeights", "min-weights", "int64_t", /*default=*/"4096",
           "Leave convolutions with fewer weights than this dense">,
  ];
}

def FuseEpilogues : Pass<"escalate-fuse-epilogues", "mlir::func::FuncOp"> {
  let summary = "Run residual adds and pools in the post-processing step of a conv";
  let description = [{
    Marks each `qconv` or `qdecomposed_conv` whose requant's result is read
    only by an op the conv's post-processing step can run with the unit
    attribute `escalate.epilogue`:
    - a `qadd` or `qmul` of the same shape and width (a residual add, no
      broadcast): each output tile is requantized, combined with the other
      operand's tile (loaded into the output slot while the tile's convs
      run) by one `eltwise`, and stored;
    - a `qpool` without padding whose windows never cross an output tile:
      per axis, the kernel equals the stride (at most 15) and divides the
      map, or one window covers the whole axis (a global pool): each output
      tile is requantized, pooled by one `pool`, and its pooled tile stored.
    The conv's own output never goes to DRAM, and the op is no longer a
    layer of its own (no tile, no loads, no stores).

    The fused layer runs where the conv stands, so an add's other operand
    must be defined earlier in the block; of a ResNet downsampling block's
    two branch convs only the later one can take the add (the earlier
    one's output is then already in DRAM). `escalate-tile`
    drops the epilogue of a conv that no tiling fits with it (a global pool
    needs the whole map in one tile) and tiles the op on its own.
    `escalate-compile --fuse-epilogues=false` leaves every op a layer of its
    own.
  }];
}

def Tile : Pass<"escalate-tile", "mlir::ModuleOp"> {
  let summary = "Choose each accelerator layer's tiling from the hardware";
  let description = [{
    Attaches an `#escalate.tile` to every quantized layer the accelerator
    runs (`qconv` and `qdecomposed_conv` with their `requant`, `qpool`,
    `qadd`, `qmul`, `qlut`). For each layer it enumerates output-channel
    groups, input-channel groups, tile widths, the largest tile height that
    fits, both loop orders and single or double buffering; a candidate is
    legal when its input, output, accumulator, coefficient-block, parameter,
    basis and two-channel stream footprints fit the buffer regions
    (docs/tiling.md) and the ISA's field widths. Legal candidates are costed
    by building the layer's real instruction stream and list-scheduling it
    with the simulator's per-instruction durations; the fewest cycles win,
    then the least DRAM traffic. `hw` names the hardware description.

    Channel concats cost nothing because their operands are stored inside
    the result. First, every concat operand that cannot be (a graph input,
    an operand repeated in one concat, or a tensor another concat already
    holds, unless that concat's whole operand list recurs in order, as in
    DenseNet) gets a copy of its own: a 1 x 1 max pool named
    `<concat>/copy<operand>`, tiled like any layer.
  }];
  let options = [
    Option<"hwFile", "hw", "std::string", /*default=*/"\"\"",
           "Hardware description (default: the built-in one)">,
  ];
}

def PlanDram : Pass<"escalate-plan-dram", "mlir::func::FuncOp"> {
  let summary = "Give every quantized activation its place in DRAM";
  let description = [{
    Activations get DRAM by liveness: each tensor lives from its producer
    to its last reader (graph inputs from the start, graph outputs to the
    end; a conv and its requant count as one layer), and tensors whose
    lifetimes do not overlap share addresses (greedy, largest first, 64-byte
    aligned). Reshapes alias their operand; a channel concat places its
    operands inside its result, so it costs nothing at run time (run
    `escalate-tile` first: it copies the operands that cannot be placed).

    The producer of each quantized activation gets `escalate.dram =
    #escalate.dram<base, image_stride>`; the function gets
    `escalate.dram_plan = #escalate.dram_plan<arena_bytes, unshared_bytes,
    buffers>`. `convert-escalate-to-escisa` reads both.
  }];
}

#endif // ESCALATE_TRANSFORMS_PASSES_TD
