"""python -m escalate.report RUN.json... [-o REPORT.html] [--title T] [--label NAME]...

Writes a self-contained HTML report (inline SVG, no scripts, no external
files) of one run or several side by side. Each file is one of:

- an `escalate-sim --stats` file (or `Stats.save`): totals, cycles per
  layer against the roofline bound, energy by kind, a roofline plot
  (operational intensity against attained MACs per cycle, under the
  hardware's compute and bandwidth roofs) and the units' utilization.
  Several runs are compared layer by layer, with speedups and energy ratios
  against the first.
- an `escalate-compile --report` file: the settings each layer got (kind,
  weights kept, tile) and the compiler's estimates.
- an `escalate-search` result (`best.json`): the settings per layer, the
  measured and predicted outcome, and the Pareto front.
"""

import argparse
import html
import json
import math
import os
import sys

from escalate import _write_atomically

ENERGY_KINDS = ["mac", "buffer", "dram", "ppu", "host"]
KIND_COLORS = {"mac": "#4e79a7", "buffer": "#f28e2b", "dram": "#e15759",
               "ppu": "#76b7b2", "host": "#59a14f"}
RUN_COLORS = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1",
              "#76b7b2", "#edc948", "#9c755f"]
UNITS = ["basis", "coef", "ppu", "dma", "host"]
FONT = 11
CHAR_W = 7.0  # a generous width of one character at FONT px, sans-serif


def num(v):
    """The one number format of the page: integers and values from 1000 up
    with thousands separators, smaller ones to three significant digits."""
    if v is None:
        return "-"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and
                              abs(v) >= 1000):
        return "{:,}".format(int(v))
    if abs(v) >= 1000:
        return "{:,.0f}".format(v)
    if v == 0:
        return "0"
    return "{:.3g}".format(v)


def _esc(text):
    return html.escape(str(text))


def _text_width(text):
    return CHAR_W * len(str(text))


def _nice_ticks(hi, count=5):
    """Round ticks from 0 to at least `hi`."""
    if hi <= 0:
        return [0, 1]
    raw = hi / count
    mag = 10 ** math.floor(math.log10(raw))
    step = mag * min((m for m in (1, 2, 5, 10) if m * mag >= raw))
    ticks, t = [], 0.0
    while t < hi + step * 1e-9:
        ticks.append(t)
        t += step
    if ticks[-1] < hi:
        ticks.append(t)
    return ticks


def _svg(width, height, body):
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
            'font-family="sans-serif" font-size="%d">\n%s\n</svg>'
            % (width, height, FONT, "\n".join(body)))


def _legend(items, x, y):
    """(label, color) swatches in a row from (x, y); the end x."""
    out = []
    for label, color in items:
        out.append('<rect x="%.1f" y="%.1f" width="10" height="10" fill="%s"/>'
                   '<text x="%.1f" y="%.1f">%s</text>'
                   % (x, y - 9, color, x + 14, y, _esc(label)))
        x += 24 + _text_width(label)
    return out, x


