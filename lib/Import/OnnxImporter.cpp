//===- OnnxImporter.cpp - ONNX graph to func.func @main -------------------===//
#include "ImporterImpl.h"
#include "escalate/Support/TensorFiles.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

using namespace mlir;
using namespace escalate;
using namespace escalate::onnx_import;

llvm::Error escalate::parseInputShape(StringRef spec, ImportOptions &options) {
  auto [name, dims] = spec.rsplit(':');
  if (name.empty() || dims.empty())
    return llvm::createStringError("--input-shape '" + spec +
                                   "' is not of the form name:1x3x224x224");
  SmallVector<int64_t, 4> shape;
  SmallVector<StringRef> parts;
  dims.split(parts, 'x');
  for (StringRef p : parts) {
    int64_t d;
    if (p.getAsInteger(10, d) || d < 0)
      return llvm::createStringError("--input-shape '" + spec + "': '" + p +
                                     "' is not a non-negative dimension");
    shape.push_back(d);
  }
  options.inputShapes[name] = shape;
  return llvm::Error::success();
}

namespace {
/// Collects protobuf text-format errors as one message with line:column.
class TextErrors : public google::protobuf::io::ErrorCollector {
public:
  std::string message;
  void AddError(int line, int column, const std::string &msg) override {
    if (!message.empty())
      return;
    // Users know the schema's types as onnx.*, not by our package.
    std::string text = msg;
    for (size_t at; (at = text.find("escalate.onnx.")) != std::string::npos;)
      text.erase(at, strlen("escalate."));
    message = "line " + std::to_string(line + 1) + ":" +
              std::to_string(column + 1) + ": " + text;
  }
};

/// Protobuf text format is printable; binary ONNX always starts with a
/// field tag byte such as 0x08, so any control byte means binary.
bool looksLikeText(StringRef bytes) {
  return llvm::all_of(bytes.take_front(4096), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || c == '\n' || c == '\r' || c == '\t';
  });
}

class GraphImporter {
public:
  GraphImporter(MLIRContext *ctx, StringRef path, const ImportOptions &options)
      : ctx(ctx), builder(ctx), path(path), options(options) {
    modelDir = llvm::sys::path::parent_path(path).str();
    if (modelDir.empty())
      modelDir = ".";
  }

  ImportResult run(onnx::ModelProto &model);

private:
  LogicalResult fail(ImportFailure kind) {
    why = kind;
    return failure();
  }
  LogicalResult checkOpsets(const onnx::ModelProto &model);
  LogicalResult importInputs(onnx::GraphProto &graph, func::FuncOp &func);
  LogicalResult checkNonEmpty(func::FuncOp func);
  LogicalResult importInitializers(onnx::GraphProto &graph);
  /// Fails when a tensor of `shape` has more elements than the limit.
  LogicalResult checkElements(Location loc, StringRef what, StringRef name,
                              ArrayRef<int64_t> shape);
  FailureOr<SmallVector<int64_t>> topologicalOrder(const onnx::GraphProto &g);
  LogicalResult importNode(const onnx::NodeProto &node, int64_t index);
  /// Every operator of `g` the importer has no handler for at this opset,
  /// with its node count, for the first unsupported node's message: a user
  /// sees the whole gap at once, not one operator per attempt. Empty when
  /// at most one node is unsupported.
  std::string unsupportedOperators(const onnx::GraphProto &g) const;
  Location nodeLoc(const onnx::NodeProto &node, int64_t index);
  /// ONNX names as locations, inside the model file so diagnostics lead
  /// with its path.
  Location named(StringRef name) {
    return NameLoc::get(StringAttr::get(ctx, name),
                        FileLineColLoc::get(ctx, path, 0, 0));
  }

  MLIRContext *ctx;
  OpBuilder builder;
  StringRef path;
  const ImportOptions &options;
  std::string modelDir;
  int64_t opset = 0;
  llvm::StringMap<Value> values;
  ImportFailure why = ImportFailure::Invalid;
  std::string unsupportedList;
};
} // namespace

