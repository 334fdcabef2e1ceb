//===- Problem.cpp - configurations, predictions and optimisers -----------===//
#include "escalate/Search/Search.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <cmath>

using namespace escalate;
using namespace escalate::search;

llvm::json::Object Option::toJson() const {
  return llvm::json::Object{{"bases", bases},
                            {"sparsity", sparsity},
                            {"basis_bits", basisBits},
                            {"coef_bits", coefBits}};
}

std::string Option::describe() const {
  return llvm::formatv("M={0} s={1} b{2}/c{3}", bases, sparsity, basisBits,
                       coefBits);
}

static const Measure &measureOf(const Layer &l, size_t option) {
  return *l.measures[option];
}

double search::totalCycles(const Problem &p, const Config &c) {
  double sum = p.fixedCycles;
  for (size_t i = 0; i < p.layers.size(); ++i)
    sum += measureOf(p.layers[i], c[i]).cycles;
  return sum;
}

double search::totalEnergyPj(const Problem &p, const Config &c) {
  double sum = p.fixedEnergyPj;
  for (size_t i = 0; i < p.layers.size(); ++i)
    sum += measureOf(p.layers[i], c[i]).energyPj;
  return sum;
}

double search::cost(const Problem &p, const Config &c) {
  switch (p.objective) {
  case Objective::Cycles:
    return totalCycles(p, c);
  case Objective::Energy:
    return totalEnergyPj(p, c);
  case Objective::Edp:
    return totalCycles(p, c) * totalEnergyPj(p, c);
  }
  return 0;
}

/// The layers' contribution to the output noise above the baseline's.
static double addedNoise(const Layer &l, size_t option) {
  return l.gain * (measureOf(l, option).error - measureOf(l, l.base).error);
}

static double sqnrOf(const Problem &p, double noise) {
  return 10 * std::log10(p.signal / std::max(noise, p.signal * 1e-30));
}

double search::predictedSqnr(const Problem &p, const Config &c) {
  double noise = p.baseNoise;
  for (size_t i = 0; i < p.layers.size(); ++i)
    noise += addedNoise(p.layers[i], c[i]);
  return sqnrOf(p, noise);
}

Config search::baseConfig(const Problem &p) {
  Config c;
  for (const Layer &l : p.layers)
    c.push_back(l.base);
  return c;
}

static Point pointOf(const Problem &p, const Config &c) {
  return {cost(p, c), predictedSqnr(p, c), c};
}

Config search::greedy(const Problem &p, double targetDb,
                      std::vector<Point> &visited) {
  Config c = baseConfig(p);
  visited.push_back(pointOf(p, c));
  // Noise may grow to this before the prediction drops below the target.
  double allowed = p.signal / std::pow(10.0, targetDb / 10);
  double noise = p.baseNoise;
  for (;;) {
    double before = cost(p, c), bestRatio = 0;
    std::optional<std::pair<size_t, size_t>> best;
    for (size_t i = 0; i < p.layers.size(); ++i) {
      const Layer &l = p.layers[i];
      for (size_t o = 0; o < l.options.size(); ++o) {
        if (o == c[i] || !l.measures[o])
          continue;
        double extra = addedNoise(l, o) - addedNoise(l, c[i]);
        if (noise + extra > allowed)
          continue;
        Config next = c;
        next[i] = o;
        double saved = before - cost(p, next);
        if (saved <= 0)
          continue;
        // Cost saved per unit of noise added; free improvements first.
        double ratio = saved / std::max(extra, 1e-30 * p.signal);
        if (!best || ratio > bestRatio) {
          best = {i, o};
          bestRatio = ratio;
        }
      }
    }
    if (!best)
      return c;
    noise += addedNoise(p.layers[best->first], best->second) -
             addedNoise(p.layers[best->first], c[best->first]);
    c[best->first] = best->second;
    visited.push_back(pointOf(p, c));
  }
}

Config search::anneal(const Problem &p, double targetDb, const Config &start,
                      unsigned iterations, uint64_t seed,
                      std::vector<Point> &visited) {
  std::mt19937_64 rng(seed);
  Config c = start, best = start;
  double current = cost(p, c), bestCost = current;
  // Start hot enough to accept a 5% worse cost about a third of the time.
  double temperature = 0.05 * current, cooling = 0;
  if (iterations)
    cooling = std::pow(1e-3, 1.0 / iterations);
  std::uniform_real_distribution<double> unit(0, 1);
  for (unsigned it = 0; it < iterations && !p.layers.empty(); ++it) {
    size_t i = rng() % p.layers.size();
    const Layer &l = p.layers[i];
    size_t o = rng() % l.options.size();
    if (o == c[i] || !l.measures[o])
      continue;
    Config next = c;
    next[i] = o;
    if (predictedSqnr(p, next) < targetDb)
      continue;
    double candidate = cost(p, next);
    if (candidate <= current ||
        unit(rng) < std::exp((current - candidate) / temperature)) {
      c = std::move(next);
      current = candidate;
      if (it % 16 == 0)
        visited.push_back(pointOf(p, c));
      if (current < bestCost) {
        best = c;
        bestCost = current;
      }
    }
    temperature *= cooling;
  }
  visited.push_back(pointOf(p, best));
  return best;
}

std::optional<Config> search::bestUniform(const Problem &p, double targetDb) {
  if (p.layers.empty())
    return std::nullopt;
  std::optional<Config> best;
  double bestCost = 0;
  // Uniform: the same sparsity and widths everywhere, and the same number of
  // bases (capped at each layer's kernel size).
  for (const Option &want : p.layers.front().options) {
    Config c;
    for (const Layer &l : p.layers) {
      auto it = llvm::find_if(l.options, [&](const Option &o) {
        return o.bases == std::min(want.bases, l.kernelSize) &&
               o.sparsity == want.sparsity && o.basisBits == want.basisBits &&
               o.coefBits == want.coefBits;
      });
      size_t o = it - l.options.begin();
      if (it == l.options.end() || !l.measures[o])
        break;
      c.push_back(o);
    }
    if (c.size() != p.layers.size() || predictedSqnr(p, c) < targetDb)
      continue;
    double value = cost(p, c);
    if (!best || value < bestCost) {
      best = c;
      bestCost = value;
    }
  }
  return best;
}

std::vector<Point> search::paretoFront(std::vector<Point> points) {
  std::sort(points.begin(), points.end(), [](const Point &a, const Point &b) {
    return a.cost < b.cost || (a.cost == b.cost && a.sqnrDb > b.sqnrDb);
  });
  std::vector<Point> front;
  for (Point &pt : points)
    if (front.empty() || pt.sqnrDb > front.back().sqnrDb)
      front.push_back(std::move(pt));
  return front;
}

llvm::json::Object search::configJson(const Problem &p, const Config &c) {
  llvm::json::Object layers;
  for (size_t i = 0; i < p.layers.size(); ++i)
    layers[p.layers[i].name] = p.layers[i].options[c[i]].toJson();
  return llvm::json::Object{{"layers", std::move(layers)}};
}