def hbars(names, series, unit, markers=None, stacked=None):
    """Horizontal bars per name: one bar per series (grouped), or, with
    `stacked` = [(part label, color, values per series)], each bar split
    into parts. `markers[s][i]` draws a tick (a roofline bound) on bar i of
    series s. Names are never clipped: the label column fits the longest."""
    label_w = max([_text_width(n) for n in names] + [60]) + 12
    value_w = 90
    plot_w = max(360, 900 - label_w)
    bar_h, gap = 12, 6
    per_row = bar_h * len(series) + gap
    legend_items = ([(p[0], p[1]) for p in stacked] if stacked else
                    [(s[0], s[1]) for s in series])
    top = 34
    height = top + per_row * len(names) + 30
    totals = [max([v for v in s[2] if v is not None], default=0)
              for s in series]
    peak = max(totals + [1e-12])
    ticks = _nice_ticks(peak)
    scale = plot_w / ticks[-1]
    body, _ = _legend(legend_items, label_w, 14)
    if markers:
        body.append('<line x1="%.1f" y1="5" x2="%.1f" y2="15" stroke="#222" '
                    'stroke-width="2"/><text x="%.1f" y="14">roofline bound'
                    '</text>' % (_ + 4, _ + 4, _ + 10))
    axis_y = top + per_row * len(names)
    for t in ticks:
        x = label_w + t * scale
        body.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>'
                    '<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                    % (x, top - 4, x, axis_y, x, axis_y + 14, num(t)))
    body.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                % (label_w + plot_w / 2, axis_y + 28, _esc(unit)))
    for i, name in enumerate(names):
        y0 = top + i * per_row
        body.append('<text class="layer-label" x="%d" y="%.1f" '
                    'text-anchor="end">%s</text>'
                    % (label_w - 6, y0 + bar_h * len(series) / 2 + 4,
                       _esc(name)))
        for s, (label, color, values) in enumerate(series):
            y = y0 + s * bar_h
            v = values[i]
            if v is None:
                continue
            x = label_w
            if stacked:
                for _part, pcolor, parts in stacked:
                    w = parts[s][i] * scale
                    if w > 0:
                        body.append('<rect x="%.1f" y="%d" width="%.1f" '
                                    'height="%d" fill="%s"/>'
                                    % (x, y, w, bar_h - 2, pcolor))
                    x += w
            else:
                w = v * scale
                body.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" '
                            'fill="%s"><title>%s: %s</title></rect>'
                            % (x, y, w, bar_h - 2, color, _esc(label),
                               num(v)))
                x += w
            if markers and markers[s][i] is not None:
                mx = label_w + markers[s][i] * scale
                body.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" '
                            'stroke="#222" stroke-width="2"/>'
                            % (mx, y - 1, mx, y + bar_h - 1))
            body.append('<text x="%.1f" y="%d">%s</text>'
                        % (x + 4, y + bar_h - 3, num(v)))
    width = label_w + plot_w + value_w
    return _svg(width, height + 4, body)


