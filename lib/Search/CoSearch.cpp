//===- CoSearch.cpp - hardware co-search (HASS's hardware half) -----------===//
//
// HASS (arXiv 2406.03088) searches the accelerator together with each
// layer's sparsity. Here the hardware side is a space of descriptions
// around a base one (HardwareSpace.h); every point within the area budget
// gets its own per-layer search (runSearch, which measures every layer
// option on that hardware), and the point whose verified result is cheapest
// by the objective wins. A model with nothing to choose per layer (trained
// PENNI layers, or dense and pruned mode) is compiled and measured as it
// is on each point.
//
//===----------------------------------------------------------------------===//
#include "escalate/Search/Driver.h"
#include "escalate/Search/HardwareSpace.h"
#include "escalate/Search/Measure.h"
#include "escalate/Support/FileIO.h"
#include "escalate/Support/Nesting.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <set>

using namespace mlir;
using namespace escalate;
using namespace escalate::search;

namespace {
/// A point's outcome.
struct Outcome {
  HardwarePoint point;
  /// The point's index in the space; -1 for the reference.
  int64_t index = -1;
  enum Status { Ok, BudgetMissed, Failed } status = Failed;
  std::string message; ///< why it failed
  ModelResult measured;
  double cost = 0;
};

double objectiveCost(StringRef objective, const ModelResult &r) {
  if (objective == "energy")
    return r.energyPj;
  if (objective == "edp")
    return r.cycles * r.energyPj;
  return r.cycles;
}

/// OUTPUT's hardware description: best.json -> best.hw.json.
std::string hardwarePath(StringRef output) {
  StringRef stem = output;
  stem.consume_back(".json");
  return (stem + ".hw.json").str();
}

/// What the plot writes beside a front point: its id and accuracy.
std::string plotLabel(const Outcome &o) {
  if (o.measured.top1 >= 0)
    return llvm::formatv("{0} {1:f2}%", o.point.id, 100 * o.measured.top1);
  return llvm::formatv("{0} {1:f1} dB", o.point.id, o.measured.sqnrDb);
}

/// Runs the per-layer search of one point, its files in `dir`.
Outcome searchPoint(MLIRContext &ctx, const SearchOptions &o, StringRef dir,
                    HardwarePoint point) {
  Outcome out;
  out.point = std::move(point);
  SmallString<256> stem(dir);
  llvm::sys::path::append(stem, out.point.id);
  SearchOptions po = o;
  po.hw = (stem + ".hw.json").str();
  po.output = (stem + ".json").str();
  po.log = (stem + ".log").str();
  po.pareto.clear();
  po.hwSpace.clear();
  po.allowNoLayers = true;
  if (llvm::Error e = writeFileAtomically(
          po.hw, [&](llvm::raw_ostream &os) { os << out.point.json; })) {
    out.message = llvm::toString(std::move(e));
    return out;
  }
  // A point that fails is a result (buffers too small for a layer, say),
  // not the end of the co-search: its first error is recorded.
  ScopedDiagnosticHandler capture(&ctx, [&](Diagnostic &d) {
    if (d.getSeverity() == DiagnosticSeverity::Error && out.message.empty())
      out.message = d.str();
    return success();
  });
  std::string inner;
  llvm::raw_string_ostream innerTable(inner);
  bool missed = false;
  if (succeeded(runSearch(
          ctx, po, innerTable, [](const llvm::Twine &) {}, &missed,
          &out.measured)))
    out.status = Outcome::Ok;
  else
    out.status = missed ? Outcome::BudgetMissed : Outcome::Failed;
  out.cost = objectiveCost(o.objective, out.measured);
  return out;
}
} // namespace

