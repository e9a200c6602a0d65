#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Plot `psvm bench map-unmap --json` results as SVG: ops/s against batch size, one line per
engine, one panel per backend (rows) and pattern (columns), for one page size.

    tests/bench/plot.py build/lab/bench.json build/lab/bench.svg [--page-size 4096]
"""
import json
import math
import sys

COLORS = {"ioctl": "#d62728", "coalesce": "#1f77b4", "floor": "#7f7f7f", "uring": "#2ca02c",
          "nested": "#9467bd"}
W, H, PAD = 300, 220, 46


def panel(out, x0, y0, title, series):
    """One log-log panel at (x0, y0): series = {engine: [(batch, ops_per_sec), ...]}."""
    pts = [p for s in series.values() for p in s]
    if not pts:
        return
    bmin, bmax = min(p[0] for p in pts), max(p[0] for p in pts)
    omin, omax = min(p[1] for p in pts), max(p[1] for p in pts)
    lb0, lb1 = math.log10(bmin), math.log10(max(bmax, bmin * 10))
    lo0, lo1 = math.floor(math.log10(omin)), math.ceil(math.log10(omax))
    lo1 = max(lo1, lo0 + 1)

    def sx(b):
        return x0 + PAD + (math.log10(b) - lb0) / (lb1 - lb0) * (W - PAD - 10)

    def sy(o):
        return y0 + H - PAD + 10 - (math.log10(o) - lo0) / (lo1 - lo0) * (H - PAD - 10)

    out.append(f'<text x="{x0 + W / 2}" y="{y0 + 14}" text-anchor="middle" font-size="12">{title}</text>')
    out.append(f'<rect x="{x0 + PAD}" y="{y0 + 20}" width="{W - PAD - 10}" height="{H - PAD - 10}" '
               'fill="none" stroke="#999"/>')
    for e in range(lo0, lo1 + 1):
        y = sy(10 ** e)
        out.append(f'<text x="{x0 + PAD - 4}" y="{y + 4}" text-anchor="end" font-size="9">1e{e}</text>')
    for b in sorted({p[0] for p in pts}):
        out.append(f'<text x="{sx(b)}" y="{y0 + H - PAD + 24}" text-anchor="middle" font-size="9">{b}</text>')
    for i, (eng, s) in enumerate(sorted(series.items())):
        s = sorted(s)
        path = " ".join(f"{'M' if j == 0 else 'L'}{sx(b):.1f},{sy(o):.1f}" for j, (b, o) in enumerate(s))
        c = COLORS.get(eng, "#000")
        out.append(f'<path d="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        out.append(f'<text x="{x0 + PAD + 6}" y="{y0 + 34 + 12 * i}" font-size="10" fill="{c}">{eng}</text>')


def main():
    args = sys.argv[1:]
    ps = 4096
    if "--page-size" in args:
        i = args.index("--page-size")
        ps = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    results = json.load(open(args[0]))["results"]
    backends = sorted({r["backend"] for r in results})
    patterns = sorted({r["pattern"] for r in results})
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W * len(patterns)}" '
           f'height="{H * len(backends) + 30}" font-family="sans-serif">',
           f'<text x="8" y="18" font-size="13">psvm bench map-unmap: ops/s by batch size, '
           f'{ps // 1024} KiB pages (log-log)</text>']
    for row, be in enumerate(backends):
        for col, pat in enumerate(patterns):
            series = {}
            for r in results:
                if r["backend"] == be and r["pattern"] == pat and r["page_size"] == ps:
                    series.setdefault(r["engine"], []).append((r["batch"], r["ops_per_sec"]))
            panel(out, col * W, 30 + row * H, f"{be} / {pat}", series)
    out.append("</svg>")
    open(args[1], "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
