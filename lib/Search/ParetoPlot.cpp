//===- ParetoPlot.cpp - the search's Pareto front as an SVG plot ----------===//
#include "escalate/Search/Search.h"
#include "escalate/Support/Tool.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <cmath>

using namespace escalate;
using namespace escalate::search;

namespace {
/// About five round tick values (1, 2 or 5 times a power of ten apart)
/// covering [lo, hi].
std::vector<double> niceTicks(double lo, double hi) {
  double raw = (hi - lo) / 4, mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag * (raw / mag < 1.5 ? 1 : raw / mag < 3.5 ? 2 : 5);
  std::vector<double> ticks;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9;
       t += step)
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

/// A tick label with as many digits as the step needs, so that neighbours
/// never print alike ("21,400" and "21,600", not "2.14e+04" twice).
std::string tickLabel(double v, double step) {
  if (std::fabs(v) >= 1e6 && step >= 1e5)
    return llvm::formatv("{0}", llvm::format("%g", v)).str();
  int decimals = step >= 1 ? 0 : int(std::ceil(-std::log10(step)));
  std::string digits = llvm::formatv("{0}", llvm::format("%.*f", decimals,
                                                         std::fabs(v)))
                           .str();
  // Thousands separators on the integer part.
  size_t point = digits.find('.');
  return (v < 0 ? "-" : "") +
         tool::groupThousands(llvm::StringRef(digits).take_front(point)) +
         (point == std::string::npos ? "" : digits.substr(point));
}

/// A plot's frame: the data ranges (padded by 5% so the extreme points stay
/// off the axes), their mapping to the canvas, and the axes with ticks.
class Frame {
public:
  static constexpr double W = 640, H = 420, L = 80, R = 20, T = 20, B = 50;

  void extend(double x, double y) {
    x0 = std::min(x0, x), x1 = std::max(x1, x);
    y0 = std::min(y0, y), y1 = std::max(y1, y);
  }
  /// Pads the ranges; `minYPad` keeps a flat series readable.
  void pad(double minYPad) {
    double xPad = std::max((x1 - x0) * 0.05, std::fabs(x0) * 1e-3 + 1e-9);
    double yPad = std::max((y1 - y0) * 0.05, minYPad);
    x0 -= xPad, x1 += xPad, y0 -= yPad, y1 += yPad;
  }
  double x(double v) const { return L + (v - x0) / (x1 - x0) * (W - L - R); }
  double y(double v) const {
    return H - B - (v - y0) / (y1 - y0) * (H - T - B);
  }
  /// The SVG header, the axes, their labels and ticks.
  std::string begin(llvm::StringRef xLabel, llvm::StringRef yLabel) const {
    std::string svg = llvm::formatv(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" "
        "height=\"{1}\" font-family=\"sans-serif\" font-size=\"12\">\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        "<line x1=\"{2}\" y1=\"{3}\" x2=\"{4}\" y2=\"{3}\" "
        "stroke=\"black\"/>\n"
        "<line x1=\"{2}\" y1=\"{5}\" x2=\"{2}\" y2=\"{3}\" "
        "stroke=\"black\"/>\n"
        "<text x=\"{6}\" y=\"{7}\" text-anchor=\"middle\">{8}</text>\n"
        "<text x=\"15\" y=\"{9}\" transform=\"rotate(-90 15 {9})\" "
        "text-anchor=\"middle\">{10}</text>\n",
        W, H, L, H - B, W - R, T, (L + W - R) / 2, H - 12, xLabel,
        (T + H - B) / 2, yLabel);
    std::vector<double> xTicks = niceTicks(x0, x1), yTicks = niceTicks(y0, y1);
    double xStep = xTicks.size() > 1 ? xTicks[1] - xTicks[0] : 1;
    double yStep = yTicks.size() > 1 ? yTicks[1] - yTicks[0] : 1;
    for (double v : xTicks)
      svg += llvm::formatv("<line x1=\"{0:f1}\" y1=\"{1}\" x2=\"{0:f1}\" "
                           "y2=\"{2}\" stroke=\"black\"/>\n<text "
                           "x=\"{0:f1}\" y=\"{3}\" "
                           "text-anchor=\"middle\">{4}</text>\n",
                           x(v), H - B, H - B + 4, H - B + 17,
                           tickLabel(v, xStep));
    for (double v : yTicks)
      svg +=
          llvm::formatv("<line x1=\"{0}\" y1=\"{1:f1}\" x2=\"{2}\" "
                        "y2=\"{1:f1}\" stroke=\"black\"/>\n<text "
                        "x=\"{3}\" y=\"{4:f1}\" "
                        "text-anchor=\"end\">{5}</text>\n",
                        L - 4, y(v), L, L - 6, y(v) + 4, tickLabel(v, yStep));
    return svg;
  }
  /// A legend entry at row `row` (0 is the first), top right.
  std::string legend(unsigned row, llvm::StringRef color, double radius,
                     llvm::StringRef text) const {
    double lx = W - R - 190, ly = T + 8 + 16 * row;
    return llvm::formatv("<circle cx=\"{0}\" cy=\"{1}\" r=\"{2}\" "
                         "fill=\"{3}\"/><text x=\"{4}\" y=\"{5}\">{6}"
                         "</text>\n",
                         lx, ly, radius, color, lx + 10, ly + 4, text);
  }
  /// A polyline through the given points.
  template <typename Points, typename X, typename Y>
  std::string line(const Points &pts, X px, Y py) const {
    std::string path;
    for (const auto &pt : pts)
      path += llvm::formatv("{0}{1:f1},{2:f1} ", path.empty() ? "M" : "L",
                            x(px(pt)), y(py(pt)));
    return "<path d=\"" + path + "\" fill=\"none\" stroke=\"steelblue\"/>\n";
  }
  std::string dot(double vx, double vy, double radius, llvm::StringRef color,
                  double opacity = 1) const {
    return llvm::formatv("<circle cx=\"{0:f1}\" cy=\"{1:f1}\" r=\"{2}\" "
                         "fill=\"{3}\" fill-opacity=\"{4}\"/>\n",
                         x(vx), y(vy), radius, color, opacity);
  }

  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
};

const char *kMarkColors[] = {"crimson", "darkorange", "seagreen", "purple"};
} // namespace

