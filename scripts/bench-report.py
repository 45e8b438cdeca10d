#!/usr/bin/env python3
"""Turns scripts/bench's measurements into the Markdown report (see docs/performance.md).

    bench-report.py RESULTS TIMINGS SCALE CORES CPU MEMORY LOAD_BEFORE LOAD_AFTER DURATION
                    CONNECTIONS NOW
"""
import sys

(results, timings, scale, cores, cpu, memory, load_before, load_after, duration, connections,
 now) = sys.argv[1:12]

# Lists and dashboards: p99 at most 50 ms. The case record has its own, stricter target.
CASE_RECORD = "case record"
RECORD_PAGES = {CASE_RECORD, "risk page"}


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


rows = [line.rstrip("\n").split("\t") for line in open(results) if line.strip()]
print(f"# keepsafe benchmark: {scale} dataset\n")
print(f"- Machine: {cores} cores ({cpu}), {memory} memory; load average {load_before} at the "
      f"start, {load_after} at the end.")
print(f"- Load: wrk, 1 thread, {connections} connections, {duration} s a page after a 1 s "
      f"warm-up. SQL floor: `keepsafe bench-sql`, {connections} connections, {duration} s.")
print(f"- Clock set to {now}. Peak RSS is the server's VmHWM, reset before each page.\n")

for backend in ("postgres", "sqlite"):
    mine = [r + [""] * (11 - len(r)) for r in rows if r[0] == backend]
    if not mine:
        continue
    print(f"## {'PostgreSQL' if backend == 'postgres' else 'SQLite'}\n")
    print("| page | req/s | p50 ms | p99 ms | SQL floor req/s | floor p50 ms | floor p99 ms "
          "| p50 ÷ floor p50 | peak RSS MB | target |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    for (_, name, path, rps, p50, p99, frps, fp50, fp99, peak, errors) in mine:
        if rps.startswith("HTTP"):
            print(f"| {name} | {rps} | | | | | | | | not measured |")
            continue
        rps_n, p50_n, p99_n, fp50_n, peak_n = map(number, (rps, p50, p99, fp50, peak))
        if not rps_n:
            # wrk reports zero latencies when no request finished within the run.
            print(f"| {name} | 0 | none finished in {duration} s | | {frps} | {fp50} | {fp99} | "
                  f"| {peak} | ✗ |")
            continue
        ratio = f"{p50_n / fp50_n:.1f}×" if p50_n and fp50_n else ""
        verdicts = []
        if name == CASE_RECORD:
            floor = 2000 if backend == "postgres" else 1000
            verdicts.append(f"p99 ≤ 10 ms {'✓' if p99_n is not None and p99_n <= 10 else '✗'}")
            verdicts.append(f"≥ {floor} req/s {'✓' if rps_n is not None and rps_n >= floor else '✗'}")
        elif name != "health" and name not in RECORD_PAGES:
            verdicts.append(f"p99 ≤ 50 ms {'✓' if p99_n is not None and p99_n <= 50 else '✗'}")
        if p50_n and fp50_n:
            verdicts.append(f"≤ 3× floor {'✓' if p50_n <= 3 * fp50_n else '✗'}")
        if peak_n is not None:
            verdicts.append(f"≤ 300 MB {'✓' if peak_n <= 300 else '✗'}")
        if errors.strip():
            verdicts.append(f"errors: {errors.strip()}")
        print(f"| {name} | {rps} | {p50} | {p99} | {frps} | {fp50} | {fp99} | {ratio} | {peak} "
              f"| {'; '.join(verdicts)} |")
    print()

timed = [line.rstrip("\n").split("\t") for line in open(timings) if line.strip()]
if timed:
    print("## Loading, recomputing, exporting and importing\n")
    print("| what | backend | took |")
    print("|---|---|---|")
    for what, backend, took in timed:
        print(f"| {what} | {backend} | {took} |")
    print()
