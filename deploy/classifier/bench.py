"""Time per request of the classifier service, for a ~400-character text.

    .build/classifier-venv/bin/python deploy/classifier/bench.py            # starts its own server
    .build/classifier-venv/bin/python deploy/classifier/bench.py --port 9090  # or times a running one

Sends requests one after another over one keep-alive connection (as an HTTP client with a
connection pool does) and prints percentiles of the round trip; then the same with several
clients at once, and the model call alone, to show where the time goes.
"""

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TEXT = ("Thanks for the update on the migration. The staging cluster is ready, the database "
        "snapshot finished at 02:00, and the smoke tests passed except the one on invoices, "
        "which times out because the mock upstream is slow. I would ship on Thursday after "
        "we rerun it; if it still fails, we roll back with the script from last week and "
        "write up what went wrong for the team, so nobody is surprised on Friday morning.")


def timed_requests(port, path, payload, count):
    body = json.dumps(payload).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("POST", path, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        times.append(time.perf_counter() - started)
        assert response.status == 200, response.status
    connection.close()
    return times


def report(label, times):
    cuts = statistics.quantiles(times, n=100)
    print(f"{label:<38} p50 {cuts[49] * 1e3:6.3f} ms  p90 {cuts[89] * 1e3:6.3f} ms  "
          f"p99 {cuts[98] * 1e3:6.3f} ms  ({len(times)} requests)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, help="a running server's port (default: start one)")
    parser.add_argument("-n", "--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4, help="clients at once in the second run")
    args = parser.parse_args()

    server = None
    if args.port is None:
        server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("server.py")), "--port", "0"],
                                  stdout=subprocess.PIPE, text=True)
        args.port = int(server.stdout.readline().rsplit(":", 1)[1])
    try:
        print(f"text of {len(TEXT)} characters, server on 127.0.0.1:{args.port}")
        requests = [("/v1/classify", {"text": TEXT, "rule": "bench", "categories": ["profanity"]}),
                    ("/v1/moderations", {"input": TEXT})]
        for path, payload in requests:
            timed_requests(args.port, path, payload, 200)  # warm up
            report(f"POST {path}, 1 client", timed_requests(args.port, path, payload, args.requests))

        path, payload = requests[0]
        per_client = args.requests // args.clients
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            runs = list(pool.map(lambda _: timed_requests(args.port, path, payload, per_client),
                                 range(args.clients)))
        elapsed = time.perf_counter() - started
        report(f"POST {path}, {args.clients} clients", [t for run in runs for t in run])
        print(f"{'':<38} {per_client * args.clients / elapsed:.0f} requests/s")

        sys.path.insert(0, str(Path(__file__).parent))
        from model import ProfanityModel
        model = ProfanityModel()
        for label, call in [("model alone (server's fast path)", lambda: model.score(TEXT)),
                            ("model alone (library predict_prob)", lambda: model.reference([TEXT]))]:
            times = []
            for _ in range(500):
                started = time.perf_counter()
                call()
                times.append(time.perf_counter() - started)
            report(label, times)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