def roofline(runs):
    """Attained MACs per cycle against operational intensity (MACs per DRAM
    byte), log-log, one point per layer and run, under each run's compute
    roofs (all multipliers, and each engine's) and bandwidth roof."""
    points = []
    for r, run in enumerate(runs):
        for l in run.layers:
            dram = l.get("dram_read_bytes", 0) + l.get("dram_write_bytes", 0)
            macs, cycles = l.get("macs_issued", 0), l.get("cycles", 0)
            if macs > 0 and dram > 0 and cycles > 0:
                points.append((r, l["name"], macs / dram, macs / cycles))
    roofs = [run.doc.get("roofs", {}) for run in runs]
    peaks = [(ro.get("basis_macs_per_cycle", 0) +
              ro.get("coef_macs_per_cycle", 0)) for ro in roofs]
    bws = [ro.get("dram_bytes_per_cycle", 0) for ro in roofs]
    if not any(peaks):
        return ("<p>No roofline: the stats have no hardware roofs (written "
                "by an older escalate-sim).</p>")
    if not points:
        return "<p>No layer both computes and moves DRAM data.</p>"
    xs = [p[2] for p in points]
    ys = [p[3] for p in points] + [p for p in peaks if p]
    x0 = 10 ** math.floor(math.log10(min(xs) / 2))
    x1 = 10 ** math.ceil(math.log10(max(xs) * 2))
    y0 = 10 ** math.floor(math.log10(min(ys) / 2))
    y1 = 10 ** math.ceil(math.log10(max(ys) * 2))
    L, R, T, B, W, H = 70, 30, 30, 50, 760, 440

    def px(v):
        return L + (math.log10(v) - math.log10(x0)) / \
            (math.log10(x1) - math.log10(x0)) * (W - L - R)

    def py(v):
        return H - B - (math.log10(v) - math.log10(y0)) / \
            (math.log10(y1) - math.log10(y0)) * (H - T - B)

    body = ['<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
            'stroke="#888"/>' % (L, T, W - L - R, H - T - B)]
    e = math.log10(x0)
    while e <= math.log10(x1) + 1e-9:
        x = px(10 ** e)
        body.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#eee"/>'
                    '<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                    % (x, T, x, H - B, x, H - B + 14, num(10 ** e)))
        e += 1
    e = math.log10(y0)
    while e <= math.log10(y1) + 1e-9:
        y = py(10 ** e)
        body.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eee"/>'
                    '<text x="%d" y="%.1f" text-anchor="end">%s</text>'
                    % (L, y, W - R, y, L - 4, y + 4, num(10 ** e)))
        e += 1
    body.append('<text x="%.1f" y="%d" text-anchor="middle">operational '
                'intensity (MACs per DRAM byte)</text>' % ((L + W - R) / 2,
                                                          H - 14))
    body.append('<text x="16" y="%.1f" transform="rotate(-90 16 %.1f)" '
                'text-anchor="middle">attained MACs per cycle</text>'
                % ((T + H - B) / 2, (T + H - B) / 2))
    # Roofs are drawn once per distinct hardware (runs of one design share
    # them), in grey; the points carry the runs' colours.
    drawn = []
    for r, run in enumerate(runs):
        peak, bw = peaks[r], bws[r]
        key = (run.doc.get("hardware"), peak, bw)
        if not peak or not bw or key in drawn:
            continue
        drawn.append(key)
        shade = ["#333", "#999", "#bbb"][min(len(drawn) - 1, 2)]
        ridge = peak / bw
        xa = max(x0, y0 / bw)
        body.append('<polyline points="%.1f,%.1f %.1f,%.1f %.1f,%.1f" '
                    'fill="none" stroke="%s" stroke-width="1.5"/>'
                    % (px(xa), py(bw * xa), px(min(ridge, x1)),
                       py(min(peak, bw * x1)), px(x1), py(peak), shade))
        body.append('<text x="%d" y="%.1f" text-anchor="end" fill="%s">'
                    '%s: %s MACs/cycle (all multipliers), %s DRAM bytes/cycle'
                    '</text>' % (W - R - 4, py(peak) - 4, shade,
                                 _esc(key[0] or "?"), num(peak), num(bw)))
        for key2, label in (("basis_macs_per_cycle", "basis engine"),
                            ("coef_macs_per_cycle", "coefficient engine")):
            v = roofs[r].get(key2, 0)
            if v and y0 < v < y1 and v != peak:
                body.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" '
                            'stroke="%s" stroke-dasharray="4 3"/>'
                            '<text x="%d" y="%.1f" fill="%s">%s %s</text>'
                            % (L, py(v), W - R, py(v), shade, L + 4,
                               py(v) + 12, shade, label, num(v)))
    legend, _ = _legend([(run.label, RUN_COLORS[r % len(RUN_COLORS)])
                         for r, run in enumerate(runs)], L, 16)
    body += legend
    for r, name, x, y in points:
        body.append('<circle class="roofline-point" cx="%.1f" cy="%.1f" r="4"'
                    ' fill="%s" fill-opacity="0.75"><title>%s (%s): %s MACs/B, '
                    '%s MACs/cycle</title></circle>'
                    % (px(x), py(y), RUN_COLORS[r % len(RUN_COLORS)],
                       _esc(name), _esc(runs[r].label), num(x), num(y)))
    return _svg(W, H, body)


def _table(head, rows, cls):
    return ('<table class="%s"><tr>%s</tr>\n%s</table>'
            % (cls, "".join("<th>%s</th>" % _esc(h) for h in head),
               "\n".join("<tr>%s</tr>" % "".join(
                   "<td>%s</td>" % (c if isinstance(c, str) else num(c))
                   for c in row) for row in rows)))


class Run:
    """One file of the page: its kind, label and layers."""

    def __init__(self, path, doc, label):
        self.path, self.doc, self.label = path, doc, label
        layers = doc.get("layers")
        if "total" in doc and isinstance(layers, list):
            self.kind = "stats"
            # The row of instructions outside any layer says nothing when
            # they did nothing.
            self.layers = [l for l in layers
                           if l.get("name") != "(outside any layer)" or
                           l.get("cycles", 0) > 0]
        elif "instructions" in doc and isinstance(layers, list):
            self.kind = "compile"
            self.layers = layers
        elif "search" in doc and isinstance(layers, dict):
            self.kind = "search"
            self.layers = [dict(name=n, **s) for n, s in layers.items()]
        else:
            raise ValueError("not an escalate-sim --stats file, an "
                             "escalate-compile --report file or an "
                             "escalate-search result")


