#!/usr/bin/env python3
"""Straightforward reference timings for bench/measures.ts: the authors' algorithms
(NetworkX PageRank, dict-based SIS, network metrics, spillover, simulate_contagion) as
transcribed in test/fixtures/reference/make_reference.py, on one exported week.

Usage: python3 bench/reference/measures_nx.py WEEK.json  ->  one JSON object of timings (ms).
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference"))
from make_reference import parity_contagion, parity_metrics, parity_sis, top_by_tvl  # noqa: E402


def best_of(f, reps):
    best = float("inf")
    out = None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best * 1000, out


def main():
    g = json.load(open(sys.argv[1]))

    def measures():
        pr, prn, tail, ltn, sis = parity_sis(g)
        return parity_metrics(g, sis)

    t_measures, m = best_of(measures, 3)
    top1 = top_by_tvl(g, 1)
    t_stress, c = best_of(lambda: parity_contagion(g, top1, 0.5), 3)
    sizes = [i / 99 for i in range(100)]
    t_sweep, _ = best_of(lambda: [parity_contagion(g, top1, s) for s in sizes], 1)
    print(json.dumps({"measuresMs": t_measures, "stressMs": t_stress, "sweep100Ms": t_sweep, "tvlHHI": m["tvlHHI"], "systemLossPct": c["systemLossPct"]}))


if __name__ == "__main__":
    main()
