#!/usr/bin/env python3
"""Summarises bench/savina/run.sh's JSON lines (a file, or stdin): Savina's figure per
process, the median over processes, akt/CAF ratios, akt 2 workers over 1, the machine's
core_rtt, context switches if measured, and the issue-16 targets each benchmark misses."""
import json, statistics, sys
rows = [json.loads(l) for l in (open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
        if l.startswith("{")]

def savina(times):
    """Savina's figure: the median of the times within +-20 % of the raw median."""
    m = statistics.median(times)
    kept = [t for t in times if abs(t - m) <= 0.2 * m]
    # An even count whose two middle times are > 40 % apart keeps none: the raw median then.
    return statistics.median(kept) if kept else m

fig, cs = {}, {}
rtt = [r["value"] for r in rows if r.get("bench") == "core_rtt"]
for r in rows:
    if "times" not in r:
        continue
    key = (r["bench"], r["impl"], r["threads"])
    fig.setdefault(key, []).append(savina(r["times"]))
    if r.get("context_switches") is not None:
        cs.setdefault(key, []).append(r["context_switches"])
print()
if rtt:
    print("cache-line round trip between two threads (the machine, before and after): "
          + ", ".join(f"{v:.0f}" for v in rtt) + " ns")
print(f'{"benchmark":<12}{"akt 1w":>10}{"CAF 1t":>10}{"akt/CAF":>9}{"akt 2w":>10}{"CAF 2t":>10}'
      f'{"akt/CAF":>9}{"akt 2w/1w":>11}  (ms, Savina median)')
summary, misses = {}, []
for b in dict.fromkeys(r["bench"] for r in rows if "times" in r):
    v = {k: statistics.median(fig[(b,) + k]) for k in
         [("akt", 1), ("caf", 1), ("akt", 2), ("caf", 2)] if (b,) + k in fig}
    if len(v) < 4:
        continue
    r1, r2 = v[("akt", 1)] / v[("caf", 1)], v[("akt", 2)] / v[("caf", 2)]
    s21 = v[("akt", 2)] / v[("akt", 1)]
    print(f'{b:<12}{v[("akt", 1)]:>10.1f}{v[("caf", 1)]:>10.1f}{r1:>9.3f}'
          f'{v[("akt", 2)]:>10.1f}{v[("caf", 2)]:>10.1f}{r2:>9.3f}{s21:>11.3f}')
    summary[b] = {"akt_caf_1": round(r1, 3), "akt_caf_2": round(r2, 3), "akt_2w_1w": round(s21, 3)}
    if max(r1, r2) > 0.5:
        misses.append(f"{b}: akt/CAF {max(r1, r2):.2f} > 0.5")
    if s21 > 1.0:
        misses.append(f"{b}: akt 2 workers {s21:.2f}x the time of 1")
base = [b for b in dict.fromkeys(r["bench"] for r in rows if "times" in r)
        if (b, "akt-base", 1) in fig and (b, "akt", 1) in fig]
if base:
    print()
    print(f'{"benchmark":<12}{"base 1w":>10}{"akt 1w":>10}{"new/base":>10}{"base 2w":>10}'
          f'{"akt 2w":>10}{"new/base":>10}{"base 2w/1w":>12}{"akt 2w/1w":>11}  (ms)')
    for b in base:
        v = {k: statistics.median(fig[(b,) + k]) for k in
             [("akt-base", 1), ("akt", 1), ("akt-base", 2), ("akt", 2)] if (b,) + k in fig}
        if len(v) < 4:
            continue
        print(f'{b:<12}{v[("akt-base", 1)]:>10.1f}{v[("akt", 1)]:>10.1f}'
              f'{v[("akt", 1)] / v[("akt-base", 1)]:>10.3f}{v[("akt-base", 2)]:>10.1f}'
              f'{v[("akt", 2)]:>10.1f}{v[("akt", 2)] / v[("akt-base", 2)]:>10.3f}'
              f'{v[("akt-base", 2)] / v[("akt-base", 1)]:>12.3f}{v[("akt", 2)] / v[("akt", 1)]:>11.3f}')
if cs:
    print()
    print(f'{"context switches":<18}{"akt 1w":>10}{"CAF 1t":>10}{"akt 2w":>10}{"CAF 2t":>10}  (per process)')
    for b in summary:
        vals = [statistics.median(cs.get((b,) + k, [0])) for k in
                [("akt", 1), ("caf", 1), ("akt", 2), ("caf", 2)]]
        print(f'{b:<18}' + "".join(f"{x:>10.0f}" for x in vals))
print()
print("targets missed (<= 0.5x CAF; 2 workers never slower than 1):",
      "; ".join(misses) if misses else "none")
print(json.dumps({"savina_summary": summary, "core_rtt_ns": rtt}))