def _stats_section(runs):
    names = []
    for run in runs:
        for l in run.layers:
            if l["name"] not in names:
                names.append(l["name"])
    by = [{l["name"]: l for l in run.layers} for run in runs]
    get = lambda r, n, key, default=None: by[r].get(n, {}).get(key, default)
    first = runs[0]
    out = []
    # Totals, with ratios against the first run.
    rows = []
    for r, run in enumerate(runs):
        t = run.doc["total"]
        e = t["energy_pj"]["total"]
        t0 = first.doc["total"]
        rows.append([_esc(run.label), _esc(run.doc.get("hardware", "?")),
                     t["cycles"], t.get("time_us", 0), e * 1e-6,
                     t0["cycles"] / t["cycles"] if t["cycles"] else None,
                     t0["energy_pj"]["total"] / e if e else None,
                     t.get("macs_issued", 0), t.get("macs_skipped", 0),
                     t.get("dram_read_bytes", 0) + t.get("dram_write_bytes", 0),
                     100 * t.get("pe_utilization", 0)])
    out.append("<h2>Totals</h2>\n" + _table(
        ["run", "hardware", "cycles", "time (us)", "energy (uJ)",
         "speedup vs %s (x)" % first.label,
         "energy reduction vs %s (x)" % first.label,
         "MACs issued", "MACs skipped", "DRAM bytes", "PE utilization (%)"],
        rows, "totals"))
    series = [(run.label, RUN_COLORS[r % len(RUN_COLORS)],
               [get(r, n, "cycles") for n in names])
              for r, run in enumerate(runs)]
    markers = [[get(r, n, "roofline_cycles") for n in names]
               for r in range(len(runs))]
    out.append("<h2>Cycles per layer</h2>\n" +
               hbars(names, series, "cycles", markers=markers))
    energy = [(run.label, RUN_COLORS[r % len(RUN_COLORS)],
               [None if get(r, n, "energy_pj") is None else
                get(r, n, "energy_pj")["total"] * 1e-6 for n in names])
              for r, run in enumerate(runs)]
    parts = [(kind, KIND_COLORS[kind],
              [[(get(r, n, "energy_pj") or {}).get(kind, 0) * 1e-6
                for n in names] for r in range(len(runs))])
             for kind in ENERGY_KINDS]
    out.append("<h2>Energy per layer (uJ, by kind)</h2>\n" +
               hbars(names, energy, "energy (uJ)", stacked=parts))
    out.append("<h2>Roofline</h2>\n<p>Each point is a layer: its MACs per "
               "byte of DRAM traffic against the MACs per cycle it attained. "
               "The solid line is the run's roof (DRAM bandwidth, then all "
               "multipliers); dashed lines are each engine's peak.</p>\n" +
               roofline(runs))
    head = ["layer"]
    for run in runs:
        head += ["%s cycles" % run.label, "%s of roofline (%%)" % run.label]
    for run in runs[1:]:
        head.append("speedup %s vs %s (x)" % (run.label, first.label))
    for run in runs:
        head += ["%s %s busy (%%)" % (run.label, u) for u in UNITS]
    rows = []
    for n in names:
        row = [_esc(n)]
        for r in range(len(runs)):
            row += [get(r, n, "cycles"),
                    None if get(r, n, "roofline_efficiency") is None else
                    100 * get(r, n, "roofline_efficiency")]
        for r in range(1, len(runs)):
            a, b = get(0, n, "cycles"), get(r, n, "cycles")
            row.append(a / b if a and b else None)
        for r in range(len(runs)):
            units = get(r, n, "units", {})
            row += [100 * units.get(u, {}).get("utilization", 0)
                    if units else None for u in UNITS]
        rows.append(row)
    out.append("<h2>Layers against the roofline</h2>\n<p>A layer's roofline "
               "bound is the largest of its work at each unit's peak rate "
               "and its DRAM traffic at full bandwidth.</p>\n" +
               _table(head, rows, "layers"))
    return "\n".join(out)


def _weights(w):
    if not w:
        return ""
    if "bases" in w:
        return "M=%s, %s%% of coefficients zero" % (
            num(w["bases"]), num(100 * w.get("coefficient_sparsity", 0)))
    if "weight_sparsity" in w:
        return "%s%% of weights zero" % num(100 * w["weight_sparsity"])
    return ""