std::string
GraphImporter::unsupportedOperators(const onnx::GraphProto &g) const {
  // In order of first use, indexed by name (a hostile model may name a
  // million distinct operators).
  std::vector<std::pair<std::string, int64_t>> counts;
  llvm::StringMap<size_t> index;
  int64_t nodes = 0;
  for (const onnx::NodeProto &node : g.node()) {
    bool standard = node.domain().empty() || node.domain() == "ai.onnx";
    const OpEntry *entry = standard ? lookupOp(node.op_type()) : nullptr;
    if (entry && opset >= entry->info.minOpset && opset <= entry->info.maxOpset)
      continue;
    std::string name = (standard ? "" : node.domain() + "::") + node.op_type();
    auto [it, added] = index.try_emplace(name, counts.size());
    if (added)
      counts.emplace_back(name, 0);
    ++counts[it->second].second;
    ++nodes;
  }
  if (nodes < 2)
    return "";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << " (the model has " << nodes << " nodes of " << counts.size()
     << " unsupported operator" << (counts.size() == 1 ? "" : "s") << ": ";
  llvm::interleaveComma(
      counts, os, [&](const auto &kv) { os << kv.first << " x" << kv.second; });
  os << ")";
  return text;
}

Location GraphImporter::nodeLoc(const onnx::NodeProto &node, int64_t index) {
  std::string name = node.name();
  if (name.empty())
    name = node.output_size() && !node.output(0).empty()
               ? node.output(0)
               : node.op_type() + "_" + std::to_string(index);
  return named(name);
}

LogicalResult GraphImporter::checkOpsets(const onnx::ModelProto &model) {
  Location loc = FileLineColLoc::get(ctx, path, 0, 0);
  for (const onnx::OperatorSetIdProto &id : model.opset_import()) {
    if (id.domain().empty() || id.domain() == "ai.onnx")
      opset = id.version();
  }
  if (opset == 0 && model.opset_import_size() == 0)
    opset = 1; // IR v1 models omit opset_import and mean opset 1.
  if (opset < kMinOpset || opset > kMaxOpset) {
    emitError(loc) << "model uses default-domain opset " << opset
                   << "; supported opsets are " << kMinOpset << " to "
                   << kMaxOpset;
    return fail(ImportFailure::Unsupported);
  }
  return success();
}

LogicalResult GraphImporter::checkElements(Location loc, StringRef what,
                                           StringRef name,
                                           ArrayRef<int64_t> shape) {
  constexpr int64_t kMaxDim = INT32_MAX;
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0)
      continue; // dynamic: --input-shape must fix it first
    if (d > kMaxDim || (d > 0 && count > options.maxTensorElements / d)) {
      emitError(loc) << what << " '" << name
                     << "' has more elements than the limit of "
                     << options.maxTensorElements
                     << " (or a dimension over 2^31); raise it with "
                        "--max-tensor-elements";
      return failure();
    }
    count *= d;
  }
  return success();
}

LogicalResult GraphImporter::importInitializers(onnx::GraphProto &graph) {
  for (onnx::TensorProto &init : *graph.mutable_initializer()) {
    Location loc = named(init.name());
    if (values.count(init.name())) {
      emitError(loc) << "initializer '" << init.name()
                     << "' has the same name as another initializer or a "
                        "graph input";
      return failure();
    }
    SmallVector<int64_t> dims(init.dims().begin(), init.dims().end());
    if (failed(checkElements(loc, "initializer", init.name(), dims)))
      return failure();
    ImportFailure kind;
    FailureOr<ElementsAttr> attr =
        convertTensor(init, modelDir, loc, options.maxTensorElements, kind);
    if (failed(attr))
      return fail(kind);
    values[init.name()] = ConstantOp::create(builder, loc, *attr).getResult();
  }
  return success();
}

