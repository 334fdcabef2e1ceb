//===- EscalateAttrs.cpp - sparse weight encodings ------------------------===//
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Hardware/Encode.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace escalate;

namespace {
constexpr unsigned kRowPtrBits = 32;

/// Entries a row needs in delta format (the encoder's count).
int64_t deltaEntries(ArrayRef<float> row, unsigned bits) {
  int64_t entries = 0;
  isa::forEachDeltaEntry(row, bits,
                         [&](int64_t, int64_t, float) { ++entries; });
  return entries;
}
} // namespace

LogicalResult
SparseEncodingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                           SparseFormat format, unsigned indexBits,
                           int64_t rows, int64_t cols, DenseI32ArrayAttr rowPtr,
                           DenseI32ArrayAttr positions) {
  if (!checkedProduct({rows, cols}))
    return emitError() << "sparse encoding shape must be non-negative and "
                          "its element count must fit in 64 bits";
  ArrayRef<int32_t> ptr = rowPtr.asArrayRef(), pos = positions.asArrayRef();
  if (format == SparseFormat::dense) {
    if (indexBits || !ptr.empty() || !pos.empty())
      return emitError() << "dense encoding takes no index data";
    return success();
  }
  if (format == SparseFormat::delta
          ? !llvm::is_contained(isa::conv::kDeltaIndexBits, indexBits)
          : indexBits != 0)
    return emitError() << "index_bits " << indexBits << " is invalid for "
                       << stringifySparseFormat(format)
                       << " (delta takes 2, 4, 8 or 16; bitmap 0)";
  if (int64_t(ptr.size()) != rows + 1 || ptr.front() != 0 ||
      ptr.back() != int64_t(pos.size()))
    return emitError() << "row_ptr must have rows + 1 entries from 0 to the "
                          "number of positions";
  int64_t reach = int64_t(1) << indexBits;
  for (int64_t r = 0; r < rows; ++r) {
    if (ptr[r] > ptr[r + 1])
      return emitError() << "row_ptr decreases at row " << r;
    int64_t prev = -1;
    for (int32_t i = ptr[r]; i < ptr[r + 1]; ++i) {
      if (pos[i] <= prev || pos[i] >= cols)
        return emitError() << "row " << r << " position " << pos[i]
                           << " is out of order or outside " << cols
                           << " columns";
      if (format == SparseFormat::delta && pos[i] - prev > reach)
        return emitError() << "row " << r << " gap " << pos[i] - prev
                           << " exceeds what " << indexBits
                           << " index bits reach";
      prev = pos[i];
    }
  }
  return success();
}

int64_t SparseEncodingAttr::getNumEntries() const {
  return getFormat() == SparseFormat::dense ? getRows() * getCols()
                                            : getPositions().size();
}

int64_t SparseEncodingAttr::getStorageBits(unsigned valueBits) const {
  int64_t values = getNumEntries() * valueBits;
  switch (getFormat()) {
  case SparseFormat::dense:
    return values;
  case SparseFormat::bitmap:
    return getRows() * getCols() + values + (getRows() + 1) * kRowPtrBits;
  case SparseFormat::delta:
    return values + getNumEntries() * getIndexBits() +
           (getRows() + 1) * kRowPtrBits;
  }
  return values;
}

LogicalResult SparseEncodingAttr::matches(
    ArrayRef<float> values,
    function_ref<InFlightDiagnostic()> emitError) const {
  int64_t rows = getRows(), cols = getCols();
  if (checkedProduct({rows, cols}) != int64_t(values.size()))
    return emitError() << "encoding shape " << rows << "x" << cols
                       << " does not cover " << values.size() << " values";
  if (getFormat() == SparseFormat::dense)
    return success();
  ArrayRef<int32_t> ptr = getRowPtr().asArrayRef(),
                    pos = getPositions().asArrayRef();
  int64_t reach = int64_t(1) << getIndexBits();
  for (int64_t r = 0; r < rows; ++r) {
    int32_t next = ptr[r];
    int64_t prev = -1;
    for (int64_t c = 0; c < cols; ++c) {
      bool listed = next < ptr[r + 1] && pos[next] == c;
      float v = values[r * cols + c];
      if (v != 0.0f && !listed)
        return emitError() << "nonzero at row " << r << " column " << c
                           << " is missing from the encoding";
      // Zero entries are only the padding a delta gap needs.
      if (listed && v == 0.0f &&
          (getFormat() == SparseFormat::bitmap || c != prev + reach))
        return emitError() << "row " << r << " column " << c
                           << " holds a zero the encoding does not need";
      if (listed)
        prev = c;
      next += listed;
    }
  }
  return success();
}

