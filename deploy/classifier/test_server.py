"""Tests of the classifier service: each starts the real server.py as a subprocess on a free
loopback port (--port 0; the server announces the port it got) and talks HTTP to it.
Every wait is bounded: the start, each request, the stop."""

import http.client
import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from model import OPENAI_CATEGORIES, ProfanityModel

SERVER = Path(__file__).resolve().parent / "server.py"
START_SECONDS = 60  # the model loads in about a second; a busy CI machine may be much slower
REQUEST_SECONDS = 10

PROFANE = "You are a fucking idiot and a worthless piece of shit."
CLEAN = "Thank you for the quick reply; the quarterly report is attached and the meeting moved to Tuesday."
MIB = 1 << 20


class Server:
    def __init__(self, port):
        self.port = port

    def request(self, method, path, body=None, headers=None, chunked=False):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_SECONDS)
        try:
            if chunked:  # no Content-Length: the server must count what it reads
                body = iter([body[i:i + 65536] for i in range(0, len(body), 65536)])
            connection.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            connection.close()

    def post(self, path, payload):
        """POST `payload` (bytes as they are, anything else as JSON); returns (status, JSON answer)."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        status, content_type, answer = self.request("POST", path, body)
        assert content_type.startswith("application/json"), (status, content_type, answer)
        return status, json.loads(answer)


@contextmanager
def running(*flags):
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen([sys.executable, str(SERVER), "--port", "0", *flags],
                                   stdout=subprocess.PIPE, stderr=stderr, text=True)
        try:
            # readline blocks, so it runs in a thread and the wait for it has a deadline.
            lines = queue.Queue()
            threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
            try:
                line = lines.get(timeout=START_SECONDS)
            except queue.Empty:
                line = ""
            if not line.startswith("listening on http://127.0.0.1:"):
                stderr.seek(0)
                pytest.fail(f"server did not start: {line!r} {stderr.read().decode(errors='replace')}")
            yield Server(int(line.rsplit(":", 1)[1]))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def server():
    with running() as started:
        yield started


@pytest.fixture(scope="module")
def reference():
    return ProfanityModel()


def classify(server, **fields):
    return server.post("/v1/classify", fields)


# -- the model --------------------------------------------------------------------------------

def test_fast_path_gives_the_library_answer(reference):
    assert reference.fast, "the fast path failed its start-up self-check"
    texts = [PROFANE, CLEAN, "", "\n\t", "DAMN IT", "Ça va? 日本語 🙂", "the a an of", CLEAN * 40,
             "idiot " * 500, "x" * 5000, "kill yourself", "You are stupid"]
    for text, expected in zip(texts, reference.reference(texts)):
        assert reference.score(text) == pytest.approx(expected, abs=1e-9), text


# -- protocol outguard ------------------------------------------------------------------------

def test_healthz(server):
    assert server.request("GET", "/healthz")[::2] == (200, b"ok")


def test_classify_scores_profane_high_and_clean_low(server):
    status, answer = classify(server, text=PROFANE, rule="tox.insult", categories=["profanity"])
    assert status == 200 and set(answer) == {"scores"}
    assert list(answer["scores"]) == ["profanity"] and answer["scores"]["profanity"] > 0.8
    status, answer = classify(server, text=CLEAN, rule="tox.insult", categories=["profanity", "hate"])
    assert status == 200 and list(answer["scores"]) == ["profanity", "hate"]
    assert all(score < 0.2 for score in answer["scores"].values())


def test_classify_without_categories_returns_every_known_one(server):
    for extra in ({}, {"categories": []}, {"categories": None}):
        status, answer = classify(server, text=PROFANE, **extra)
        assert status == 200
        assert set(answer["scores"]) == {"profanity", "harassment", "hate"}
        assert len(set(answer["scores"].values())) == 1  # one model, one number


def test_classify_agrees_with_the_library(server, reference):
    texts = [PROFANE, CLEAN, "what the hell", ""]
    for text, expected in zip(texts, reference.reference(texts)):
        assert classify(server, text=text)[1]["scores"]["profanity"] == pytest.approx(expected, abs=1e-9)


def test_classify_unknown_category(server):
    status, answer = classify(server, text=CLEAN, categories=["profanity", "violence"])
    assert status == 400
    assert '"violence"' in answer["error"]["message"] and '"profanity"' in answer["error"]["message"]


@pytest.mark.parametrize("fields", [
    {},
    {"rule": "r"},
    {"text": 42},
    {"text": None},
    {"text": "x", "categories": "profanity"},
    {"text": "x", "categories": [1]},
    {"text": "x", "rule": 7},
])
def test_classify_missing_or_wrong_fields(server, fields):
    status, answer = classify(server, **fields)
    assert status == 400 and answer["error"]["message"]


# -- protocol openai-moderation ---------------------------------------------------------------

def test_moderation_single_input(server):
    status, answer = server.post("/v1/moderations", {"input": PROFANE, "model": "omni-moderation-latest"})
    assert status == 200
    assert answer["id"].startswith("modr-") and answer["model"].startswith("alt-profanity-check-")
    [result] = answer["results"]
    scores = result["category_scores"]
    assert set(scores) == set(OPENAI_CATEGORIES) | {"profanity"}
    assert set(result["categories"]) == set(scores) == set(result["category_applied_input_types"])
    assert scores["profanity"] > 0.8 and scores["harassment"] == scores["hate"] == scores["profanity"]
    assert all(scores[name] == 0.0 for name in scores if name not in ("profanity", "harassment", "hate"))
    assert result["flagged"] is True and result["categories"]["harassment"] is True
    assert result["categories"]["violence"] is False
    assert result["category_applied_input_types"]["hate"] == ["text"]
    assert result["category_applied_input_types"]["violence"] == []


def test_moderation_batch_keeps_order(server):
    status, answer = server.post("/v1/moderations", {"input": [CLEAN, PROFANE, CLEAN]})
    assert status == 200
    profanity = [result["category_scores"]["profanity"] for result in answer["results"]]
    assert len(profanity) == 3
    assert profanity[0] < 0.2 and profanity[1] > 0.8 and profanity[2] < 0.2
    assert [result["flagged"] for result in answer["results"]] == [False, True, False]


def test_moderation_text_parts_make_one_input(server):
    parts = [{"type": "text", "text": CLEAN}, {"type": "text", "text": PROFANE}]
    status, answer = server.post("/v1/moderations", {"input": parts})
    assert status == 200 and len(answer["results"]) == 1 and answer["results"][0]["flagged"]


@pytest.mark.parametrize("body", [
    {},
    {"model": "omni-moderation-latest"},
    {"input": None},
    {"input": 3},
    {"input": []},
    {"input": ["ok", 3]},
    {"input": "ok", "model": 5},
    {"input": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AA=="}}]},
    {"input": [{"type": "text"}]},
])
def test_moderation_missing_or_wrong_fields(server, body):
    status, answer = server.post("/v1/moderations", body)
    assert status == 400 and answer["error"]["message"]


# -- errors common to both --------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/v1/classify", "/v1/moderations"])
@pytest.mark.parametrize("body", [b"", b"{", b"not json", b"[1, 2]", b'"text"', b"\xff\xfe{}",
                                  b"[" * 100000, b'{"text": "a"} trailing'])
def test_bad_json_is_a_json_400(server, path, body):
    status, answer = server.post(path, body)
    assert status == 400 and answer["error"]["message"]


@pytest.mark.parametrize("chunked", [False, True])
def test_body_size_limit(server, chunked):
    def body_of_size(size):  # valid JSON of exactly `size` bytes
        head, tail = b'{"text": "', b'"}'
        return head + b"x" * (size - len(head) - len(tail)) + tail

    status, _, answer = server.request("POST", "/v1/classify", body_of_size(MIB), chunked=chunked)
    assert status == 200, answer
    status, _, answer = server.request("POST", "/v1/classify", body_of_size(MIB + 1), chunked=chunked)
    assert status == 413 and "larger than 1048576 bytes" in json.loads(answer)["error"]["message"]


def test_unknown_path_and_method(server):
    status, content_type, answer = server.request("GET", "/v1/nothing")
    assert status == 404 and json.loads(answer)["error"]["message"]
    status, content_type, answer = server.request("GET", "/v1/classify")
    assert status == 405 and json.loads(answer)["error"]["message"]


def test_concurrent_requests(server):
    def one(i):
        text = PROFANE if i % 2 else CLEAN
        return i, classify(server, text=text, categories=["profanity"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        for i, (status, answer) in pool.map(one, range(160), timeout=60):
            assert status == 200
            assert (answer["scores"]["profanity"] > 0.8) == bool(i % 2)


def test_keep_alive_answers_come_without_a_delayed_ack_stall(server):
    # A slow classifier slows every guarded answer, so a regression to ~40 ms per request
    # (Nagle's algorithm meeting delayed ACKs) must fail here; the real median is below 1 ms.
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_SECONDS)
    body = json.dumps({"text": CLEAN * 4, "categories": ["profanity"]}).encode()
    times = []
    try:
        for _ in range(50):
            started = time.monotonic()
            connection.request("POST", "/v1/classify", body)
            response = connection.getresponse()
            assert response.status == 200 and json.loads(response.read())["scores"]["profanity"] < 0.2
            times.append(time.monotonic() - started)
    finally:
        connection.close()
    assert sorted(times)[len(times) // 2] < 0.02, times


# -- the test knobs ---------------------------------------------------------------------------

def test_delay_knob_delays_each_answer_and_answers_overlap():
    with running("--delay-ms", "500") as slow:
        started = time.monotonic()
        status, answer = classify(slow, text=PROFANE)
        assert status == 200 and answer["scores"]["profanity"] > 0.8
        assert time.monotonic() - started >= 0.5

        # Four at once end together after about one delay, not four.
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda _: slow.post("/v1/moderations", {"input": CLEAN}), range(4),
                                    timeout=30))
        elapsed = time.monotonic() - started
        assert all(status == 200 for status, _ in answers)
        assert 0.5 <= elapsed < 1.5, elapsed

        started = time.monotonic()
        assert slow.request("GET", "/healthz")[0] == 200
        assert time.monotonic() - started < 0.4  # health checks are not delayed


def test_garbage_knob_answers_200_with_a_body_that_is_not_json():
    with running("--garbage") as broken:
        for path, payload in [("/v1/classify", {"text": PROFANE}), ("/v1/moderations", {"input": PROFANE})]:
            status, _, answer = broken.request("POST", path, json.dumps(payload).encode())
            assert status == 200
            with pytest.raises(ValueError):
                json.loads(answer)
        assert broken.request("GET", "/healthz")[::2] == (200, b"ok")


def test_garbage_wrong_shape_is_json_of_neither_protocol():
    with running("--garbage", "wrong-shape") as broken:
        status, answer = broken.post("/v1/classify", {"text": PROFANE})
        assert status == 200 and not isinstance(answer.get("scores"), dict)
        status, answer = broken.post("/v1/moderations", {"input": PROFANE})
        assert status == 200 and not isinstance(answer.get("results"), list)


@pytest.mark.parametrize("flags", [["--delay-ms", "-1"], ["--garbage", "nonsense"], ["--port", "x"]])
def test_bad_flags_are_refused(flags):
    finished = subprocess.run([sys.executable, str(SERVER), *flags], capture_output=True, text=True,
                              timeout=START_SECONDS)
    assert finished.returncode == 2 and "usage:" in finished.stderr
