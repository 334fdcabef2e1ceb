//===- ProblemTest.cpp - predictions and optimisers of the search ---------===//
#include "escalate/Search/Search.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <cmath>

using namespace escalate::search;

namespace {
/// Three layers of four options each: cheaper options are noisier. Option 0
/// is the most accurate (the baseline).
Problem threeLayers() {
  Problem p;
  p.objective = Objective::Cycles;
  p.signal = 1.0;
  p.baseNoise = 1e-4; // 40 dB
  p.fixedCycles = 1000;
  const double cycles[3][4] = {
      {900, 600, 400, 300}, {2000, 1500, 700, 650}, {500, 450, 200, 100}};
  const double error[3][4] = {
      {0, 1e-5, 4e-5, 2e-4}, {0, 2e-5, 1e-4, 5e-4}, {0, 1e-6, 3e-5, 1e-3}};
  for (int l = 0; l < 3; ++l) {
    Layer layer;
    layer.name = "layer" + std::to_string(l);
    layer.kernelSize = 9;
    for (int o = 0; o < 4; ++o) {
      layer.options.push_back({9 - 2 * o, 0.2 * o, 8, 8});
      layer.measures.push_back(Measure{cycles[l][o], 0, error[l][o]});
    }
    layer.gain = 1.0 + l;
    layer.base = 0;
    p.layers.push_back(layer);
  }
  return p;
}

/// The cheapest configuration meeting the target, by trying all 64.
double bruteForceBest(const Problem &p, double targetDb) {
  double best = INFINITY;
  for (size_t a = 0; a < 4; ++a)
    for (size_t b = 0; b < 4; ++b)
      for (size_t c = 0; c < 4; ++c) {
        Config config{a, b, c};
        if (predictedSqnr(p, config) >= targetDb)
          best = std::min(best, cost(p, config));
      }
  return best;
}

TEST(Problem, PredictionsAddUp) {
  Problem p = threeLayers();
  Config base = baseConfig(p);
  EXPECT_EQ(base, (Config{0, 0, 0}));
  EXPECT_DOUBLE_EQ(totalCycles(p, base), 1000 + 900 + 2000 + 500);
  EXPECT_NEAR(predictedSqnr(p, base), 40.0, 1e-9);
  // Layer 1's option 1 adds gain 2 x 2e-5 of noise to the baseline's 1e-4.
  EXPECT_NEAR(predictedSqnr(p, Config{0, 1, 0}),
              10 * std::log10(1.0 / (1e-4 + 4e-5)), 1e-9);
}

/// Greedy and annealing stay within the target, never cost more than the
/// baseline, and annealing from the greedy result does not lose ground.
/// Both come within 10% of the exhaustive optimum on this problem.
TEST(Problem, OptimisersMeetTheTarget) {
  Problem p = threeLayers();
  for (double target : {39.5, 38.0, 36.0, 33.0}) {
    std::vector<Point> visited;
    Config g = greedy(p, target, visited);
    Config a = anneal(p, target, g, 2000, 1, visited);
    double optimum = bruteForceBest(p, target);
    EXPECT_GE(predictedSqnr(p, g), target - 1e-9) << target;
    EXPECT_GE(predictedSqnr(p, a), target - 1e-9) << target;
    EXPECT_LE(cost(p, g), cost(p, baseConfig(p))) << target;
    EXPECT_LE(cost(p, a), cost(p, g)) << target;
    EXPECT_GE(cost(p, a), optimum) << target;
    EXPECT_LE(cost(p, a), 1.1 * optimum) << target;
  }
}

/// The front keeps exactly the points no other visited point dominates,
/// cheapest first.
TEST(Problem, ParetoFrontIsTheNonDominatedSet) {
  Problem p = threeLayers();
  std::vector<Point> visited;
  Config g = greedy(p, 33.0, visited);
  (void)anneal(p, 33.0, g, 500, 3, visited);
  std::vector<Point> front = paretoFront(visited);
  ASSERT_FALSE(front.empty());
  for (size_t i = 1; i < front.size(); ++i) {
    EXPECT_LT(front[i - 1].cost, front[i].cost);
    EXPECT_LT(front[i - 1].sqnrDb, front[i].sqnrDb);
  }
  for (const Point &f : front)
    for (const Point &v : visited)
      EXPECT_FALSE(v.cost <= f.cost && v.sqnrDb >= f.sqnrDb &&
                   (v.cost < f.cost || v.sqnrDb > f.sqnrDb))
          << "a visited point dominates the front";
}

/// The chosen configuration is written as escalate-compile --config JSON,
/// naming every layer with its option.
TEST(Problem, ConfigJsonNamesEveryLayer) {
  Problem p = threeLayers();
  llvm::json::Object o = configJson(p, Config{0, 2, 3});
  const llvm::json::Object *layers = o.getObject("layers");
  ASSERT_TRUE(layers);
  ASSERT_EQ(layers->size(), 3u);
  const llvm::json::Object *l1 = layers->getObject("layer1");
  ASSERT_TRUE(l1);
  EXPECT_EQ(l1->getInteger("bases"), std::optional<int64_t>(5));
  EXPECT_EQ(l1->getNumber("sparsity"), std::optional<double>(0.4));
}
} // namespace

TEST(ParetoPlot, TicksDifferAndMarksGoToALegend) {
  // Costs 0.9% apart printed "2.14e+04" at both ends of the axis.
  std::vector<Point> front = {{21400, 30.0, {}}, {21500, 31.0, {}},
                              {21600, 31.5, {}}};
  std::vector<std::pair<std::string, Point>> marks = {
      {"baseline", {21600, 31.5, {}}}, {"chosen (greedy)", {21500, 31.0, {}}}};
  std::string svg = paretoSvg(front, marks, "cycles");
  std::vector<std::string> labels;
  for (size_t at = svg.find("text-anchor=\"middle\">");
       at != std::string::npos;
       at = svg.find("text-anchor=\"middle\">", at + 1)) {
    size_t start = svg.find('>', at) + 1;
    labels.push_back(svg.substr(start, svg.find('<', start) - start));
  }
  // The two axis titles, then the x tick labels: at least three, all
  // different.
  ASSERT_GE(labels.size(), 5u);
  std::vector<std::string> ticks(labels.begin() + 2, labels.end());
  std::sort(ticks.begin(), ticks.end());
  EXPECT_EQ(std::unique(ticks.begin(), ticks.end()), ticks.end());
  EXPECT_NE(svg.find(">21,500<"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">Pareto front (3 points)<"), std::string::npos);
  EXPECT_NE(svg.find(">chosen (greedy)<"), std::string::npos);
}
