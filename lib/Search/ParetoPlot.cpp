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
} // namespace

std::string
search::paretoSvg(const std::vector<Point> &front,
                  const std::vector<std::pair<std::string, Point>> &marks,
                  llvm::StringRef costLabel) {
  constexpr double W = 640, H = 420, L = 80, R = 20, T = 20, B = 50;
  double c0 = 1e300, c1 = -1e300, s0 = 1e300, s1 = -1e300;
  auto extend = [&](const Point &pt) {
    c0 = std::min(c0, pt.cost);
    c1 = std::max(c1, pt.cost);
    s0 = std::min(s0, pt.sqnrDb);
    s1 = std::max(s1, pt.sqnrDb);
  };
  for (const Point &pt : front)
    extend(pt);
  for (const auto &m : marks)
    extend(m.second);
  // A margin of 5% keeps the extreme points off the axes.
  double cPad = std::max((c1 - c0) * 0.05, std::fabs(c0) * 1e-3 + 1e-9);
  double sPad = std::max((s1 - s0) * 0.05, 0.5);
  c0 -= cPad, c1 += cPad, s0 -= sPad, s1 += sPad;
  auto x = [&](double c) { return L + (c - c0) / (c1 - c0) * (W - L - R); };
  auto y = [&](double s) { return H - B - (s - s0) / (s1 - s0) * (H - T - B); };
  std::string svg = llvm::formatv(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" "
      "height=\"{1}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<line x1=\"{2}\" y1=\"{3}\" x2=\"{4}\" y2=\"{3}\" stroke=\"black\"/>\n"
      "<line x1=\"{2}\" y1=\"{5}\" x2=\"{2}\" y2=\"{3}\" stroke=\"black\"/>\n"
      "<text x=\"{6}\" y=\"{7}\" text-anchor=\"middle\">{8} (lower is "
      "better)</text>\n"
      "<text x=\"15\" y=\"{9}\" transform=\"rotate(-90 15 {9})\" "
      "text-anchor=\"middle\">predicted output SQNR (dB)</text>\n",
      W, H, L, H - B, W - R, T, (L + W - R) / 2, H - 12, costLabel,
      (T + H - B) / 2);
  std::vector<double> cTicks = niceTicks(c0, c1), sTicks = niceTicks(s0, s1);
  double cStep = cTicks.size() > 1 ? cTicks[1] - cTicks[0] : 1;
  double sStep = sTicks.size() > 1 ? sTicks[1] - sTicks[0] : 1;
  for (double c : cTicks)
    svg += llvm::formatv("<line x1=\"{0:f1}\" y1=\"{1}\" x2=\"{0:f1}\" "
                         "y2=\"{2}\" stroke=\"black\"/>\n<text x=\"{0:f1}\" "
                         "y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                         x(c), H - B, H - B + 4, H - B + 17,
                         tickLabel(c, cStep));
  for (double s : sTicks)
    svg += llvm::formatv("<line x1=\"{0}\" y1=\"{1:f1}\" x2=\"{2}\" "
                         "y2=\"{1:f1}\" stroke=\"black\"/>\n<text x=\"{3}\" "
                         "y=\"{4:f1}\" text-anchor=\"end\">{5}</text>\n",
                         L - 4, y(s), L, L - 6, y(s) + 4,
                         tickLabel(s, sStep));
  std::string path;
  for (const Point &pt : front)
    path += llvm::formatv("{0}{1:f1},{2:f1} ", path.empty() ? "M" : "L",
                          x(pt.cost), y(pt.sqnrDb));
  svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"steelblue\"/>\n";
  for (const Point &pt : front)
    svg += llvm::formatv("<circle cx=\"{0:f1}\" cy=\"{1:f1}\" r=\"2.5\" "
                         "fill=\"steelblue\"/>\n",
                         x(pt.cost), y(pt.sqnrDb));
  // The marks are named in a legend (labels beside close points overlap).
  const char *colors[] = {"crimson", "darkorange", "seagreen", "purple"};
  double legendX = W - R - 190, legendY = T + 8;
  svg += llvm::formatv("<circle cx=\"{0}\" cy=\"{1}\" r=\"2.5\" "
                       "fill=\"steelblue\"/><text x=\"{2}\" y=\"{3}\">Pareto "
                       "front ({4} points)</text>\n",
                       legendX, legendY, legendX + 10, legendY + 4,
                       front.size());
  for (size_t i = 0; i < marks.size(); ++i) {
    const Point &pt = marks[i].second;
    double ly = legendY + 16 * (i + 1);
    svg += llvm::formatv(
        "<circle cx=\"{0:f1}\" cy=\"{1:f1}\" r=\"5\" fill=\"{2}\" "
        "fill-opacity=\"0.8\"/>\n<circle cx=\"{3}\" cy=\"{4}\" r=\"5\" "
        "fill=\"{2}\"/><text x=\"{5}\" y=\"{6}\">{7}</text>\n",
        x(pt.cost), y(pt.sqnrDb), colors[i % 4], legendX, ly, legendX + 10,
        ly + 4, marks[i].first);
  }
  return svg + "</svg>\n";
}
