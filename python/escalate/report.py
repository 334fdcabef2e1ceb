"""python -m escalate.report STATS.json [-o REPORT.html] [--title TITLE]

Writes a self-contained HTML report (no scripts, no external files) of an
`escalate-sim --stats` file or `Stats.save`: the totals, per-layer cycle
and energy charts as inline SVG, and a table of each layer's cycles against
its roofline bound with the units' utilization.
"""

import argparse
import html
import json
import os
import sys

from escalate import _write_atomically

ENERGY_KINDS = ["mac", "buffer", "dram", "ppu", "host"]
COLORS = {"mac": "#4e79a7", "buffer": "#f28e2b", "dram": "#e15759",
          "ppu": "#76b7b2", "host": "#59a14f", "cycles": "#4e79a7",
          "roofline": "#222"}
UNITS = ["basis", "coef", "ppu", "dma", "host"]


def _bars(layers, width=900, row=18):
    """Per-layer cycles as bars, with each layer's roofline bound marked."""
    label_w, top = 260, 24
    peak = max([l["cycles"] for l in layers] + [1])
    scale = (width - label_w - 70) / peak
    h = top + row * len(layers) + 10
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="11">' % (width, h),
           '<text x="%d" y="14">cycles (bar) and roofline bound (tick)</text>'
           % label_w]
    for i, l in enumerate(layers):
        y = top + i * row
        name = html.escape(l["name"][-40:])
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                   % (label_w - 6, y + 12, name))
        w = l["cycles"] * scale
        out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>'
                   % (label_w, y + 2, w, row - 5, COLORS["cycles"]))
        rx = label_w + l.get("roofline_cycles", 0) * scale
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" '
                   'stroke-width="2"/>' % (rx, y, rx, y + row - 1,
                                           COLORS["roofline"]))
        out.append('<text x="%.1f" y="%d">%d</text>'
                   % (label_w + w + 4, y + 12, l["cycles"]))
    out.append("</svg>")
    return "\n".join(out)


def _energy(layers, width=900, row=18):
    """Per-layer energy, stacked by kind."""
    label_w, top = 260, 24
    totals = [l["energy_pj"]["total"] for l in layers]
    peak = max(totals + [1e-12])
    scale = (width - label_w - 90) / peak
    h = top + row * len(layers) + 10
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="11">' % (width, h)]
    x = label_w
    for kind in ENERGY_KINDS:
        out.append('<rect x="%d" y="4" width="10" height="10" fill="%s"/>'
                   '<text x="%d" y="13">%s</text>'
                   % (x, COLORS[kind], x + 14, kind))
        x += 80
    for i, l in enumerate(layers):
        y = top + i * row
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                   % (label_w - 6, y + 12, html.escape(l["name"][-40:])))
        x = label_w
        for kind in ENERGY_KINDS:
            w = l["energy_pj"].get(kind, 0) * scale
            if w > 0:
                out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" '
                           'fill="%s"/>' % (x, y + 2, w, row - 5,
                                            COLORS[kind]))
            x += w
        out.append('<text x="%.1f" y="%d">%.3g uJ</text>'
                   % (x + 4, y + 12, l["energy_pj"]["total"] * 1e-6))
    out.append("</svg>")
    return "\n".join(out)


def _table(layers):
    head = ("<tr><th>layer</th><th>cycles</th><th>roofline</th>"
            "<th>of roofline</th><th>MACs</th><th>DRAM bytes</th>" +
            "".join("<th>%s busy</th>" % u for u in UNITS) + "</tr>")
    rows = []
    for l in layers:
        units = l.get("units", {})
        rows.append(
            "<tr><td>%s</td><td>%d</td><td>%d</td><td>%.0f%%</td><td>%d</td>"
            "<td>%d</td>%s</tr>" % (
                html.escape(l["name"]), l["cycles"],
                l.get("roofline_cycles", 0),
                100 * l.get("roofline_efficiency", 0),
                l.get("macs_issued", 0),
                l.get("dram_read_bytes", 0) + l.get("dram_write_bytes", 0),
                "".join("<td>%.0f%%</td>" % (
                    100 * units.get(u, {}).get("utilization", 0))
                    for u in UNITS)))
    return "<table>%s%s</table>" % (head, "".join(rows))


def render(stats, title):
    """The report for a stats document, as one HTML string."""
    total = stats["total"]
    layers = stats["layers"]
    energy = total["energy_pj"]
    summary = ("<p>hardware <b>%s</b> at %s MHz: <b>%d cycles</b> (%.1f us), "
               "<b>%.3f uJ</b> (%s); %d MACs issued, %d skipped as zero; PE "
               "utilization %.1f%%.</p>" % (
                   html.escape(str(stats.get("hardware", "?"))),
                   stats.get("clock_mhz", "?"), total["cycles"],
                   total.get("time_us", 0), energy["total"] * 1e-6,
                   ", ".join("%s %.3g" % (k, energy.get(k, 0) * 1e-6)
                             for k in ENERGY_KINDS),
                   total.get("macs_issued", 0), total.get("macs_skipped", 0),
                   100 * total.get("pe_utilization", 0)))
    style = ("body{font-family:sans-serif;margin:2em}table{border-collapse:"
             "collapse;font-size:12px}td,th{border:1px solid #ccc;padding:"
             "2px 6px;text-align:right}td:first-child{text-align:left}")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s"
            "</title><style>%s</style></head><body>\n<h1>%s</h1>\n%s\n"
            "<h2>Cycles per layer</h2>\n%s\n<h2>Energy per layer</h2>\n%s\n"
            "<h2>Utilization against the roofline</h2>\n<p>The roofline bound "
            "of a layer is the larger of its work at the units' peak rates "
            "and its DRAM traffic at full bandwidth.</p>\n%s\n</body></html>\n"
            % (html.escape(title), style, html.escape(title), summary,
               _bars(layers), _energy(layers), _table(layers)))


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m escalate.report",
                                description=__doc__.splitlines()[0])
    p.add_argument("stats", help="escalate-sim --stats JSON")
    p.add_argument("-o", "--output", help="HTML to write (default: "
                   "STATS with .html)")
    p.add_argument("--title", help="heading (default: the stats file name)")
    args = p.parse_args(argv)
    try:
        with open(args.stats) as f:
            stats = json.load(f)
        page = render(stats, args.title or os.path.basename(args.stats))
    except (OSError, ValueError, KeyError, TypeError) as e:
        print("escalate.report: error: %s: %s" % (args.stats, e),
              file=sys.stderr)
        return 1
    out = args.output or os.path.splitext(args.stats)[0] + ".html"
    try:
        _write_atomically(out, page)
    except OSError as e:
        print("escalate.report: error: cannot write %s: %s"
              % (out, e.strerror), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
