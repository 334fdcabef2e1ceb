//===- ParetoPlot.cpp - the search's Pareto front as an SVG plot ----------===//
#include "escalate/Search/Search.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>

using namespace escalate;
using namespace escalate::search;

std::string
search::paretoSvg(const std::vector<Point> &front,
                  const std::vector<std::pair<std::string, Point>> &marks,
                  llvm::StringRef costLabel) {
  constexpr double W = 640, H = 420, L = 70, R = 20, T = 20, B = 50;
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
  if (c1 <= c0)
    c1 = c0 + 1;
  if (s1 <= s0)
    s1 = s0 + 1;
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
      "text-anchor=\"middle\">predicted output SQNR (dB)</text>\n"
      "<text x=\"{2}\" y=\"{10}\">{11:e2}</text>\n"
      "<text x=\"{4}\" y=\"{10}\" text-anchor=\"end\">{12:e2}</text>\n"
      "<text x=\"{13}\" y=\"{3}\" text-anchor=\"end\">{14:f1}</text>\n"
      "<text x=\"{13}\" y=\"{15}\" text-anchor=\"end\">{16:f1}</text>\n",
      W, H, L, H - B, W - R, T, (L + W - R) / 2, H - 12, costLabel,
      (T + H - B) / 2, H - B + 16, c0, c1, L - 4, s0, T + 10, s1);
  std::string path;
  for (const Point &pt : front)
    path += llvm::formatv("{0}{1:f1},{2:f1} ", path.empty() ? "M" : "L",
                          x(pt.cost), y(pt.sqnrDb));
  svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"steelblue\"/>\n";
  for (const Point &pt : front)
    svg += llvm::formatv("<circle cx=\"{0:f1}\" cy=\"{1:f1}\" r=\"2.5\" "
                         "fill=\"steelblue\"/>\n",
                         x(pt.cost), y(pt.sqnrDb));
  const char *colors[] = {"crimson", "darkorange", "seagreen", "purple"};
  for (size_t i = 0; i < marks.size(); ++i) {
    const Point &pt = marks[i].second;
    svg += llvm::formatv(
        "<circle cx=\"{0:f1}\" cy=\"{1:f1}\" r=\"5\" fill=\"{2}\"/>\n"
        "<text x=\"{3:f1}\" y=\"{1:f1}\" fill=\"{2}\">{4}</text>\n",
        x(pt.cost), y(pt.sqnrDb), colors[i % 4], x(pt.cost) + 8,
        marks[i].first);
  }
  return svg + "</svg>\n";
}
