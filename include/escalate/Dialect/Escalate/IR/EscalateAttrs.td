//===- EscalateAttrs.td - escalate attributes -------------*- tablegen -*-===//
#ifndef ESCALATE_ATTRS_TD
#define ESCALATE_ATTRS_TD

include "escalate/Dialect/Escalate/IR/EscalateDialect.td"
include "mlir/IR/EnumAttr.td"

def Escalate_PadModeConstant : I32EnumAttrCase<"constant", 0>;
def Escalate_PadModeReflect : I32EnumAttrCase<"reflect", 1>;
def Escalate_PadModeEdge : I32EnumAttrCase<"edge", 2>;
def Escalate_PadModeWrap : I32EnumAttrCase<"wrap", 3>;
def Escalate_PadMode : I32EnumAttr<"PadMode", "how Pad fills the border",
    [Escalate_PadModeConstant, Escalate_PadModeReflect, Escalate_PadModeEdge,
     Escalate_PadModeWrap]> {
  let cppNamespace = "::escalate";
  let genSpecializedAttr = 0;
}
def Escalate_PadModeAttr : EnumAttr<Escalate_Dialect, Escalate_PadMode, "pad_mode">;

def Escalate_SparseFormatDense : I32EnumAttrCase<"dense", 0>;
def Escalate_SparseFormatBitmap : I32EnumAttrCase<"bitmap", 1>;
def Escalate_SparseFormatDelta : I32EnumAttrCase<"delta", 2>;
def Escalate_SparseFormat : I32EnumAttr<"SparseFormat",
    "storage format of a sparse weight or coefficient matrix",
    [Escalate_SparseFormatDense, Escalate_SparseFormatBitmap,
     Escalate_SparseFormatDelta]> {
  let cppNamespace = "::escalate";
  let genSpecializedAttr = 0;
}
def Escalate_SparseFormatAttr
    : EnumAttr<Escalate_Dialect, Escalate_SparseFormat, "sparse_format">;

def Escalate_SparseEncodingAttr : AttrDef<Escalate_Dialect, "SparseEncoding"> {
  let mnemonic = "sparse";
  let summary = "How a weight matrix is stored for the engines that read it";
  let description = [{
    A weight or coefficient tensor viewed as `rows` (output channels) x
    `cols` (everything else, row-major) stored as a stream of entries:
    - `dense`: every element; no index data.
    - `bitmap`: one presence bit per element, then the nonzero values.
    - `delta`: per entry, the distance from the previous entry of its row
      (the first from column -1) in `index_bits` bits, storing distance - 1;
      gaps longer than 2^index_bits are bridged by explicit zero entries.
    For the sparse formats `row_ptr` (rows + 1) gives each row's first entry
    and `positions` each entry's column, padding entries included: the
    verifier checks them against the weights and the reports count entries
    and storage from them. The code generator does not read them; it
    encodes each tile's block from the weights with the format and index
    width given here (`isa::encodeCoefficients`, the same entry rule).
  }];
  let parameters = (ins
    "SparseFormat":$format,
    "unsigned":$indexBits,
    "int64_t":$rows,
    "int64_t":$cols,
    "::mlir::DenseI32ArrayAttr":$rowPtr,
    "::mlir::DenseI32ArrayAttr":$positions
  );
  let assemblyFormat = [{
    `<` $format `,` `index_bits` `=` $indexBits `,` `shape` `=` $rows `x` $cols
    `,` `row_ptr` `=` $rowPtr `,` `positions` `=` $positions `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Entries in the value stream (nonzeros plus padding zeros).
    int64_t getNumEntries() const;
    /// Storage in bits with `valueBits` per stored value, row pointers at
    /// 32 bits each for the sparse formats.
    int64_t getStorageBits(unsigned valueBits) const;
    /// Checks that the encoding stores exactly the nonzeros of `values`
    /// (rows x cols, row-major) at their positions.
    ::llvm::LogicalResult matches(::llvm::ArrayRef<float> values,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) const;
  }];
}

def Escalate_TileOrderSpatial : I32EnumAttrCase<"spatial_outer", 0>;
def Escalate_TileOrderChannel : I32EnumAttrCase<"channel_outer", 1>;
def Escalate_TileOrder : I32EnumAttr<"TileOrder",
    "which loop of a tiled layer is outermost",
    [Escalate_TileOrderSpatial, Escalate_TileOrderChannel]> {
  let cppNamespace = "::escalate";
  let genSpecializedAttr = 0;
}

def Escalate_TileAttr : AttrDef<Escalate_Dialect, "Tile"> {
  let mnemonic = "tile";
  let summary = "How one layer is cut into tiles for the accelerator";
  let description = [{
    Chosen by `escalate-tile` from the hardware description and read by
    `convert-escalate-to-escisa`. One instruction group works on `rows` x `cols`
    output pixels of `out_channels` channels, reading `in_channels` input
    channels per `conv` (more input channels accumulate in the same
    accumulators). `order` puts the spatial tiles (`spatial_outer`: the
    coefficients of an output-channel group are reloaded per tile unless
    they all stay resident) or the output-channel groups (`channel_outer`:
    the input tile is reloaded per group) outermost. With `double_buffer`
    the next tile loads into the other half of each buffer while the
    current one computes. `cycles` and `dram_bytes` are the cost model's
    estimate for the whole layer (docs/tiling.md).
  }];
  let parameters = (ins
    "int64_t":$rows,
    "int64_t":$cols,
    "int64_t":$in_channels,
    "int64_t":$out_channels,
    "TileOrder":$order,
    "bool":$double_buffer,
    "int64_t":$cycles,
    "int64_t":$dram_bytes
  );
  let assemblyFormat = "`<` struct(params) `>`";
}

def Escalate_DramAttr : AttrDef<Escalate_Dialect, "Dram"> {
  let mnemonic = "dram";
  let summary = "Where an activation lives in DRAM";
  let description = [{
    Set by `escalate-plan-dram` on the op producing a quantized activation
    (as `escalate.dram`) and read by `convert-escalate-to-escisa`. Image
    `n` of the tensor starts at byte `base + n * image_stride`; within an
    image the tensor is row-major and contiguous. `image_stride` exceeds
    the image's size when the tensor lives inside a channel concat's
    result with batch > 1. `channel_stride` (omitted when 0) is the bytes
    between channels of a tensor placed inside an interleave's result,
    which its producer writes with channel-strided stores.
  }];
  let parameters = (ins "uint64_t":$base, "uint64_t":$image_stride,
                    DefaultValuedParameter<"uint64_t", "0">:$channel_stride);
  let assemblyFormat = "`<` struct(params) `>`";
}

def Escalate_DramPlanAttr : AttrDef<Escalate_Dialect, "DramPlan"> {
  let mnemonic = "dram_plan";
  let summary = "The activation arena of a function";
  let description = [{
    Set by `escalate-plan-dram` on the function (as `escalate.dram_plan`):
    the arena at DRAM address 0 holding every activation takes
    `arena_bytes`; the same `buffers` tensors without address reuse would
    take `unshared_bytes`. Constants follow the arena.
  }];
  let parameters = (ins "uint64_t":$arena_bytes, "uint64_t":$unshared_bytes,
                        "uint64_t":$buffers);
  let assemblyFormat = "`<` struct(params) `>`";
}

#endif // ESCALATE_ATTRS_TD