LogicalResult GraphImporter::importInputs(onnx::GraphProto &graph,
                                          func::FuncOp &func) {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &init : graph.initializer())
    initializers.insert(init.name());
  SmallVector<Type> inputTypes;
  SmallVector<std::string> names, frozenNames;
  llvm::StringSet<> seen;
  for (const onnx::ValueInfoProto &vi : graph.input()) {
    // Before IR v4 initializers were also listed as graph inputs.
    if (initializers.contains(vi.name()))
      continue;
    Location loc = named(vi.name());
    if (!vi.type().has_tensor_type()) {
      emitError(loc) << "graph input '" << vi.name() << "' is not a tensor";
      return fail(ImportFailure::Unsupported);
    }
    const onnx::TypeProto::Tensor &tt = vi.type().tensor_type();
    Type elt = convertElementType(tt.elem_type(), ctx);
    if (!elt) {
      emitError(loc) << "graph input '" << vi.name() << "' has element type "
                     << onnxTypeName(tt.elem_type())
                     << ", which is not supported (FLOAT and INT64 are)";
      return fail(ImportFailure::Unsupported);
    }
    SmallVector<int64_t> shape;
    bool dynamic = false;
    for (const onnx::TensorShapeProto::Dimension &d : tt.shape().dim()) {
      dynamic |= !d.has_dim_value() || d.dim_value() < 0;
      shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
    }
    auto frozen = options.frozenInputs.find(vi.name());
    if (frozen != options.frozenInputs.end()) {
      const Tensor &value = frozen->second;
      bool sameType = (value.dtype() == DType::F32) == elt.isF32();
      bool compatible = sameType && value.rank() == int64_t(shape.size());
      for (size_t i = 0; compatible && i < shape.size(); ++i)
        compatible = shape[i] < 0 || shape[i] == value.dim(i);
      if (!compatible && tt.has_shape()) {
        emitError(loc) << "--freeze-input value for '" << vi.name() << "' is "
                       << value.describe()
                       << ", which does not match the input's declared type";
        return failure();
      }
      frozenNames.push_back(vi.name());
      seen.insert(vi.name());
      continue;
    }
    auto over = options.inputShapes.find(vi.name());
    if (over != options.inputShapes.end()) {
      ArrayRef<int64_t> given = over->second;
      bool compatible = !tt.has_shape() || given.size() == shape.size();
      for (size_t i = 0; compatible && i < shape.size(); ++i)
        compatible = shape[i] < 0 || shape[i] == given[i];
      if (!compatible) {
        emitError(loc) << "--input-shape for '" << vi.name()
                       << "' does not match its declared shape";
        return failure();
      }
      shape.assign(given.begin(), given.end());
    } else if (dynamic || !tt.has_shape()) {
      emitError(loc) << "graph input '" << vi.name()
                     << "' has a dynamic or unknown shape; fix it with "
                        "--input-shape "
                     << vi.name() << ":<d0>x<d1>...";
      return failure();
    }
    // Bound shapes so later shape arithmetic (windows, element counts)
    // cannot overflow int64.
    if (failed(checkElements(loc, "graph input", vi.name(), shape)))
      return failure();
    if (!seen.insert(vi.name()).second) {
      emitError(loc) << "graph input '" << vi.name() << "' is declared twice";
      return failure();
    }
    inputTypes.push_back(RankedTensorType::get(shape, elt));
    names.push_back(vi.name());
  }
  for (const auto &entry : options.inputShapes)
    if (!seen.contains(entry.getKey())) {
      emitError(FileLineColLoc::get(ctx, path, 0, 0))
          << "--input-shape names '" << entry.getKey()
          << "', which is not a graph input";
      return failure();
    }
  for (const auto &entry : options.frozenInputs)
    if (!seen.contains(entry.getKey())) {
      emitError(FileLineColLoc::get(ctx, path, 0, 0))
          << "--freeze-input names '" << entry.getKey()
          << "', which is not a graph input";
      return failure();
    }
  func = func::FuncOp::create(FileLineColLoc::get(ctx, path, 0, 0), "main",
                              builder.getFunctionType(inputTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(names)) {
    entry->getArgument(i).setLoc(named(name));
    values[name] = entry->getArgument(i);
    func.setArgAttr(i, "escalate.name", builder.getStringAttr(name));
  }
  builder.setInsertionPointToStart(entry);
  for (const std::string &name : frozenNames) {
    const Tensor &value = options.frozenInputs.find(name)->second;
    Type elt = value.dtype() == DType::F32 ? Type(builder.getF32Type())
                                           : Type(builder.getI64Type());
    auto type = RankedTensorType::get(value.shape(), elt);
    values[name] = ConstantOp::create(builder, named(name),
                                      attrFromTensor(value, type, name))
                       .getResult();
  }
  return success();
}