def _compile_section(run):
    d = run.doc
    rows = []
    for l in run.layers:
        tile = l.get("tile", {})
        rows.append([_esc(l["name"]), _esc(l.get("kind", "")),
                     _esc(_weights(l.get("weights"))),
                     _esc("%sx%s, %s" % (tile.get("rows", "?"),
                                         tile.get("cols", "?"),
                                         tile.get("order", "?"))
                          if tile else ""),
                     l.get("estimated_cycles"), l.get("estimated_dram_bytes"),
                     l.get("constant_bytes")])
    dram = d.get("dram", {})
    return ("<h2>Compile settings: %s</h2>\n<p>hardware <b>%s</b>, %s "
            "instructions, %s bytes of DRAM (%s of constants).</p>\n%s"
            % (_esc(run.label), _esc(d.get("hw", "?")),
               num(d.get("instructions", 0)), num(dram.get("total_bytes", 0)),
               num(dram.get("constant_bytes", 0)),
               _table(["layer", "kind", "weights", "tile", "estimated cycles",
                       "estimated DRAM bytes", "encoded bytes"], rows,
                      "compile")))


def _search_section(run):
    s = run.doc["search"]
    keys = sorted({k for l in run.layers for k in l if k != "name"})
    rows = [[_esc(l["name"])] + [l.get(k) for k in keys] for l in run.layers]
    out = ["<h2>Search result: %s</h2>" % _esc(run.label)]
    facts = []
    for key in ("objective", "budget", "method", "target_sqnr_db",
                "layer_options_measured", "model_verifications"):
        if key in s:
            v = s[key]
            facts.append("%s <b>%s</b>" % (key.replace("_", " "),
                                           _esc(v) if isinstance(v, str)
                                           else num(v)))
    out.append("<p>%s.</p>" % ", ".join(facts))
    for key in ("measured", "baseline", "predicted"):
        if isinstance(s.get(key), dict):
            out.append("<p>%s: %s</p>" % (key, ", ".join(
                "%s %s" % (_esc(k), num(v) if not isinstance(v, str) else
                           _esc(v)) for k, v in sorted(s[key].items())
                if not isinstance(v, (dict, list)))))
    out.append(_table(["layer"] + keys, rows, "search"))
    front = s.get("pareto") or []
    if front:
        names = ["%s dB" % num(p["sqnr_db"]) for p in front]
        out.append("<h3>Pareto front (cost at each predicted SQNR)</h3>\n" +
                   hbars(names, [("cost", RUN_COLORS[0],
                                  [p["cost"] for p in front])],
                         "cost (%s)" % _esc(s.get("objective", "?"))))
    if isinstance(run.doc.get("hardware_search"), dict):
        out.append(_hardware_search(run.doc["hardware_search"]))
    return "\n".join(out)


def _hardware_search(h):
    """A co-search's record (escalate-search --hw-space): the chosen point
    and every point measured, cheapest first."""
    chosen = h.get("chosen", {})
    out = ["<h3>Hardware co-search</h3>",
           "<p>%s mode on <b>%s</b> within %s mm<sup>2</sup>: chosen <b>%s</b>"
           " (%s mm<sup>2</sup>; %s)%s; %s of %s points measured, %s invalid, "
           "%s over the area.</p>" % (
               _esc(h.get("mode", "?")), _esc(h.get("base", "?")),
               num(h.get("budget_area_mm2", 0)), _esc(chosen.get("id", "?")),
               num(chosen.get("area_mm2", 0)),
               _esc(chosen.get("settings", "")),
               ", %sx the reference's cost" % num(h["gain_over_reference"])
               if "gain_over_reference" in h else "",
               num(h.get("points_measured", 0)), num(h.get("space_points", 0)),
               num(h.get("points_invalid", 0)),
               num(h.get("points_over_area", 0)))]
    key = "energy_pj" if h.get("objective") == "energy" else "cycles"
    points = sorted(h.get("points", []), key=lambda p: (
        p.get("status") != "ok", p.get("measured", {}).get(key, 0)))
    rows = [[_esc(p.get("id")), p.get("area_mm2"), _esc(p.get("status")),
             p.get("measured", {}).get("cycles", ""),
             p.get("measured", {}).get("energy_pj", ""),
             p.get("measured", {}).get("sqnr_db", ""),
             _esc(p.get("settings") or p.get("message", ""))]
            for p in points]
    out.append(_table(["point", "area (mm2)", "status", "cycles",
                       "energy (pJ)", "SQNR (dB)", "settings"], rows,
                      "hardware"))
    return "\n".join(out)


