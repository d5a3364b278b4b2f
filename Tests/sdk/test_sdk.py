"""The official SDKs (OpenAI, Anthropic, Google Gen AI, Ollama) against `outguard serve`.

The proxy runs as a subprocess with the shipped outguard.yaml and rules, listening on a
free loopback port, in front of an upstream that echoes the last user message in the
API's shape (streamed when asked). Every test sends a message with something a shipped
rule acts on and checks, through the SDK's own parsed objects, what the app would see:
redactions applied, blocked answers ended the way the provider ends filtered content, and
no SDK error on any frame Outguard writes.

Environment:
  OUTGUARD_BIN           the outguard binary (default: .build/debug/outguard)
  OUTGUARD_SDK_UPSTREAM  mock:echo (default): the built-in mock upstream;
                         chain: a second `outguard serve` with no rules in front of
                           mock:echo, reached over HTTP, so the proxy's real upstream
                           path (connection pool, HTTP/1.1 client) is exercised;
                         a URL: any upstream that echoes the last user message in each
                           API's shape (what mock:echo does).
  OUTGUARD_SDK_START_TIMEOUT  seconds to wait for the daemon to listen (default 60)
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
from pathlib import Path

import anthropic
import openai
import pytest

# Optional SDKs: their tests are skipped when they are not installed.
try:
    from google import genai
    from google.genai import types as genai_types
except ImportError:  # pragma: no cover
    genai = None
try:
    import ollama
except ImportError:  # pragma: no cover
    ollama = None

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "outguard.yaml"
LISTENING = re.compile(r"outguard: listening on http://(\S+):(\d+) ")

EMAIL = "taro.yamada@example.co.jp"
REDACTED_EMAIL = "[EMAIL]"
PROFANITY = "fucking"  # rules/lexicons/profanity-en.txt: redacted as ****
# rules/secrets.yaml secrets.private-key (action: block). The profanity packs redact;
# the only enforced block among the shipped packs is a private key.
PRIVATE_KEY = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAKEFAKEFAKE\n"
    "-----END PRIVATE KEY-----"
)
KEY_LEAKS = ("BEGIN PRIVATE KEY", "MIIEvQ", "END PRIVATE KEY")

REDACT_PROMPT = f"Sure! Write to {EMAIL} and she will answer you today."
REDACT_EXPECTED = REDACT_PROMPT.replace(EMAIL, REDACTED_EMAIL)
PROFANITY_PROMPT = f"That was a {PROFANITY} disaster, honestly."
BLOCK_PREFIX = "Here is the key you asked for:\n"
BLOCK_PROMPT = BLOCK_PREFIX + PRIVATE_KEY + "\nKeep it safe."
CLEAN_PROMPT = "The weather in Tokyo is mild today; bring a light jacket."


def rule_message(rule_id: str) -> str:
    """The `message:` of a rule in the shipped packs (read from the file, not repeated here)."""
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        at = text.find(f"id: {rule_id}\n")
        if at < 0:
            continue
        found = re.compile(r'^\s+message:\s*"((?:[^"\\]|\\.)*)"', re.M).search(text, at)
        assert found, f"{rule_id} has no message in {path}"
        return json.loads(f'"{found.group(1)}"')
    raise AssertionError(f"rule {rule_id} not found under rules/")


BLOCK_MESSAGE = rule_message("secrets.private-key")


def assert_no_key(text: str) -> None:
    for leak in KEY_LEAKS:
        assert leak not in text, f"blocked key material {leak!r} reached the client: {text!r}"


# --------------------------------------------------------------------------- daemon


class Daemon:
    """`outguard serve` as a subprocess; stderr is drained by a thread (kept for failures)."""

    def __init__(self, args: list[str], timeout: float, env: dict[str, str] | None = None):
        binary = os.environ.get("OUTGUARD_BIN", str(ROOT / ".build/debug/outguard"))
        if not os.access(binary, os.X_OK):
            pytest.exit(f"no outguard binary at {binary}: build it or set OUTGUARD_BIN", returncode=2)
        self.lines: list[str] = []
        self._ready = threading.Event()
        self.host = self.port = None
        self.process = subprocess.Popen(
            [binary, "serve", *args],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._ready.wait(timeout) or self.port is None:
            self.stop()
            raise RuntimeError(
                f"outguard did not report listening within {timeout:.0f} s "
                f"(exit {self.process.returncode}); stderr:\n" + "".join(self.lines[-40:])
            )

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            found = LISTENING.search(line)
            if found and not self._ready.is_set():
                self.host, self.port = found.group(1).strip("[]"), int(found.group(2))
                self._ready.set()
        self._ready.set()  # the process ended: stop waiting

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@pytest.fixture(scope="session")
def proxy(tmp_path_factory):
    timeout = float(os.environ.get("OUTGUARD_SDK_START_TIMEOUT", "60"))
    upstream = os.environ.get("OUTGUARD_SDK_UPSTREAM", "mock:echo")
    log_dir = tmp_path_factory.mktemp("outguard")
    started: list[Daemon] = []
    try:
        if upstream == "chain":
            # A rule-less outguard in front of mock:echo: a plain echo server over HTTP.
            empty = log_dir / "no-rules"
            empty.mkdir()
            config = log_dir / "echo.yaml"
            config.write_text("listen: 127.0.0.1:0\nupstream: mock:echo\nrules: [no-rules/]\n")
            echo = Daemon(["--config", str(config)], timeout, {"OUTGUARD_LOG_PATH": str(log_dir / "echo.jsonl")})
            started.append(echo)
            upstream = echo.url
        daemon = Daemon(
            ["--config", str(CONFIG), "--listen", "127.0.0.1:0", "--upstream", upstream],
            timeout,
            {"OUTGUARD_LOG_PATH": str(log_dir / "violations.jsonl")},
        )
        started.append(daemon)
        yield daemon
        assert daemon.process.poll() is None, "outguard exited during the tests:\n" + "".join(daemon.lines[-40:])
    finally:
        for process in reversed(started):
            process.stop()


@pytest.fixture(scope="session")
def oai(proxy):
    return openai.OpenAI(base_url=proxy.url + "/v1", api_key="sk-dummy", timeout=20, max_retries=0)


@pytest.fixture(scope="session")
def claude(proxy):
    return anthropic.Anthropic(base_url=proxy.url, api_key="sk-ant-dummy", timeout=20, max_retries=0)


def chat(text: str) -> list[dict]:
    return [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": text},
    ]


# --------------------------------------------------------------------------- OpenAI chat


def test_chat_clean_passes_unchanged(oai):
    raw = oai.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=chat(CLEAN_PROMPT))
    completion = raw.parse()
    assert completion.choices[0].message.content == CLEAN_PROMPT
    assert completion.choices[0].finish_reason == "stop"
    assert raw.headers["outguard-action"] == "pass"
    assert raw.headers["outguard-request-id"]


def test_chat_redacts(oai):
    raw = oai.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=chat(REDACT_PROMPT))
    completion = raw.parse()
    assert completion.object == "chat.completion"
    assert completion.choices[0].message.content == REDACT_EXPECTED
    assert completion.choices[0].finish_reason == "stop"
    assert EMAIL not in raw.text
    assert raw.headers["outguard-action"] == "redact"
    assert raw.headers["outguard-request-id"]


def test_chat_redacts_profanity(oai):
    completion = oai.chat.completions.create(model="gpt-4o-mini", messages=chat(PROFANITY_PROMPT))
    content = completion.choices[0].message.content
    assert PROFANITY not in content
    assert content == PROFANITY_PROMPT.replace(PROFANITY, "****")


def test_chat_stream_redacts(oai):
    stream = oai.chat.completions.create(
        model="gpt-4o-mini", messages=chat(REDACT_PROMPT), stream=True, stream_options={"include_usage": True}
    )
    text, finish, usage = "", None, None
    for chunk in stream:
        assert chunk.object == "chat.completion.chunk"
        for choice in chunk.choices:
            text += choice.delta.content or ""
            finish = choice.finish_reason or finish
        usage = chunk.usage or usage
    assert text == REDACT_EXPECTED
    assert EMAIL not in text
    assert finish == "stop"
    assert usage is not None and usage.completion_tokens > 0


def test_chat_stream_redacts_profanity(oai):
    stream = oai.chat.completions.create(model="gpt-4o-mini", messages=chat(PROFANITY_PROMPT), stream=True)
    text = "".join(choice.delta.content or "" for chunk in stream for choice in chunk.choices)
    assert text == PROFANITY_PROMPT.replace(PROFANITY, "****")


def test_chat_block(oai):
    raw = oai.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=chat(BLOCK_PROMPT))
    completion = raw.parse()
    choice = completion.choices[0]
    assert choice.finish_reason == "content_filter"
    assert choice.message.content == BLOCK_MESSAGE
    assert_no_key(raw.text)
    assert raw.headers["outguard-action"] == "block"


def test_chat_stream_block(oai):
    stream = oai.chat.completions.create(model="gpt-4o-mini", messages=chat(BLOCK_PROMPT), stream=True)
    chunks = list(stream)  # the SDK must iterate to the end without an error
    text = "".join(choice.delta.content or "" for chunk in chunks for choice in chunk.choices)
    last = [chunk for chunk in chunks if chunk.choices][-1]
    assert last.choices[-1].finish_reason == "content_filter"
    assert_no_key(text)
    # Text before the match was already clean and goes out; the rule's message follows.
    assert text == BLOCK_PREFIX + BLOCK_MESSAGE


def test_chat_n_choices(oai):
    completion = oai.chat.completions.create(model="gpt-4o-mini", messages=chat(REDACT_PROMPT), n=3)
    assert [choice.index for choice in completion.choices] == [0, 1, 2]
    for choice in completion.choices:
        assert choice.message.content == REDACT_EXPECTED
        assert choice.finish_reason == "stop"


def read_choices(stream) -> tuple[dict[int, str], dict[int, str]]:
    """The text and the finish reason of each choice of a streamed chat completion."""
    texts: dict[int, str] = {}
    finishes: dict[int, str] = {}
    for chunk in stream:
        for choice in chunk.choices:
            texts[choice.index] = texts.get(choice.index, "") + (choice.delta.content or "")
            if choice.finish_reason:
                finishes[choice.index] = choice.finish_reason
    return texts, finishes


def test_chat_n_choices_stream(oai):
    stream = oai.chat.completions.create(model="gpt-4o-mini", messages=chat(REDACT_PROMPT), n=3, stream=True)
    texts, finishes = read_choices(stream)
    assert texts == {0: REDACT_EXPECTED, 1: REDACT_EXPECTED, 2: REDACT_EXPECTED}
    assert finishes == {0: "stop", 1: "stop", 2: "stop"}


def test_chat_n_choices_block(oai):
    completion = oai.chat.completions.create(model="gpt-4o-mini", messages=chat(BLOCK_PROMPT), n=2)
    assert len(completion.choices) == 2
    for choice in completion.choices:
        assert choice.finish_reason == "content_filter"
        assert choice.message.content == BLOCK_MESSAGE


def test_chat_n_choices_stream_block(oai):
    stream = oai.chat.completions.create(model="gpt-4o-mini", messages=chat(BLOCK_PROMPT), n=2, stream=True)
    texts, finishes = read_choices(stream)
    for text in texts.values():
        assert_no_key(text)
    assert BLOCK_MESSAGE in "".join(texts.values())
    # A blocked stream ends every choice still open with content_filter.
    assert set(finishes.values()) == {"content_filter"}
    assert set(finishes) == {0, 1}


# --------------------------------------------------------------------------- OpenAI completions


def test_completions_redacts(oai):
    completion = oai.completions.create(model="gpt-3.5-turbo-instruct", prompt=REDACT_PROMPT)
    assert completion.object == "text_completion"
    assert completion.choices[0].text == REDACT_EXPECTED
    assert completion.choices[0].finish_reason == "stop"


def test_completions_stream_redacts(oai):
    stream = oai.completions.create(model="gpt-3.5-turbo-instruct", prompt=REDACT_PROMPT, stream=True)
    text, finish = "", None
    for chunk in stream:
        for choice in chunk.choices:
            text += choice.text
            finish = choice.finish_reason or finish
    assert text == REDACT_EXPECTED
    assert finish == "stop"


def test_completions_block(oai):
    completion = oai.completions.create(model="gpt-3.5-turbo-instruct", prompt=BLOCK_PROMPT)
    assert completion.choices[0].finish_reason == "content_filter"
    assert completion.choices[0].text == BLOCK_MESSAGE


def test_completions_stream_block(oai):
    stream = oai.completions.create(model="gpt-3.5-turbo-instruct", prompt=BLOCK_PROMPT, stream=True)
    chunks = list(stream)
    text = "".join(choice.text for chunk in chunks for choice in chunk.choices)
    assert_no_key(text)
    assert text.endswith(BLOCK_MESSAGE)
    assert [chunk for chunk in chunks if chunk.choices][-1].choices[-1].finish_reason == "content_filter"


# --------------------------------------------------------------------------- OpenAI Responses


def test_responses_redacts(oai):
    response = oai.responses.create(model="gpt-4.1-mini", input=REDACT_PROMPT)
    assert response.status == "completed"
    assert response.output_text == REDACT_EXPECTED
    assert EMAIL not in response.model_dump_json()


def test_responses_message_input_redacts(oai):
    response = oai.responses.create(
        model="gpt-4.1-mini",
        input=[{"role": "user", "content": [{"type": "input_text", "text": REDACT_PROMPT}]}],
    )
    assert response.output_text == REDACT_EXPECTED


def test_responses_stream_redacts(oai):
    stream = oai.responses.create(model="gpt-4.1-mini", input=REDACT_PROMPT, stream=True)
    deltas, done_texts, types, completed = [], [], [], None
    for event in stream:
        types.append(event.type)
        if event.type == "response.output_text.delta":
            deltas.append(event.delta)
        elif event.type == "response.output_text.done":
            done_texts.append(event.text)
        elif event.type == "response.completed":
            completed = event.response
    joined = "".join(deltas)
    assert joined == REDACT_EXPECTED
    assert done_texts == [joined]
    assert completed is not None and completed.output_text == joined
    assert types[0] == "response.created" and types[-1] == "response.completed"
    assert "response.content_part.done" in types and "response.output_item.done" in types


def test_responses_stream_helper_redacts(oai):
    with oai.responses.stream(model="gpt-4.1-mini", input=REDACT_PROMPT) as stream:
        deltas = [event.delta for event in stream if event.type == "response.output_text.delta"]
        final = stream.get_final_response()
    assert "".join(deltas) == REDACT_EXPECTED
    assert final.output_text == REDACT_EXPECTED


def test_responses_block(oai):
    response = oai.responses.create(model="gpt-4.1-mini", input=BLOCK_PROMPT)
    assert response.status == "incomplete"
    assert response.incomplete_details is not None and response.incomplete_details.reason == "content_filter"
    assert response.output_text == BLOCK_MESSAGE
    assert_no_key(response.model_dump_json())


def test_responses_stream_block(oai):
    stream = oai.responses.create(model="gpt-4.1-mini", input=BLOCK_PROMPT, stream=True)
    events = list(stream)
    text = "".join(event.delta for event in events if event.type == "response.output_text.delta")
    assert_no_key(text)
    assert text.endswith(BLOCK_MESSAGE)
    assert events[-1].type == "response.incomplete"
    assert events[-1].response.status == "incomplete"
    assert events[-1].response.incomplete_details.reason == "content_filter"
    numbers = [event.sequence_number for event in events]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


# --------------------------------------------------------------------------- Anthropic


def test_anthropic_redacts(claude):
    raw = claude.messages.with_raw_response.create(
        model="mock-echo", max_tokens=256, messages=[{"role": "user", "content": REDACT_PROMPT}]
    )
    message = raw.parse()
    assert message.type == "message"
    assert message.stop_reason == "end_turn"
    assert message.content[0].text == REDACT_EXPECTED
    assert raw.headers["outguard-action"] == "redact"


def test_anthropic_content_blocks_redact(claude):
    message = claude.messages.create(
        model="mock-echo",
        max_tokens=256,
        messages=[{"role": "user", "content": [{"type": "text", "text": REDACT_PROMPT}]}],
    )
    assert message.content[0].text == REDACT_EXPECTED


def test_anthropic_stream_redacts(claude):
    stream = claude.messages.create(
        model="mock-echo", max_tokens=256, messages=[{"role": "user", "content": REDACT_PROMPT}], stream=True
    )
    text, stop, types = "", None, []
    for event in stream:
        types.append(event.type)
        if event.type == "content_block_delta" and event.delta.type == "text_delta":
            text += event.delta.text
        elif event.type == "message_delta":
            stop = event.delta.stop_reason
    assert text == REDACT_EXPECTED
    assert stop == "end_turn"
    assert types[0] == "message_start" and types[-1] == "message_stop"


def test_anthropic_stream_helper_redacts(claude):
    with claude.messages.stream(
        model="mock-echo", max_tokens=256, messages=[{"role": "user", "content": REDACT_PROMPT}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == REDACT_EXPECTED
    assert final.content[0].text == REDACT_EXPECTED
    assert final.stop_reason == "end_turn"


def test_anthropic_block(claude):
    message = claude.messages.create(
        model="mock-echo", max_tokens=256, messages=[{"role": "user", "content": BLOCK_PROMPT}]
    )
    assert message.stop_reason == "refusal"
    assert message.content[0].text == BLOCK_MESSAGE


def test_anthropic_stream_block(claude):
    stream = claude.messages.create(
        model="mock-echo", max_tokens=256, messages=[{"role": "user", "content": BLOCK_PROMPT}], stream=True
    )
    events = list(stream)
    text = "".join(
        event.delta.text for event in events if event.type == "content_block_delta" and event.delta.type == "text_delta"
    )
    assert_no_key(text)
    assert text.endswith(BLOCK_MESSAGE)
    stops = [event.delta.stop_reason for event in events if event.type == "message_delta"]
    assert stops == ["refusal"]
    assert events[-1].type == "message_stop"


def test_anthropic_stream_helper_block(claude):
    with claude.messages.stream(
        model="mock-echo", max_tokens=256, messages=[{"role": "user", "content": BLOCK_PROMPT}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert final.stop_reason == "refusal"
    assert_no_key(text)
    assert_no_key(final.model_dump_json())
    assert final.content[0].text.endswith(BLOCK_MESSAGE)


# --------------------------------------------------------------------------- policies


def test_shadow_policy_leaves_text(oai):
    raw = oai.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=chat(REDACT_PROMPT), extra_headers={"Outguard-Policy": "shadow"}
    )
    assert raw.headers["outguard-action"] == "shadow"
    assert raw.parse().choices[0].message.content == REDACT_PROMPT


def test_shadow_policy_stream_leaves_text(oai):
    stream = oai.chat.completions.create(
        model="gpt-4o-mini", messages=chat(BLOCK_PROMPT), stream=True, extra_headers={"Outguard-Policy": "shadow"}
    )
    text, finish = "", None
    for chunk in stream:
        for choice in chunk.choices:
            text += choice.delta.content or ""
            finish = choice.finish_reason or finish
    assert text == BLOCK_PROMPT
    assert finish == "stop"


def test_unknown_policy_openai(oai):
    with pytest.raises(openai.BadRequestError) as caught:
        oai.chat.completions.create(
            model="gpt-4o-mini", messages=chat(CLEAN_PROMPT), extra_headers={"Outguard-Policy": "no-such-policy"}
        )
    assert caught.value.status_code == 400
    assert "no-such-policy" in str(caught.value)
    assert caught.value.code == "unknown_policy"


def test_unknown_policy_anthropic(claude):
    with pytest.raises(anthropic.BadRequestError) as caught:
        claude.messages.create(
            model="mock-echo",
            max_tokens=64,
            messages=[{"role": "user", "content": CLEAN_PROMPT}],
            extra_headers={"Outguard-Policy": "no-such-policy"},
        )
    assert caught.value.status_code == 400
    assert caught.value.body["error"]["type"] == "invalid_request_error"


# --------------------------------------------------------------------------- the stream trailer


def raw_post(proxy, path: str, body: dict, headers: dict[str, str] | None = None) -> tuple[str, dict, bytes, dict]:
    """POSTs over a plain socket and decodes the chunked body itself, trailers included
    (the SDKs' HTTP clients drop trailers). Returns status line, headers, body, trailers."""
    payload = json.dumps(body).encode()
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {proxy.host}:{proxy.port}",
        "Content-Type: application/json",
        f"Content-Length: {len(payload)}",
        "TE: trailers",
        "Connection: close",
    ] + [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection((proxy.host, proxy.port), timeout=20) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status, *header_lines = head.decode("latin-1").split("\r\n")
    response_headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        response_headers.setdefault(name.strip().lower(), value.strip())
    assert response_headers.get("transfer-encoding", "").lower() == "chunked", head
    decoded, trailers = b"", {}
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            for line in rest.decode("latin-1").split("\r\n"):
                if line:
                    name, _, value = line.partition(":")
                    trailers[name.strip().lower()] = value.strip()
            break
        decoded, rest = decoded + rest[:size], rest[size + 2 :]
    return status, response_headers, decoded, trailers


@pytest.mark.parametrize(
    "prompt, action",
    [(CLEAN_PROMPT, "pass"), (REDACT_PROMPT, "redact"), (BLOCK_PROMPT, "block")],
)
def test_stream_action_trailer(proxy, prompt, action):
    status, headers, body, trailers = raw_post(
        proxy, "/v1/chat/completions", {"model": "m", "messages": chat(prompt), "stream": True}
    )
    assert " 200 " in status + " "
    assert headers["content-type"].startswith("text/event-stream")
    assert headers.get("outguard-request-id")
    assert trailers.get("outguard-action") == action
    assert body.endswith(b"data: [DONE]\n\n")


# --------------------------------------------------------------------------- Gemini and Ollama

needs_genai = pytest.mark.skipif(genai is None, reason="google-genai is not installed")
needs_ollama = pytest.mark.skipif(ollama is None, reason="ollama is not installed")


@pytest.fixture(scope="session")
def gemini(proxy):
    return genai.Client(
        api_key="dummy-gemini-key", http_options=genai_types.HttpOptions(base_url=proxy.url, timeout=20_000)
    )


@needs_genai
def test_gemini_redacts(gemini):
    response = gemini.models.generate_content(model="gemini-2.5-flash", contents=REDACT_PROMPT)
    assert response.text == REDACT_EXPECTED
    assert response.candidates[0].finish_reason == genai_types.FinishReason.STOP


@needs_genai
def test_gemini_candidates_redact(gemini):
    response = gemini.models.generate_content(
        model="gemini-2.5-flash",
        contents=REDACT_PROMPT,
        config=genai_types.GenerateContentConfig(candidate_count=2),
    )
    assert [candidate.content.parts[0].text for candidate in response.candidates] == [REDACT_EXPECTED] * 2


@needs_genai
def test_gemini_stream_redacts(gemini):
    chunks = list(gemini.models.generate_content_stream(model="gemini-2.5-flash", contents=REDACT_PROMPT))
    assert "".join(chunk.text or "" for chunk in chunks) == REDACT_EXPECTED
    assert chunks[-1].candidates[0].finish_reason == genai_types.FinishReason.STOP


@needs_genai
def test_gemini_block(gemini):
    response = gemini.models.generate_content(model="gemini-2.5-flash", contents=BLOCK_PROMPT)
    assert response.candidates[0].finish_reason == genai_types.FinishReason.SAFETY
    assert response.candidates[0].content.parts[0].text == BLOCK_MESSAGE


@needs_genai
def test_gemini_stream_block(gemini):
    chunks = list(gemini.models.generate_content_stream(model="gemini-2.5-flash", contents=BLOCK_PROMPT))
    text = "".join(part.text or "" for chunk in chunks for part in chunk.candidates[0].content.parts)
    assert_no_key(text)
    assert text.endswith(BLOCK_MESSAGE)
    assert chunks[-1].candidates[0].finish_reason == genai_types.FinishReason.SAFETY


@pytest.fixture(scope="session")
def llama(proxy):
    return ollama.Client(host=proxy.url, timeout=20)


@needs_ollama
def test_ollama_chat_redacts(llama):
    response = llama.chat(model="llama3.2", messages=[{"role": "user", "content": REDACT_PROMPT}], stream=False)
    assert response.message.content == REDACT_EXPECTED
    assert response.done and response.done_reason == "stop"


@needs_ollama
def test_ollama_chat_stream_redacts(llama):
    parts = list(llama.chat(model="llama3.2", messages=[{"role": "user", "content": REDACT_PROMPT}], stream=True))
    assert "".join(part.message.content for part in parts) == REDACT_EXPECTED
    assert parts[-1].done


@needs_ollama
def test_ollama_generate_redacts(llama):
    response = llama.generate(model="llama3.2", prompt=REDACT_PROMPT, stream=False)
    assert response.response == REDACT_EXPECTED


@needs_ollama
def test_ollama_chat_stream_block(llama):
    parts = list(llama.chat(model="llama3.2", messages=[{"role": "user", "content": BLOCK_PROMPT}], stream=True))
    text = "".join(part.message.content for part in parts)
    assert_no_key(text)
    assert text.endswith(BLOCK_MESSAGE)
    assert parts[-1].done and parts[-1].done_reason == "content_filter"


# --------------------------------------------------------------------------- every API alike
#
# mock:echo streams a word (or three CJK characters) an event, so "090 1234 5678" and
# "4111 1111 1111 1111" arrive split over several events: the proxy must hold them back
# and rewrite the events that carried them.

SPANNING = [
    ("Call 090 1234 5678 today.", "Call [PHONE] today."),
    ("Card 4111 1111 1111 1111 works in the sandbox.", "Card [CARD] works in the sandbox."),
    ("電話は090-1234-5678です。連絡先はtaro@example.jpまで。", "電話は[PHONE]です。連絡先は[EMAIL]まで。"),
    ("このバカ野郎、何をしている", "この＊＊＊野郎、何をしている"),
]


def long_answer() -> tuple[str, str]:
    """A ~16 KB answer with an e-mail address every tenth sentence, and what it becomes."""
    sentences = []
    for number in range(200):
        if number % 10 == 3:
            sentences.append(f"Ticket {number} goes to agent{number}@support.example.com for a reply.")
        else:
            sentences.append(f"Step {number} of the rollout keeps the previous version running beside the new one.")
    text = " ".join(sentences)
    return text, re.sub(r"agent\d+@support\.example\.com", REDACTED_EMAIL, text)


def api_text(api: str, clients: dict, prompt: str, stream: bool) -> str:
    """The answer text the app sees through one API's official SDK."""
    model = "mock-echo"
    if api == "openai.chat":
        if not stream:
            return clients["oai"].chat.completions.create(model=model, messages=chat(prompt)).choices[0].message.content
        chunks = clients["oai"].chat.completions.create(model=model, messages=chat(prompt), stream=True)
        return "".join(choice.delta.content or "" for chunk in chunks for choice in chunk.choices)
    if api == "openai.completions":
        if not stream:
            return clients["oai"].completions.create(model=model, prompt=prompt).choices[0].text
        chunks = clients["oai"].completions.create(model=model, prompt=prompt, stream=True)
        return "".join(choice.text for chunk in chunks for choice in chunk.choices)
    if api == "openai.responses":
        if not stream:
            return clients["oai"].responses.create(model=model, input=prompt).output_text
        events = list(clients["oai"].responses.create(model=model, input=prompt, stream=True))
        deltas = "".join(event.delta for event in events if event.type == "response.output_text.delta")
        done = [event.text for event in events if event.type == "response.output_text.done"]
        completed = [event.response.output_text for event in events if event.type == "response.completed"]
        assert done == [deltas] and completed == [deltas]
        return deltas
    if api == "anthropic":
        messages = [{"role": "user", "content": prompt}]
        if not stream:
            return clients["claude"].messages.create(model=model, max_tokens=4096, messages=messages).content[0].text
        with clients["claude"].messages.stream(model=model, max_tokens=4096, messages=messages) as events:
            text = "".join(events.text_stream)
            assert events.get_final_message().content[0].text == text
        return text
    if api == "gemini":
        if genai is None:
            pytest.skip("google-genai is not installed")
        client = clients["gemini"]()
        if not stream:
            return client.models.generate_content(model=model, contents=prompt).text
        return "".join(chunk.text or "" for chunk in client.models.generate_content_stream(model=model, contents=prompt))
    if api == "ollama":
        if ollama is None:
            pytest.skip("ollama is not installed")
        client = clients["ollama"]()
        messages = [{"role": "user", "content": prompt}]
        if not stream:
            return client.chat(model=model, messages=messages, stream=False).message.content
        return "".join(part.message.content for part in client.chat(model=model, messages=messages, stream=True))
    raise AssertionError(api)


APIS = ["openai.chat", "openai.completions", "openai.responses", "anthropic", "gemini", "ollama"]


@pytest.fixture(scope="session")
def clients(proxy, oai, claude):
    return {
        "oai": oai,
        "claude": claude,
        "gemini": lambda: genai.Client(
            api_key="dummy-gemini-key", http_options=genai_types.HttpOptions(base_url=proxy.url, timeout=20_000)
        ),
        "ollama": lambda: ollama.Client(host=proxy.url, timeout=20),
    }


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("prompt, expected", SPANNING, ids=["phone", "card", "ja-contact", "ja-profanity"])
def test_redaction_across_events(clients, api, prompt, expected):
    assert api_text(api, clients, prompt, stream=False) == expected
    assert api_text(api, clients, prompt, stream=True) == expected


@pytest.mark.parametrize("api", APIS)
def test_long_answer(clients, api):
    text, expected = long_answer()
    assert len(text.encode()) > 14_000, len(text.encode())
    assert api_text(api, clients, text, stream=True) == expected
    assert api_text(api, clients, text, stream=False) == expected


def test_chat_max_choices_stream(oai):
    text, expected = long_answer()
    stream = oai.chat.completions.create(model="mock-echo", messages=chat(text), n=8, stream=True)
    texts, _ = read_choices(stream)
    assert texts == {index: expected for index in range(8)}


def test_unknown_route_passes_upstream_error(oai):
    # /v1/models is no filtered API: forwarded as it is (unknown_routes: pass); mock:echo
    # answers 404 in OpenAI's error shape, which the SDK raises as NotFoundError.
    if os.environ.get("OUTGUARD_SDK_UPSTREAM", "mock:echo") not in ("mock:echo", "chain"):
        pytest.skip("depends on mock:echo's answer for /v1/models")
    with pytest.raises(openai.NotFoundError) as caught:
        oai.models.list()
    assert caught.value.response.headers["outguard-action"] == "pass"


def test_async_openai_and_anthropic_stream(proxy):
    import asyncio

    async def run() -> tuple[str, str]:
        async with openai.AsyncOpenAI(base_url=proxy.url + "/v1", api_key="sk-dummy", max_retries=0) as client:
            stream = await client.chat.completions.create(model="mock-echo", messages=chat(REDACT_PROMPT), stream=True)
            oai_text = "".join([choice.delta.content or "" async for chunk in stream for choice in chunk.choices])
        async with anthropic.AsyncAnthropic(base_url=proxy.url, api_key="sk-ant-dummy", max_retries=0) as client:
            async with client.messages.stream(
                model="mock-echo", max_tokens=256, messages=[{"role": "user", "content": BLOCK_PROMPT}]
            ) as stream:
                claude_text = "".join([text async for text in stream.text_stream])
                final = await stream.get_final_message()
                assert final.stop_reason == "refusal"
        return oai_text, claude_text

    oai_text, claude_text = asyncio.run(asyncio.wait_for(run(), 30))
    assert oai_text == REDACT_EXPECTED
    assert_no_key(claude_text)
    assert claude_text.endswith(BLOCK_MESSAGE)


def test_outguard_behind_outguard_reports_one_action(tmp_path):
    # An upstream that is itself an Outguard sends its own Outguard-Action and
    # Outguard-Request-Id; the client must see only the nearer proxy's, once each.
    timeout = float(os.environ.get("OUTGUARD_SDK_START_TIMEOUT", "60"))
    (tmp_path / "no-rules").mkdir()
    (tmp_path / "echo.yaml").write_text("listen: 127.0.0.1:0\nupstream: mock:echo\nrules: [no-rules/]\n")
    env = {"OUTGUARD_LOG_PATH": str(tmp_path / "violations.jsonl")}
    inner = Daemon(["--config", str(tmp_path / "echo.yaml")], timeout, env)
    try:
        outer = Daemon(["--config", str(CONFIG), "--listen", "127.0.0.1:0", "--upstream", inner.url], timeout, env)
        try:
            client = openai.OpenAI(base_url=outer.url + "/v1", api_key="sk-dummy", timeout=20, max_retries=0)
            raw = client.chat.completions.with_raw_response.create(model="mock-echo", messages=chat(REDACT_PROMPT))
            assert raw.parse().choices[0].message.content == REDACT_EXPECTED
            assert raw.headers.get_list("outguard-action") == ["redact"]
            assert len(raw.headers.get_list("outguard-request-id")) == 1
        finally:
            outer.stop()
    finally:
        inner.stop()