FailureOr<SmallVector<int64_t>>
GraphImporter::topologicalOrder(const onnx::GraphProto &g) {
  // Kahn's algorithm over tensor names; ONNX requires sorted nodes, but
  // exporters do not always comply, and a cycle must be an error, not a hang.
  llvm::StringMap<int64_t> producer;
  for (int64_t i = 0; i < g.node_size(); ++i)
    for (const std::string &out : g.node(i).output()) {
      if (out.empty())
        continue;
      if (values.count(out)) {
        emitError(nodeLoc(g.node(i), i))
            << "node '" << g.node(i).name() << "' (" << g.node(i).op_type()
            << ", #" << i << ") writes tensor '" << out
            << "', which is already a graph input or an initializer";
        return failure();
      }
      if (!producer.try_emplace(out, i).second) {
        emitError(nodeLoc(g.node(i), i))
            << "tensor '" << out << "' is produced by more than one node";
        return failure();
      }
    }
  SmallVector<int64_t> pending(g.node_size(), 0);
  SmallVector<SmallVector<int64_t, 2>> users(g.node_size());
  for (int64_t i = 0; i < g.node_size(); ++i)
    for (const std::string &in : g.node(i).input()) {
      auto it = producer.find(in);
      if (it == producer.end())
        continue;
      ++pending[i];
      users[it->second].push_back(i);
    }
  SmallVector<int64_t> order, ready;
  for (int64_t i = g.node_size() - 1; i >= 0; --i)
    if (!pending[i])
      ready.push_back(i);
  while (!ready.empty()) {
    int64_t n = ready.pop_back_val();
    order.push_back(n);
    for (int64_t u : llvm::reverse(users[n]))
      if (--pending[u] == 0)
        ready.push_back(u);
  }
  if (static_cast<int64_t>(order.size()) != g.node_size()) {
    for (int64_t i = 0; i < g.node_size(); ++i)
      if (pending[i]) {
        emitError(nodeLoc(g.node(i), i))
            << "node '" << g.node(i).name() << "' (" << g.node(i).op_type()
            << ", #" << i << ") is part of a cycle in the graph";
        break;
      }
    return failure();
  }
  return order;
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node,
                                        int64_t index) {
  Location loc = nodeLoc(node, index);
  SmallVector<Value> inputs;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      inputs.push_back(Value());
      continue;
    }
    auto it = values.find(name);
    if (it == values.end()) {
      emitError(loc) << "node '" << node.name() << "' (" << node.op_type()
                     << ", #" << index << "): input '" << name
                     << "' is not a graph input, an initializer or the output "
                        "of any node";
      return failure();
    }
    inputs.push_back(it->second);
  }
  NodeImporter importer(builder, node, index, opset, loc, inputs, modelDir,
                        options.maxTensorElements);
  bool standardDomain = node.domain().empty() || node.domain() == "ai.onnx";
  const OpEntry *entry = standardDomain ? lookupOp(node.op_type()) : nullptr;
  if (!entry) {
    InFlightDiagnostic diag = importer.unsupported();
    diag << "operator " << (standardDomain ? "" : node.domain() + "::")
         << node.op_type() << " is not supported";
    if (standardDomain)
      if (std::optional<StringRef> why = unsupportedReason(node.op_type()))
        diag << ": " << *why;
    diag << unsupportedList;
    return fail(ImportFailure::Unsupported);
  }
  if (opset < entry->info.minOpset || opset > entry->info.maxOpset) {
    importer.unsupported() << node.op_type() << " is supported for opsets "
                           << entry->info.minOpset << " to "
                           << entry->info.maxOpset << ", not " << opset
                           << unsupportedList;
    return fail(ImportFailure::Unsupported);
  }
  if (failed(entry->handler(importer)))
    return fail(importer.why);
  for (auto [i, name] : llvm::enumerate(node.output())) {
    if (name.empty())
      continue;
    if (i >= importer.results.size() || !importer.results[i]) {
      importer.unsupported()
          << "output #" << i << " ('" << name << "') is not supported";
      return fail(ImportFailure::Unsupported);
    }
    values[name] = importer.results[i];
  }
  return success();
}