SparseEncodingAttr escalate::encodeMatrix(MLIRContext *ctx,
                                          ArrayRef<float> values, int64_t rows,
                                          int64_t cols, SparseFormat format,
                                          unsigned indexBits) {
  SmallVector<int32_t> ptr, pos;
  if (format != SparseFormat::dense) {
    int64_t reach = int64_t(1) << indexBits;
    ptr.push_back(0);
    for (int64_t r = 0; r < rows; ++r) {
      int64_t prev = -1;
      for (int64_t c = 0; c < cols; ++c) {
        if (values[r * cols + c] == 0.0f)
          continue;
        // Padding entries (zeros) every `reach` columns bridge long gaps.
        if (format == SparseFormat::delta)
          for (prev += reach; prev < c; prev += reach)
            pos.push_back(prev);
        pos.push_back(c);
        prev = c;
      }
      ptr.push_back(pos.size());
    }
  }
  return SparseEncodingAttr::get(
      ctx, format, format == SparseFormat::delta ? indexBits : 0, rows, cols,
      DenseI32ArrayAttr::get(ctx, ptr), DenseI32ArrayAttr::get(ctx, pos));
}

SparseEncodingAttr escalate::chooseEncoding(MLIRContext *ctx,
                                            ArrayRef<float> values,
                                            int64_t rows, int64_t cols,
                                            unsigned valueBits) {
  int64_t nnz = llvm::count_if(values, [](float v) { return v != 0.0f; });
  int64_t ptrBits = (rows + 1) * kRowPtrBits;
  // Candidates in order of decoding simplicity; ties keep the simpler one.
  SparseFormat best = SparseFormat::dense;
  unsigned bestIndex = 0;
  int64_t bestBits = rows * cols * int64_t(valueBits);
  int64_t bitmapBits = rows * cols + nnz * int64_t(valueBits) + ptrBits;
  if (bitmapBits < bestBits) {
    best = SparseFormat::bitmap;
    bestBits = bitmapBits;
  }
  for (unsigned bits : isa::conv::kDeltaIndexBits) {
    int64_t entries = 0;
    for (int64_t r = 0; r < rows; ++r)
      entries += deltaEntries(values.slice(r * cols, cols), bits);
    int64_t total = entries * int64_t(valueBits + bits) + ptrBits;
    if (total < bestBits) {
      best = SparseFormat::delta;
      bestIndex = bits;
      bestBits = total;
    }
  }
  return encodeMatrix(ctx, values, rows, cols, best, bestIndex);
}

Value escalate::encodedOperand(Operation *op) {
  if (auto conv = dyn_cast<ConvOp>(op))
    return conv.getWeight();
  if (auto dec = dyn_cast<DecomposedConvOp>(op))
    return dec.getCoefficients();
  if (auto conv = dyn_cast<QConvOp>(op))
    return conv.getWeight();
  if (auto dec = dyn_cast<QDecomposedConvOp>(op))
    return dec.getCoefficients();
  return {};
}

bool escalate::isTiledLayer(Operation *op) {
  return llvm::isa<QConvOp, QDecomposedConvOp, QPoolOp, QAddOp, QMulOp, QLutOp>(op);
}

Operation *escalate::epilogueCandidate(Operation *conv, std::string *whyNot) {
  auto no = [&](const char *reason) -> Operation * {
    if (whyNot)
      *whyNot = reason;
    return nullptr;
  };
  if (!llvm::isa<QConvOp, QDecomposedConvOp>(conv))
    return no("only a qconv or qdecomposed_conv has an epilogue");
  Value acc = conv->getResult(0);
  auto rq = acc.hasOneUse() ? dyn_cast<RequantOp>(*acc.getUsers().begin())
                            : RequantOp();
  if (!rq)
    return no("its accumulators do not feed exactly one requant");
  Value y = rq.getOutput();
  Operation *e = y.hasOneUse() ? *y.getUsers().begin() : nullptr;
  if (!e || !llvm::isa<QAddOp, QMulOp, QPoolOp>(e))
    return no("its requant's result is not read by exactly one qadd, qmul "
              "or qpool");
  // The attribute is verified before the ops it names: their types may
  // still be anything.
  auto quantized = [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && quantType(t) ? t : RankedTensorType();
  };
  RankedTensorType type = quantized(y);
  if (!type)
    return no("its requant's result is not a quantized tensor");
  if (auto pool = dyn_cast<QPoolOp>(e)) {
    // Each output tile pools on its own: per axis, windows that tile the
    // axis (kernel = stride, at most the pool's 4-bit stride) or one window
    // over all of it; no padding.
    ArrayRef<int64_t> k = pool.getKernelShape(), st = pool.getStrides();
    if (type.getRank() != 4 || k.size() != 2 || st.size() != 2)
      return no("only a 2-D pooling of a 4-D tensor fuses");
    if (llvm::any_of(pool.getPads(), [](int64_t p) { return p != 0; }))
      return no("a padded pooling does not fuse");
    for (unsigned a = 0; a < 2; ++a) {
      int64_t size = type.getDimSize(2 + a);
      if (k[a] != size && (k[a] != st[a] || k[a] > 15 || size % k[a]))
        return no("the pooling's windows must tile the map (kernel = "
                  "stride, dividing it) or cover it");
    }
    return e;
  }
  Value other = e->getOperand(e->getOperand(0) == y ? 1 : 0);
  for (Value v : {other, Value(e->getResult(0))}) {
    RankedTensorType t = quantized(v);
    if (!t || t.getShape() != type.getShape() ||
        storageBits(t) != storageBits(type))
      return no("the epilogue's operands and result must be quantized "
                "tensors of one shape and width (no broadcast)");
  }
  if (type.getRank() != 4)
    return no("the epilogue's operands must be 4-D");
  Operation *def = other.getDefiningOp();
  if (e->getBlock() != conv->getBlock() ||
      (def &&
       (def->getBlock() != conv->getBlock() || !def->isBeforeInBlock(conv))))
    return no("the epilogue's other operand is not ready before the conv "
              "(it must be defined earlier in the conv's block)");
  return e;
}