std::string
search::paretoSvg(const std::vector<Point> &front,
                  const std::vector<std::pair<std::string, Point>> &marks,
                  llvm::StringRef costLabel) {
  Frame f;
  for (const Point &pt : front)
    f.extend(pt.cost, pt.sqnrDb);
  for (const auto &m : marks)
    f.extend(m.second.cost, m.second.sqnrDb);
  f.pad(0.5);
  std::string svg = f.begin((costLabel + " (lower is better)").str(),
                            "predicted output SQNR (dB)");
  svg += f.line(
      front, [](const Point &p) { return p.cost; },
      [](const Point &p) { return p.sqnrDb; });
  for (const Point &pt : front)
    svg += f.dot(pt.cost, pt.sqnrDb, 2.5, "steelblue");
  // The marks are named in a legend (labels beside close points overlap).
  svg +=
      f.legend(0, "steelblue", 2.5,
               llvm::formatv("Pareto front ({0} points)", front.size()).str());
  for (size_t i = 0; i < marks.size(); ++i) {
    svg += f.dot(marks[i].second.cost, marks[i].second.sqnrDb, 5,
                 kMarkColors[i % 4], 0.8);
    svg += f.legend(i + 1, kMarkColors[i % 4], 5, marks[i].first);
  }
  return svg + "</svg>\n";
}

std::string search::hardwareSvg(const std::vector<HardwarePlotPoint> &points,
                                const std::vector<HardwarePlotPoint> &front,
                                const HardwarePlotPoint *reference,
                                const HardwarePlotPoint &chosen,
                                double budgetMm2, llvm::StringRef costLabel) {
  Frame f;
  for (const HardwarePlotPoint &p : points)
    f.extend(p.areaMm2, p.cost);
  f.extend(budgetMm2, chosen.cost);
  f.pad(std::fabs(chosen.cost) * 1e-3 + 1e-9);
  std::string svg =
      f.begin("area (mm^2)", (costLabel + " (lower is better)").str());
  svg += llvm::formatv("<line x1=\"{0:f1}\" y1=\"{1}\" x2=\"{0:f1}\" "
                       "y2=\"{2}\" stroke=\"gray\" "
                       "stroke-dasharray=\"4 3\"/>\n",
                       f.x(budgetMm2), Frame::T, Frame::H - Frame::B);
  for (const HardwarePlotPoint &p : points)
    svg += f.dot(p.areaMm2, p.cost, 2, "gray", 0.6);
  svg += f.line(
      front, [](const HardwarePlotPoint &p) { return p.areaMm2; },
      [](const HardwarePlotPoint &p) { return p.cost; });
  // The front's points carry their accuracy: a co-search trades area,
  // cost and accuracy at once. A label that would overlap one already
  // drawn is left out (the JSON has every point).
  std::vector<std::pair<double, double>> placed; // left, baseline
  for (const HardwarePlotPoint &p : front) {
    svg += f.dot(p.areaMm2, p.cost, 3, "steelblue");
    double lx = f.x(p.areaMm2) + 5, ly = f.y(p.cost) - 5;
    double width = 5.5 * p.label.size();
    if (llvm::any_of(placed, [&](const std::pair<double, double> &q) {
          return std::fabs(q.first - lx) < width &&
                 std::fabs(q.second - ly) < 12;
        }))
      continue;
    placed.push_back({lx, ly});
    svg += llvm::formatv("<text x=\"{0:f1}\" y=\"{1:f1}\" "
                         "font-size=\"10\">{2}</text>\n",
                         lx, ly, p.label);
  }
  unsigned row = 0;
  svg += f.legend(row++, "gray", 2,
                  llvm::formatv("measured ({0} points)", points.size()).str());
  svg += f.legend(row++, "steelblue", 3,
                  llvm::formatv("Pareto front ({0})", front.size()).str());
  if (reference) {
    svg += f.dot(reference->areaMm2, reference->cost, 5, kMarkColors[0], 0.8);
    svg += f.legend(row++, kMarkColors[0], 5, "reference");
  }
  svg += f.dot(chosen.areaMm2, chosen.cost, 5, kMarkColors[1], 0.8);
  svg += f.legend(row++, kMarkColors[1], 5, "chosen " + chosen.label);
  return svg + "</svg>\n";
}