/// A tensor with a zero-size dimension (batch 0, an empty slice) leaves
/// nothing to compute, and every later search over its tiles would be
/// empty: refused at import, naming the tensor. Integer tensors (shapes and
/// indices, folded away) may be empty.
LogicalResult GraphImporter::checkNonEmpty(func::FuncOp func) {
  auto emptyShape = [](Type t) -> std::optional<std::string> {
    auto r = dyn_cast<RankedTensorType>(t);
    if (!r || isa<IntegerType>(r.getElementType()) ||
        !llvm::is_contained(r.getShape(), 0))
      return std::nullopt;
    std::string text;
    llvm::raw_string_ostream os(text);
    llvm::interleave(r.getShape(), os, "x");
    return text;
  };
  for (auto [i, arg] : llvm::enumerate(func.getArguments()))
    if (std::optional<std::string> shape = emptyShape(arg.getType())) {
      auto name = func.getArgAttrOfType<StringAttr>(i, "escalate.name");
      StringRef text = name ? name.getValue() : StringRef("?");
      return emitError(named(text))
             << "graph input '" << text << "' has a zero-size dimension ("
             << *shape << "): an empty tensor leaves nothing to compute";
    }
  WalkResult walk = func.walk([&](Operation *op) {
    for (Value v : op->getResults())
      if (std::optional<std::string> shape = emptyShape(v.getType())) {
        op->emitError() << "produces an empty tensor (" << *shape
                        << "): a zero-size dimension leaves nothing to "
                           "compute";
        return WalkResult::interrupt();
      }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

ImportResult GraphImporter::run(onnx::ModelProto &model) {
  ImportResult result;
  result.failure = ImportFailure::Invalid;
  if (failed(checkOpsets(model))) {
    result.failure = why;
    return result;
  }
  onnx::GraphProto &graph = *model.mutable_graph();
  func::FuncOp func;
  OwningOpRef<ModuleOp> module =
      ModuleOp::create(FileLineColLoc::get(ctx, path, 0, 0));
  auto failWith = [&](ImportFailure kind) {
    result.failure = kind;
    if (func)
      func.erase();
    return std::move(result);
  };
  if (failed(importInputs(graph, func)))
    return failWith(why);
  if (failed(importInitializers(graph)))
    return failWith(why);
  FailureOr<SmallVector<int64_t>> order = topologicalOrder(graph);
  if (failed(order))
    return failWith(ImportFailure::Invalid);
  unsupportedList = unsupportedOperators(graph);
  for (int64_t i : *order)
    if (failed(importNode(graph.node(i), i)))
      return failWith(why);
  if (!options.allowEmptyTensors && failed(checkNonEmpty(func)))
    return failWith(ImportFailure::Invalid);

  SmallVector<Value> outputs;
  SmallVector<Type> outputTypes;
  for (const onnx::ValueInfoProto &vi : graph.output()) {
    auto it = values.find(vi.name());
    if (it == values.end()) {
      emitError(named(vi.name()))
          << "graph output '" << vi.name() << "' is never produced";
      return failWith(ImportFailure::Invalid);
    }
    outputs.push_back(it->second);
    outputTypes.push_back(it->second.getType());
  }
  func::ReturnOp::create(builder, func.getLoc(), outputs);
  func.setType(builder.getFunctionType(func.getArgumentTypes(), outputTypes));
  for (auto [i, vi] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "escalate.name", builder.getStringAttr(vi.name()));
  module->push_back(func);
  if (failed(verify(*module)))
    return failWith(ImportFailure::Invalid);
  result.module = std::move(module);
  result.failure = ImportFailure::None;
  return result;
}

/// Deepest nesting tried when telling a too-deep model from a corrupt one.
constexpr int kNestingProbe = 1000;

static bool parseBinary(StringRef bytes, int maxNesting,
                        onnx::ModelProto &model) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t *>(bytes.data()), int(bytes.size()));
  in.SetRecursionLimit(maxNesting);
  model.Clear();
  return model.ParseFromCodedStream(&in);
}

ImportResult escalate::importOnnx(StringRef bytes, StringRef path,
                                  const ImportOptions &options,
                                  MLIRContext *ctx) {
  ctx->loadDialect<EscalateDialect, func::FuncDialect>();
  Location fileLoc = FileLineColLoc::get(ctx, path, 0, 0);
  onnx::ModelProto model;
  if (looksLikeText(bytes)) {
    google::protobuf::TextFormat::Parser parser;
    TextErrors errors;
    parser.RecordErrorsTo(&errors);
    parser.SetRecursionLimit(options.maxNesting);
    if (!parser.ParseFromString(std::string(bytes), &model)) {
      InFlightDiagnostic diag = emitError(fileLoc)
                                << "not a valid ONNX model in protobuf text "
                                   "format: "
                                << errors.message;
      if (StringRef(errors.message).contains("too deep"))
        diag << " (raise the limit with --max-nesting)";
      return {};
    }
  } else if (bytes.size() > size_t(INT32_MAX)) {
    emitError(fileLoc) << "not a valid ONNX model: " << bytes.size()
                       << " bytes is above protobuf's 2 GiB limit (keep "
                          "weights in external data)";
    return {};
  } else if (!parseBinary(bytes, options.maxNesting, model)) {
    // Only a deeper retry tells nesting apart from corruption.
    if (parseBinary(bytes, kNestingProbe, model))
      emitError(fileLoc) << "the model nests messages (subgraphs) deeper "
                            "than "
                         << options.maxNesting
                         << " levels; raise the limit with --max-nesting";
    else
      emitError(fileLoc) << "not a valid ONNX model: the protobuf data is "
                            "truncated or corrupt ("
                         << bytes.size() << " bytes)";
    return {};
  }
  if (!model.has_graph()) {
    emitError(fileLoc) << "not a valid ONNX model: it has no graph";
    return {};
  }
  if (model.graph().node_size() > options.maxNodes) {
    emitError(fileLoc) << "the graph has " << model.graph().node_size()
                       << " nodes, more than the limit of " << options.maxNodes
                       << "; raise it with --max-nodes";
    return {};
  }
  GraphImporter importer(ctx, path, options);
  return importer.run(model);
}

llvm::Error escalate::checkImportLimits(const ImportOptions &options) {
  if (options.maxNodes < 1 || options.maxTensorElements < 1)
    return llvm::createStringError(
        "--max-nodes and --max-tensor-elements must be positive");
  return checkNestingLimit(options.maxNesting);
}

llvm::Error escalate::parseFrozenInput(llvm::StringRef spec,
                                       ImportOptions &options) {
  auto [name, path] = spec.split('=');
  if (name.empty() || path.empty())
    return llvm::createStringError("--freeze-input '" + spec +
                                   "' is not of the form name=file");
  llvm::Expected<Tensor> value = readTensorFile(path);
  if (!value)
    return value.takeError();
  options.frozenInputs[name] = std::move(*value);
  return llvm::Error::success();
}
