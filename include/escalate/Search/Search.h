//===- Search.h - hardware-aware per-layer search (HASS) --------*- C++ -*-===//
//
// escalate-search chooses, for every decomposable convolution, the number of
// bases, the coefficient sparsity and the basis/coefficient widths, asking
// the hardware what each choice costs (HASS, arXiv 2406.03088).
//
// Measurement (Measure.cpp) compiles each layer alone under each option of
// its grid, as the compiler would inside the model: its cycles and energy
// come from simulating that program (data-independent counts), its error
// from running the quantized layer on the layer's recorded calibration
// inputs. A layer's error reaches the model output through a gain measured
// by injecting noise at the layer; the model's predicted noise is the
// quantized baseline's plus each layer's change times its gain.
//
// Optimisation (Problem.cpp) is then table lookups: a greedy global descent
// (each step the single-layer change with the best cost saved per unit of
// predicted noise added), simulated annealing from it, and the best uniform
// configuration for comparison. The tool verifies the winner end to end.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SEARCH_SEARCH_H
#define ESCALATE_SEARCH_SEARCH_H

#include "escalate/Support/Tensor.h"
#include "llvm/Support/JSON.h"
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace escalate::search {

/// One setting of one layer; `bases` equal to the kernel size is lossless.
struct Option {
  int64_t bases = 0;
  double sparsity = 0;
  unsigned basisBits = 8, coefBits = 8;
  /// The layer-config JSON object (escalate-compile --config).
  llvm::json::Object toJson() const;
  std::string describe() const;
};

/// What a layer costs and how wrong it is under one option.
struct Measure {
  double cycles = 0, energyPj = 0;
  /// Mean squared error of the layer's output over its calibration inputs.
  double error = 0;
};

struct Layer {
  std::string name;
  int64_t kernelSize = 0; ///< elements of one kernel (k^2)
  std::vector<Option> options;
  std::vector<std::optional<Measure>> measures;
  /// Model output noise per unit of noise at this layer's output.
  double gain = 0;
  /// Index of the most accurate option (the baseline).
  size_t base = 0;
};

enum class Objective { Cycles, Energy, Edp };

struct Problem {
  std::vector<Layer> layers;
  Objective objective = Objective::Cycles;
  /// Cycles and energy of everything outside the searched layers.
  double fixedCycles = 0, fixedEnergyPj = 0;
  /// Mean square of the float model's outputs, and of the quantized
  /// baseline's error against them.
  double signal = 0, baseNoise = 0;
};

/// An option index per layer.
using Config = std::vector<size_t>;

struct Point {
  double cost = 0, sqnrDb = 0;
  Config config;
};

double totalCycles(const Problem &p, const Config &c);
double totalEnergyPj(const Problem &p, const Config &c);
/// The objective: cycles, energy (pJ), or their product.
double cost(const Problem &p, const Config &c);
/// Predicted output SQNR in dB.
double predictedSqnr(const Problem &p, const Config &c);
/// Every layer at its most accurate option.
Config baseConfig(const Problem &p);

/// Greedy global descent within `targetDb`; every configuration it passes
/// is appended to `visited`.
Config greedy(const Problem &p, double targetDb, std::vector<Point> &visited);
/// Simulated annealing from `start` within `targetDb`.
Config anneal(const Problem &p, double targetDb, const Config &start,
              unsigned iterations, uint64_t seed, std::vector<Point> &visited);
/// The cheapest configuration giving every layer the same option (by
/// bases, sparsity and widths) within `targetDb`, if any.
std::optional<Config> bestUniform(const Problem &p, double targetDb);
/// The non-dominated points (lower cost, higher SQNR), by cost.
std::vector<Point> paretoFront(std::vector<Point> points);

/// `config` as escalate-compile --config JSON: {"layers": {...}}.
llvm::json::Object configJson(const Problem &p, const Config &c);

/// The front as a self-contained SVG plot.
std::string paretoSvg(const std::vector<Point> &front,
                      const std::vector<std::pair<std::string, Point>> &marks,
                      llvm::StringRef costLabel);

/// A hardware point of a co-search, as plotted: its area, its cost and a
/// label (its id and accuracy).
struct HardwarePlotPoint {
  double areaMm2 = 0, cost = 0;
  std::string label;
};
/// Area against cost as a self-contained SVG plot: every point measured,
/// the Pareto front (labelled), the reference and the chosen point marked,
/// the area budget as a vertical line.
std::string hardwareSvg(const std::vector<HardwarePlotPoint> &points,
                        const std::vector<HardwarePlotPoint> &front,
                        const HardwarePlotPoint *reference,
                        const HardwarePlotPoint &chosen, double budgetMm2,
                        llvm::StringRef costLabel);

} // namespace escalate::search

#endif