STYLE = ("body{font-family:sans-serif;margin:2em;max-width:1400px}"
         "table{border-collapse:collapse;font-size:12px;margin:0.5em 0}"
         "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
         "td:first-child,th:first-child{text-align:left}"
         "svg{display:block;margin:0.5em 0}")


def render(runs, title):
    """The page for a list of Runs, as one HTML string."""
    stats = [r for r in runs if r.kind == "stats"]
    parts = []
    hardware = sorted({r.doc.get("hardware") or r.doc.get("hw")
                       for r in runs if r.kind != "search"} - {None})
    parts.append("<p>%s; hardware %s.</p>" % (
        ", ".join("<b>%s</b> (%s, %s)" % (
            _esc(r.label), {"stats": "simulated", "compile":
                            "compile report", "search": "search result"}[
                r.kind], _esc(os.path.basename(r.path))) for r in runs),
        ", ".join("<b>%s</b>" % _esc(h) for h in hardware) or "not given"))
    if stats:
        parts.append(_stats_section(stats))
    for run in runs:
        if run.kind == "compile":
            parts.append(_compile_section(run))
        elif run.kind == "search":
            parts.append(_search_section(run))
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s"
            "</title><style>%s</style></head><body>\n<h1>%s</h1>\n%s\n"
            "</body></html>\n" % (_esc(title), STYLE, _esc(title),
                                  "\n".join(parts)))


def _default_title(runs):
    hardware = sorted({r.doc.get("hardware") or r.doc.get("hw")
                       for r in runs} - {None})
    return "ESCALATE: %s%s" % (" vs ".join(r.label for r in runs),
                               " on %s" % ", ".join(hardware)
                               if hardware else "")


class _Parser(argparse.ArgumentParser):
    """Usage errors exit with 1, as the tools' invalid input does (2 means a
    threshold missed)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(1, "%s: error: %s\n" % (self.prog, message))


def main(argv=None):
    p = _Parser(prog="python -m escalate.report",
                description=__doc__.splitlines()[0])
    p.add_argument("runs", nargs="+", metavar="RUN.json",
                   help="escalate-sim --stats, escalate-compile --report or "
                        "escalate-search result files")
    p.add_argument("-o", "--output", help="HTML to write (default: the "
                   "first file with .html)")
    p.add_argument("--title", help="heading (default: the runs and their "
                   "hardware)")
    p.add_argument("--label", action="append", default=[],
                   help="name of each run, in order (default: file names)")
    args = p.parse_args(argv)
    if len(args.label) > len(args.runs):
        print("escalate.report: error: %d --label for %d files"
              % (len(args.label), len(args.runs)), file=sys.stderr)
        return 1
    runs = []
    for i, path in enumerate(args.runs):
        label = (args.label[i] if i < len(args.label) else
                 os.path.splitext(os.path.basename(path))[0])
        try:
            with open(path) as f:
                doc = json.load(f)
            if not isinstance(doc, dict):
                raise ValueError("not a JSON object")
            runs.append(Run(path, doc, label))
        except (OSError, ValueError, KeyError, TypeError) as e:
            print("escalate.report: error: %s: %s" % (path, e),
                  file=sys.stderr)
            return 1
    try:
        page = render(runs, args.title or _default_title(runs))
    except KeyError as e:
        print("escalate.report: error: a run lacks the field %s" % e,
              file=sys.stderr)
        return 1
    except (ValueError, TypeError, ZeroDivisionError) as e:
        print("escalate.report: error: %s" % e, file=sys.stderr)
        return 1
    out = args.output or os.path.splitext(args.runs[0])[0] + ".html"
    try:
        _write_atomically(out, page)
    except OSError as e:
        print("escalate.report: error: cannot write %s: %s"
              % (out, e.strerror), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
