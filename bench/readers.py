#!/usr/bin/env python3
"""Dashboard readers for bench/readers-bench.sh: N readers, each refreshing what its open pages poll.

Every PERIOD seconds (the streaming dashboard refreshes every 10 s) a reader asks the streaming dashboard's six
questions, the batch dashboard's six and /api/pipelines, one after another, as one browser tab would; PERIOD 0
asks again at once (a flood). Readers start spread over one period. On SIGTERM (or after --duration) it prints one
JSON line: requests, failed (not 200, or no answer), requests per second, latency p50/p99/max in ms, and the CPU
seconds this client used (it shares the machine with the server in the benchmark; browsers would not).
usage: readers.py BASE_URL [--readers 50] [--period 10] [--duration SECONDS]
"""
import argparse
import http.client
import json
import signal
import sys
import threading
import time
import urllib.parse

STREAM = ["trending-films?minutes=15&limit=10", "top-categories?minutes=15&limit=10", "active-users?minutes=15",
          "clicks-per-minute?minutes=15", "device-activity?minutes=15", "event-funnel?minutes=15"]
BATCH = ["top-films?limit=10", "top-categories?limit=10", "rentals-by-weekday", "rentals-by-country",
         "avg-rental-duration-by-country?limit=10", "freshness"]
PATHS = (["/api/insights/stream/" + p for p in STREAM] + ["/api/insights/batch/" + p for p in BATCH]
         + ["/api/pipelines"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--period", type=float, default=10.0)
    parser.add_argument("--duration", type=float, default=0)
    args = parser.parse_args()

    stop = threading.Event()
    lock = threading.Lock()
    latencies, failed = [], [0]

    target = urllib.parse.urlsplit(args.base)

    def reader(index):
        time.sleep(args.period * index / args.readers if args.period else 0)
        # One connection kept open per reader, as a browser tab keeps one.
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        while not stop.is_set():
            started_round = time.monotonic()
            for path in PATHS:
                if stop.is_set():
                    return
                started = time.monotonic()
                ok = False
                try:
                    connection.request("GET", path)
                    answer = connection.getresponse()
                    answer.read()
                    ok = answer.status == 200
                except (http.client.HTTPException, OSError):
                    connection.close()
                elapsed = (time.monotonic() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        failed[0] += 1
            stop.wait(max(0.0, args.period - (time.monotonic() - started_round)))

    began = time.monotonic()
    threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(args.readers)]
    for t in threads:
        t.start()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait(args.duration if args.duration > 0 else None)
    stop.set()
    for t in threads:
        t.join(timeout=65)
    seconds = time.monotonic() - began
    with lock:
        ordered = sorted(latencies)

    def pct(p):
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1) if ordered else None

    print(json.dumps({"readers": args.readers, "period_s": args.period, "seconds": round(seconds, 1),
                      "requests": len(ordered), "failed": failed[0],
                      "per_second": round(len(ordered) / seconds, 1) if seconds else 0,
                      "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": round(ordered[-1], 1) if ordered else None,
                      "client_cpu_s": round(time.process_time(), 1)}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
