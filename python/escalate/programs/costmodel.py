"""An analytical timing model of conv_layer's programs, written from
docs/isa.md ("Timing") and the hardware description alone.

It shares no code with the simulator or the compiler's list schedule: the
burst count comes from the transfer's byte range, the DMA channels and the
bus from the documented placement rule, the conv from the documented
two-stage pipeline over the coefficient matrix the generator made, and the
order of the program's six kinds of step from their data dependencies. The
simulator is checked against it (bench/costmodel.sh, test/Sim/costmodel.test);
a disagreement is a bug in one of the two or in the documentation.
"""

import json
import math

import numpy as np


def ceil_div(a, b):
    return -(-a // b)


def load_hw(path):
    with open(path) as f:
        return json.load(f)


def stored_entries(matrix, fmt, index_bits):
    """(row, column) of every entry the encoded matrix stores: all of them
    in the dense format, the nonzeros in bitmap, and in delta also the zero
    entries that bridge a gap wider than the index can express."""
    rows, cols = matrix.shape
    if fmt == "dense":
        return [(r, c) for r in range(rows) for c in range(cols)]
    out = []
    limit = (1 << index_bits) - 1
    for r in range(rows):
        prev = -1
        for c in np.flatnonzero(matrix[r]):
            while fmt == "delta" and c - prev - 1 > limit:
                prev += limit + 1
                out.append((r, prev))
            out.append((r, int(c)))
            prev = c
    return out


def conv_cycles(hw, layer):
    """Duration of one conv instruction: the basis engine's per-channel time,
    the coefficient engine's per-channel time, and the two-slot stream
    between them."""
    be, ce = hw["basis_engine"], hw["coef_engine"]
    oh, ow = layer["out_hw"]
    pixels = oh * ow
    taps = layer["k"] ** 2
    m = layer["bases"]
    window = layer["mode"] != "decomposed"
    if window:
        basis = ceil_div(taps, be["lanes_m"]) * ceil_div(pixels, be["lanes_p"])
    else:
        basis = ceil_div(m, be["lanes_m"]) * ceil_div(pixels, be["lanes_p"]) * taps
    cin, cout, groups = layer["cin"], layer["cout"], layer["groups"]
    cpg, opg = cin // groups, cout // groups
    count = {}
    for r, c in stored_entries(layer["coef"], layer["fmt"], layer["index_bits"]):
        count[(r // opg, c)] = count.get((r // opg, c), 0) + 1
    # Channel groups (docs/isa.md): a small tile's pixel lanes split into cg
    # groups, each taking lanes_o other entries of the column.
    cg = 1
    while (2 * cg <= ce.get("channel_groups", 1) and ce["lanes_p"] % (2 * cg) == 0
           and 2 * cg * pixels <= ce["lanes_p"]):
        cg *= 2
    pixel_groups = ceil_div(pixels, ce["lanes_p"] // cg)
    # Time from the first basis step to the last coefficient step, then
    # both pipelines drain.
    basis_done = coef_done = coef_two_back = coef_one_back = 0
    for i in range(cin):
        grp, local = divmod(i, cpg)
        coef = sum(ceil_div(count.get((grp, local * m + j), 0), ce["lanes_o"] * cg)
                   for j in range(m)) * pixel_groups
        basis_done = max(basis_done, coef_two_back) + basis
        coef_done = max(basis_done, coef_one_back) + coef
        coef_two_back, coef_one_back = coef_one_back, coef_done
    return coef_done + be["pipeline_cycles"] + ce["pipeline_cycles"]


class Dma:
    """DMA channels in front of one DRAM bus (docs/isa.md, "Timing")."""

    def __init__(self, hw):
        d = hw["dram"]
        self.latency, self.burst = d["latency_cycles"], d["burst_bytes"]
        self.rate, self.outstanding = d["bytes_per_cycle"], d["outstanding_requests"]
        self.channels = [0] * d["dma_channels"]
        self.bus = 0

    def bursts(self, dram, nbytes):
        return (dram + nbytes - 1) // self.burst - dram // self.burst + 1 if nbytes else 0

    def transfer(self, ready, dram, nbytes):
        """A contiguous transfer that may start at `ready`: (start, end)."""
        start = max(ready, min(self.channels))
        n = self.bursts(dram, nbytes)
        bus = ceil_div(n * self.burst, self.rate)
        data = max(bus, ceil_div(n * self.latency, self.outstanding))
        first = max(start + self.latency, self.bus)
        end = first + data
        self.bus = first + bus
        ch = self.channels.index(min(self.channels))
        self.channels[ch] = max(start + 1, end - self.latency)
        return start, end


def program_cycles(hw, layer):
    """Cycles of conv_layer's whole program: loads, `repeat` convs, requant,
    store, issued in order at most one per cycle."""
    bufs = hw["buffers"]

    def banks(buf, lo, size):
        bank = bufs[buf]["bytes"] // bufs[buf]["banks"]
        return set(range(lo // bank, (lo + max(size, 1) - 1) // bank + 1))

    dma = Dma(hw)
    issue = 0
    load_end = []
    written_ranges = []
    for buf, sram, dram, moved, written in layer["loads"]:
        # A load whose bytes overlap an earlier load's (a padded blob row
        # runs into the next blob) waits for it: write after write.
        ready = max([issue] + [end for b, lo, hi, end in written_ranges
                               if b == buf and lo < sram + written and sram < hi])
        start, end = dma.transfer(ready, dram, moved)
        written_ranges.append((buf, sram, sram + written, end))
        load_end.append((buf, banks(buf, sram, written), end))
        issue = start + 1
    # The conv reads the input, the bases and the encoded matrix; it waits
    # for every load into the banks those occupy (a DMA write to a bank the
    # conv engines read holds them off).
    conv_banks = {"act": banks("act", 0, layer["in_act_bytes"]),
                  "basis": banks("basis", 0, 1),
                  "coef": banks("coef", 0, layer["coef_bytes"])}
    ready = max([issue] + [end for buf, b, end in load_end if b & conv_banks.get(buf, set())])
    duration = conv_cycles(hw, layer)
    conv_end = ready
    for _ in range(layer["repeat"]):
        conv_end = max(conv_end, issue) + duration
        issue = max(issue, conv_end - duration) + 1
    # requant: after the last conv (accumulators) and the parameter load.
    ppu = hw["ppu"]
    oh, ow = layer["out_hw"]
    params_end = load_end[-1][2]
    start = max(issue, conv_end, params_end)
    requant_end = start + ceil_div(layer["cout"] * oh * ow, ppu["lanes"]) + ppu["pipeline_cycles"]
    issue = start + 1
    _, sram, dram, nbytes = layer["store"]
    _, end = dma.transfer(max(issue, requant_end), dram, nbytes)
    return end
