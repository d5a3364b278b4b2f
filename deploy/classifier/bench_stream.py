"""Time to first byte and total time of a streamed ~2 KB answer through `outguard serve`,
with one classifier rule asking the reference service (`stream: hold`, then `stream:
async`) and with no classifier rule, all against the built-in mock:echo upstream.

    .build/classifier-venv/bin/python deploy/classifier/bench_stream.py \
        --outguard .build/release/outguard [--requests 200]

Starts the reference service (server.py) and, for each case, `outguard serve` with the
shipped rules plus the case's rule file; then sends streamed chat requests one after
another, each over a new connection (curl-like). The 2 KB user message comes back from
mock:echo in word-sized SSE frames; time to first byte is the first frame with answer
text, total time the end of the response. Each request's text differs a little, so the
hook's cache never answers; the rule's threshold is one the text never reaches, so every
answer streams to its end.
"""

import argparse
import http.client
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SENTENCE = ("The staging cluster is ready, the database snapshot finished at two, and the smoke "
            "tests passed except the one on invoices, which times out because the mock is slow. ")

RULE = """pack: bench
rules:
  - id: bench.profanity
    type: classifier
    hook: reference
    categories: [profanity]
    threshold: 0.99
    action: block
    stream: {stream}
hooks:
  reference:
    url: {url}/v1/classify
    protocol: outguard
    timeout_ms: 2000
    cache_size: 0
"""


def started(process, pattern):
    """Waits for `pattern` on the process's stderr or stdout line stream; returns the match."""
    deadline = time.time() + 60
    for line in process:
        found = re.search(pattern, line)
        if found:
            return found
        if time.time() > deadline:
            break
    sys.exit(f"did not see {pattern!r}")


def one_request(port, number):
    text = f"Request {number}. " + SENTENCE * 12
    body = json.dumps({"model": "bench", "stream": True,
                       "messages": [{"role": "user", "content": text[:2048]}]}).encode()
    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    first = None
    while True:
        line = response.readline()
        if not line:
            break
        if first is None and b'"content":"' in line and b'"content":""' not in line:
            first = time.perf_counter() - began
    total = time.perf_counter() - began
    connection.close()
    assert response.status == 200, response.status
    return first, total


def serve(outguard, folder):
    """Runs `outguard serve` with the shipped rules and the rule files in `folder/rules`."""
    config = folder / "outguard.yaml"
    config.write_text(f"listen: 127.0.0.1:0\nupstream: mock:echo\nrules: [{ROOT / 'rules'}, {folder / 'rules'}]\nworkers: 1\n")
    process = subprocess.Popen([outguard, "serve", "--config", str(config)], stderr=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, text=True)
    port = int(started(process.stderr, r"listening on http://127\.0\.0\.1:(\d+)").group(1))
    return process, port


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outguard", default=str(ROOT / ".build/release/outguard"))
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    classifier = subprocess.Popen([sys.executable, str(HERE / "server.py"), "--host", "127.0.0.1", "--port", "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = started(classifier.stdout, r"listening on (http://\S+)").group(1)
    print(f"answer: ~2 KB streamed from mock:echo; {args.requests} requests per case, one at a time")
    print(f"{'case':<16}{'TTFB p50':>10}{'TTFB p90':>10}{'total p50':>11}{'total p90':>11}")
    try:
        for case in ["no classifier", "hold", "async"]:
            with tempfile.TemporaryDirectory() as folder:
                rules = Path(folder) / "rules"
                rules.mkdir()
                if case != "no classifier":
                    (rules / "bench.yaml").write_text(RULE.format(stream=case, url=url))
                process, port = serve(args.outguard, Path(folder))
                try:
                    for number in range(20):
                        one_request(port, -number)  # warm-up
                    times = [one_request(port, number) for number in range(args.requests)]
                finally:
                    process.terminate()
                    process.wait()
            firsts = sorted(t[0] * 1000 for t in times)
            totals = sorted(t[1] * 1000 for t in times)

            def p(values, q):
                return values[min(len(values) - 1, int(q * len(values)))]
            print(f"{case:<16}{p(firsts, .5):>8.2f}ms{p(firsts, .9):>8.2f}ms{p(totals, .5):>9.2f}ms"
                  f"{p(totals, .9):>9.2f}ms")
    finally:
        classifier.terminate()
        classifier.wait()


if __name__ == "__main__":
    main()