LogicalResult
search::runCoSearch(MLIRContext &ctx, const SearchOptions &o,
                    llvm::raw_ostream &table,
                    llvm::function_ref<void(const llvm::Twine &)> progress,
                    bool *budgetMissed) {
  auto fail = [&](const llvm::Twine &msg) {
    emitError(UnknownLoc::get(&ctx)) << msg.str();
    return failure();
  };
  if (o.output.empty())
    return fail("no output: give -o best.json");
  if (!(o.budgetAreaMm2 >= 0))
    return fail("--budget-area must be a positive number of mm^2");
  llvm::Expected<hw::HwDesc> base =
      o.hw.empty() ? llvm::Expected<hw::HwDesc>(hw::defaultHwDesc())
                   : hw::loadHwDesc(o.hw);
  if (!base)
    return fail(llvm::toString(base.takeError()));
  llvm::Expected<HardwareSpace> space = HardwareSpace::load(o.hwSpace, *base);
  if (!space)
    return fail(llvm::toString(space.takeError()));
  llvm::Expected<HardwarePoint> referencePoint = space->reference();
  if (!referencePoint)
    return fail(llvm::toString(referencePoint.takeError()));
  double budget =
      o.budgetAreaMm2 > 0 ? o.budgetAreaMm2 : referencePoint->areaMm2;
  auto withinBudget = [&](const HardwarePoint &p) {
    return p.areaMm2 <= budget * (1 + 1e-12);
  };
  std::string dir = o.output + ".hw";
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return fail("cannot create '" + dir + "': " + ec.message());
  progress(llvm::formatv(
      "a space of {0} hardware points around '{1}' "
      "({2:f3} mm^2), budget {3:f3} mm^2, {4}",
      space->points(), base->name, referencePoint->areaMm2, budget,
      space->enumeratesAll() ? std::string("every point")
                             : llvm::formatv("{0} sampled, then refined",
                                             space->initialPoints().size())
                                   .str()));

  // The reference is measured whatever its area: it is what the result is
  // compared with. Then the space's starting points, then (for a sampled
  // space) a descent over single-dimension changes from the best so far.
  std::vector<Outcome> outcomes;
  std::set<uint64_t> seen;
  size_t invalid = 0, overArea = 0;
  std::string firstInvalid;
  auto evaluate = [&](HardwarePoint p, int64_t index) {
    Outcome out = searchPoint(ctx, o, dir, std::move(p));
    out.index = index;
    progress(llvm::formatv(
        "{0} {1} ({2:f3} mm^2): {3}", outcomes.size() + 1, out.point.id,
        out.point.areaMm2,
        out.status == Outcome::Ok
            ? llvm::formatv("{0} cycles, {1:f3} uJ, {2:f2} dB",
                            uint64_t(out.measured.cycles),
                            out.measured.energyPj * 1e-6, out.measured.sqnrDb)
                  .str()
            : (out.status == Outcome::BudgetMissed ? "misses the budget: "
                                                   : "failed: ") +
                  out.message));
    outcomes.push_back(std::move(out));
  };
  auto tryPoint = [&](uint64_t index) {
    if (!seen.insert(index).second)
      return;
    llvm::Expected<HardwarePoint> p = space->point(index);
    if (!p) {
      if (!invalid++)
        firstInvalid = llvm::toString(p.takeError());
      else
        llvm::consumeError(p.takeError());
      return;
    }
    if (!withinBudget(*p)) {
      ++overArea;
      return;
    }
    evaluate(std::move(*p), int64_t(index));
  };
  // The cheapest verified point within the area budget (ties to the smaller
  // area, then to the earlier point); its index in `outcomes`, or -1.
  auto best = [&]() {
    ptrdiff_t chosen = -1;
    for (size_t i = 0; i < outcomes.size(); ++i) {
      const Outcome &out = outcomes[i];
      if (out.status != Outcome::Ok || !withinBudget(out.point))
        continue;
      if (chosen < 0 || std::make_pair(out.cost, out.point.areaMm2) <
                            std::make_pair(outcomes[chosen].cost,
                                           outcomes[chosen].point.areaMm2))
        chosen = ptrdiff_t(i);
    }
    return chosen;
  };
  evaluate(std::move(*referencePoint), -1);
  for (uint64_t index : space->initialPoints())
    tryPoint(index);
  if (!space->enumeratesAll()) {
    for (ptrdiff_t from = best(); from >= 0 && outcomes[from].index >= 0;) {
      for (uint64_t n : space->neighbours(uint64_t(outcomes[from].index)))
        tryPoint(n);
      ptrdiff_t next = best();
      if (next == from)
        break;
      from = next;
    }
  }
  if (invalid)
    emitWarning(UnknownLoc::get(&ctx))
        << invalid
        << " point(s) of the space are not valid hardware descriptions and "
           "are left out; the first, "
        << firstInvalid;

  ptrdiff_t chosenIndex = best();
  const Outcome *chosen = chosenIndex < 0 ? nullptr : &outcomes[chosenIndex];
  if (!chosen) {
    bool allMissed = llvm::all_of(outcomes, [](const Outcome &out) {
      return out.status == Outcome::BudgetMissed;
    });
    if (allMissed && budgetMissed)
      *budgetMissed = true;
    const Outcome &ref = outcomes.front();
    return fail(llvm::formatv(
        "no hardware point within {0:f3} mm^2 gave a result that meets the "
        "budget; the reference: {1}",
        budget,
        ref.status == Outcome::Ok ? "over the area budget" : ref.message));
  }
  const Outcome &ref = outcomes.front();
  bool refOk = ref.status == Outcome::Ok;

  // The front of (area, cost): cheaper than every smaller point.
  std::vector<const Outcome *> measured;
  for (const Outcome &out : outcomes)
    if (out.status == Outcome::Ok)
      measured.push_back(&out);
  llvm::sort(measured, [](const Outcome *a, const Outcome *b) {
    return std::make_tuple(a->point.areaMm2, a->cost, a) <
           std::make_tuple(b->point.areaMm2, b->cost, b);
  });
  std::vector<const Outcome *> front;
  for (const Outcome *out : measured)
    if (front.empty() || out->cost < front.back()->cost)
      front.push_back(out);

  // best.json: the winner's configuration and search record, with the
  // co-search's.
  auto text = llvm::MemoryBuffer::getFile(
      (llvm::Twine(dir) + "/" + chosen->point.id + ".json").str());
  if (!text)
    return fail("cannot read the chosen point's result: " +
                text.getError().message());
  llvm::Expected<llvm::json::Value> result = parseJson((*text)->getBuffer());
  if (!result || !result->getAsObject())
    return fail("the chosen point's result is not a JSON object");
  llvm::json::Array points;
  for (const Outcome &out : outcomes) {
    llvm::json::Object p{{"id", out.point.id},
                         {"settings", out.point.settings},
                         {"area_mm2", out.point.areaMm2},
                         {"status", out.status == Outcome::Ok ? "ok"
                                    : out.status == Outcome::BudgetMissed
                                        ? "budget missed"
                                        : "failed"}};
    if (out.status == Outcome::Ok)
      p["measured"] = resultJson(out.measured);
    else
      p["message"] = out.message;
    points.push_back(std::move(p));
  }
  llvm::json::Array frontIds;
  for (const Outcome *out : front)
    frontIds.push_back(out->point.id);
  std::string hwOut = hardwarePath(o.output);
  llvm::json::Object record{
      {"space", o.hwSpace},
      {"base", base->name},
      {"objective", o.objective},
      {"mode", o.mode},
      {"budget_area_mm2", budget},
      {"space_points", int64_t(space->points())},
      {"points_measured", int64_t(outcomes.size())},
      {"points_invalid", int64_t(invalid)},
      {"points_over_area", int64_t(overArea)},
      {"chosen",
       llvm::json::Object{
           {"id", chosen->point.id},
           {"settings", chosen->point.settings},
           {"area_mm2", chosen->point.areaMm2},
           {"description", llvm::sys::path::filename(hwOut).str()},
           {"measured", resultJson(chosen->measured)}}},
      {"points", std::move(points)},
      {"pareto", std::move(frontIds)}};
  if (refOk)
    record["gain_over_reference"] = ref.cost / chosen->cost;
  result->getAsObject()->insert({"hardware_search", std::move(record)});
  if (llvm::Error e = writeFileAtomically(
          hwOut, [&](llvm::raw_ostream &os) { os << chosen->point.json; }))
    return fail(llvm::toString(std::move(e)));
  if (llvm::Error e = writeFileAtomically(o.output, [&](llvm::raw_ostream &os) {
        os << llvm::formatv("{0:2}", *result) << "\n";
      }))
    return fail(llvm::toString(std::move(e)));

  const char *costLabel = o.objective == "energy" ? "energy (pJ)"
                          : o.objective == "edp"  ? "EDP"
                                                  : "cycles";
  if (!o.pareto.empty()) {
    auto plotPoint = [](const Outcome &out) {
      return HardwarePlotPoint{out.point.areaMm2, out.cost, plotLabel(out)};
    };
    std::vector<HardwarePlotPoint> all, frontPoints;
    for (const Outcome *out : measured)
      all.push_back(plotPoint(*out));
    for (const Outcome *out : front)
      frontPoints.push_back(plotPoint(*out));
    HardwarePlotPoint refPoint = plotPoint(ref);
    if (llvm::Error e =
            writeFileAtomically(o.pareto, [&](llvm::raw_ostream &os) {
              os << hardwareSvg(all, frontPoints, refOk ? &refPoint : nullptr,
                                plotPoint(*chosen), budget, costLabel);
            }))
      return fail(llvm::toString(std::move(e)));
  }

  // The table: the reference, the front and the winner.
  bool labelled = chosen->measured.top1 >= 0;
  table << llvm::formatv("{0,-10} {1,9} {2,12} {3,12} {4,8} {5,9}{6}  {7}\n",
                         "hardware", "area mm2", "cycles", "energy (uJ)",
                         "SQNR dB", "agreement", labelled ? "    top-1" : "",
                         "settings");
  auto row = [&](const Outcome &out, StringRef mark) {
    const ModelResult &r = out.measured;
    table << llvm::formatv(
        "{0,-10} {1,9:f3} {2,12} {3,12:f3} {4,8:f2} {5,9:f3}{6}  {7}{8}\n",
        out.point.id, out.point.areaMm2, uint64_t(r.cycles), r.energyPj * 1e-6,
        r.sqnrDb, r.agreement,
        labelled ? llvm::formatv(" {0,7:f2}%", 100 * r.top1).str()
                 : std::string(),
        out.point.settings.empty() ? "(base)" : out.point.settings, mark);
  };
  if (refOk)
    row(ref, "");
  for (const Outcome *out : front)
    if (out != &ref)
      row(*out, out == chosen ? "  <- chosen" : "  (front)");
  if (!llvm::is_contained(front, chosen))
    row(*chosen, "  <- chosen");
  table << llvm::formatv("chosen {0} at {1:f3} of {2:f3} mm^2",
                         chosen->point.id, chosen->point.areaMm2, budget);
  if (refOk)
    table << llvm::formatv(": {0:f2}x lower {1} than the reference '{2}'",
                           ref.cost / chosen->cost, costLabel, base->name);
  else
    table << "; the reference gave no result: " << ref.message;
  table << "\n"
        << llvm::formatv("{0} of {1} points measured; description "
                         "in {2}\n",
                         measured.size(), outcomes.size(), hwOut);
  return success();
}