Operation *escalate::fusedEpilogue(Operation *conv) {
  return conv->hasAttr(kEpilogueAttr) ? epilogueCandidate(conv) : nullptr;
}

Operation *escalate::epilogueOwner(Operation *op) {
  if (!llvm::isa<QAddOp, QMulOp, QPoolOp>(op))
    return nullptr;
  for (Value v : op->getOperands())
    if (auto rq = v.getDefiningOp<RequantOp>())
      if (Operation *conv = rq.getInput().getDefiningOp();
          conv && fusedEpilogue(conv) == op)
        return conv;
  return nullptr;
}

static LogicalResult verifyTile(Operation *op, Attribute attr) {
  auto tile = dyn_cast<TileAttr>(attr);
  if (!tile || !isTiledLayer(op))
    return op->emitOpError()
           << kTileAttr
           << " must be an #escalate.tile on a qconv, qdecomposed_conv, qpool, "
              "qadd, qmul or qlut";
  if (tile.getRows() < 1 || tile.getCols() < 1 || tile.getInChannels() < 1 ||
      tile.getOutChannels() < 1)
    return op->emitOpError("tile rows, cols and channels must be positive");
  if (tile.getCycles() < 0 || tile.getDramBytes() < 0)
    return op->emitOpError("tile cost estimates must not be negative");
  return success();
}

LogicalResult EscalateDialect::verifyOperationAttribute(Operation *op,
                                                        NamedAttribute attr) {
  if (attr.getName() == kTileAttr)
    return verifyTile(op, attr.getValue());
  if (attr.getName() == kEpilogueAttr) {
    std::string whyNot;
    if (!llvm::isa<UnitAttr>(attr.getValue()) ||
        !epilogueCandidate(op, &whyNot))
      return op->emitOpError()
             << kEpilogueAttr << " must be a unit attribute on a conv that "
             << "can run its requant's reader as its epilogue"
             << (whyNot.empty() ? "" : ": " + whyNot);
    return success();
  }
  if (attr.getName() != kEncodingAttr)
    return success();
  auto encoding = dyn_cast<SparseEncodingAttr>(attr.getValue());
  Value operand = encodedOperand(op);
  if (!encoding || !operand)
    return op->emitOpError()
           << kEncodingAttr
           << " must be an #escalate.sparse on a (q)conv or (q)decomposed_conv";
  auto type = cast<ShapedType>(operand.getType());
  if (type.getRank() < 1 || encoding.getRows() != type.getDimSize(0) ||
      checkedProduct({encoding.getRows(), encoding.getCols()}) !=
          type.getNumElements())
    return op->emitOpError()
           << "encoding shape " << encoding.getRows() << "x"
           << encoding.getCols() << " does not match " << type;
  // With constant weights, check that the encoding decodes to them.
  ElementsAttr values;
  if (!matchPattern(operand, m_Constant(&values)) ||
      encodingChecked(encoding, values))
    return success();
  FailureOr<Tensor> t = tensorFromAttr(values);
  if (failed(t))
    return success();
  auto emitError = [&] { return op->emitOpError(); };
  LogicalResult matched = success();
  if (t->dtype() == DType::F32) {
    matched = encoding.matches(t->f32(), emitError);
  } else {
    std::vector<float> ints(t->i64().begin(), t->i64().end());
    matched = encoding.matches(ints, emitError);
  }
  if (succeeded(matched))
    markEncodingChecked(encoding, values);
  return matched;
}

bool EscalateDialect::encodingChecked(Attribute encoding, Attribute weights) {
  llvm::sys::SmartScopedLock<true> lock(checkedMutex);
  return checkedEncodings.contains({encoding, weights});
}

void EscalateDialect::markEncodingChecked(Attribute encoding,
                                          Attribute weights) {
  llvm::sys::SmartScopedLock<true> lock(checkedMutex);
  checkedEncodings.insert({encoding, weights});
}
