"""Reference classifier service for Outguard's `type: classifier` rules.

    python3 deploy/classifier/server.py --port 9090

Speaks two protocols over the profanity model of alt-profanity-check (see model.py):
  POST /v1/moderations  OpenAI's moderation API (protocol `openai-moderation`)
  POST /v1/classify     Outguard's own: {"text", "rule", "categories"} -> {"scores"} (protocol `outguard`)
  GET  /healthz         200 "ok"
Prints `listening on http://HOST:PORT` on stdout once the model is loaded (with --port 0 the
port is the one the system chose). --delay-ms and --garbage make it a slow or broken
classifier for Outguard's end-to-end tests; without them it behaves normally.

uvicorn + Starlette rather than the standard library's http.server: keep-alive, concurrent
connections and a fast HTTP parser (httptools, with uvloop; uvicorn picks them when installed)
come with it, and the handlers stay plain functions.
"""

import argparse
import asyncio
import json
import socket
import sys
import uuid

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

import model as profanity

DEFAULT_MAX_BODY_BYTES = 1 << 20  # 1 MiB: far more than one answer of a model, far less than memory

# What --garbage answers: `not-json` cannot be parsed; `wrong-shape` parses but fits neither protocol.
GARBAGE = {
    "not-json": b'<html>this is not JSON {"scores": ',
    "wrong-shape": b'{"status": "garbage", "scores": [1, 2], "results": "none"}',
}


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status, message):
    kind = "invalid_request_error" if status < 500 else "server_error"
    return JSONResponse({"error": {"message": message, "type": kind}}, status_code=status)


async def read_json(request, limit):
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"request body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():  # also bounds bodies sent without a Content-Length
        body += chunk
        if len(body) > limit:
            raise ApiError(413, f"request body is larger than {limit} bytes")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: absurdly nested arrays
        raise ApiError(400, "request body is not valid JSON (UTF-8)") from None


def require_object(body):
    if not isinstance(body, dict):
        raise ApiError(400, "request body must be a JSON object")
    return body


def moderation_inputs(body):
    """The texts of an OpenAI moderation request: one result is due for each."""
    if "input" not in body:
        raise ApiError(400, "missing field 'input'")
    if not isinstance(body.get("model", ""), str):
        raise ApiError(400, "'model' must be a string")
    given = body["input"]
    if isinstance(given, str):
        return [given]
    if isinstance(given, list) and given and all(isinstance(x, str) for x in given):
        return given
    if isinstance(given, list) and given and all(isinstance(x, dict) for x in given):
        # OpenAI's multi-modal form: the parts make up one input and get one result.
        texts = []
        for part in given:
            if part.get("type") == "text" and isinstance(part.get("text"), str):
                texts.append(part["text"])
            elif part.get("type") == "image_url":
                raise ApiError(400, "image inputs are not supported: this classifier reads text only")
            else:
                raise ApiError(400, "each input part must be {\"type\": \"text\", \"text\": \"...\"}")
        return ["\n".join(texts)]
    raise ApiError(400, "'input' must be a string, a non-empty array of strings, or an array of text parts")


def create_app(model, delay_ms=0, garbage=None, max_body_bytes=DEFAULT_MAX_BODY_BYTES):
    def classifier_endpoint(handler):
        # The test knobs wrap only the classifier endpoints, so /healthz stays quick and honest.
        async def endpoint(request):
            if delay_ms:
                await asyncio.sleep(delay_ms / 1000)  # a sleep, not a block: slow answers overlap
            if garbage:
                return Response(GARBAGE[garbage], media_type="application/json")
            try:
                return JSONResponse(handler(require_object(await read_json(request, max_body_bytes))))
            except ApiError as error:
                return error_response(error.status, error.message)

        return endpoint

    def moderations(body):
        results = []
        for text in moderation_inputs(body):
            scores = profanity.openai_scores(model.score(text))
            flags = {name: score >= profanity.FLAG_THRESHOLD for name, score in scores.items()}
            results.append({
                "flagged": any(flags.values()),
                "categories": flags,
                "category_scores": scores,
                # Which input types each score looked at: none, for the categories never scored.
                "category_applied_input_types": {
                    name: ["text"] if name in profanity.SIGNAL_CATEGORIES else [] for name in scores
                },
            })
        return {"id": "modr-" + uuid.uuid4().hex, "model": model.name, "results": results}

    def classify(body):
        text = body.get("text")
        if not isinstance(text, str):
            raise ApiError(400, "missing field 'text' (a string)")
        if not isinstance(body.get("rule", ""), str):
            raise ApiError(400, "'rule' must be a string")
        wanted = body.get("categories")
        if wanted is None or wanted == []:
            wanted = list(profanity.SIGNAL_CATEGORIES)
        if not isinstance(wanted, list) or not all(isinstance(c, str) for c in wanted):
            raise ApiError(400, "'categories' must be an array of strings")
        unknown = [c for c in wanted if c not in profanity.SIGNAL_CATEGORIES]
        if unknown:
            raise ApiError(400, f"unknown categories {json.dumps(unknown)}: this classifier knows "
                                f"{json.dumps(profanity.SIGNAL_CATEGORIES)}")
        probability = model.score(text)
        return {"scores": {name: probability for name in wanted}}

    async def healthz(request):
        return PlainTextResponse("ok")

    async def http_error(request, error):  # 404 and 405 in the same JSON shape as the rest
        return error_response(error.status_code, f"{error.detail}: {request.method} {request.url.path}")

    async def internal_error(request, error):
        return error_response(500, f"internal error: {type(error).__name__}")

    return Starlette(
        routes=[
            Route("/v1/moderations", classifier_endpoint(moderations), methods=["POST"]),
            Route("/v1/classify", classifier_endpoint(classify), methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        exception_handlers={HTTPException: http_error, Exception: internal_error},
    )


def parse_args(argv):
    def non_negative(value):
        number = int(value)
        if number < 0:
            raise argparse.ArgumentTypeError("must be 0 or more")
        return number

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=non_negative, default=9090, help="0: let the system choose")
    parser.add_argument("--max-body-bytes", type=non_negative, default=DEFAULT_MAX_BODY_BYTES,
                        help="larger request bodies get 413 (default: 1 MiB)")
    parser.add_argument("--delay-ms", type=non_negative, default=0,
                        help="test knob: wait this long before each classifier answer")
    parser.add_argument("--garbage", nargs="?", const="not-json", choices=sorted(GARBAGE),
                        help="test knob: answer every classifier request with 200 and a body "
                             "that is not JSON (default) or not of the protocol (wrong-shape)")
    parser.add_argument("--access-log", action="store_true", help="log each request (slower)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    model = profanity.ProfanityModel()
    print(f"loaded {model.name} in {profanity.LOAD_SECONDS:.1f} s"
          f"{'' if model.fast else ' (fast path off: using the library call)'}", file=sys.stderr)

    # Bind before announcing, so that the announced port is real and connections made right
    # after the announcement wait in the backlog instead of being refused.
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    try:
        # IPPROTO_TCP spelled out: asyncio turns Nagle off (TCP_NODELAY) only on connections
        # of such a socket; with proto 0 each keep-alive answer waited ~40 ms for a delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.host, args.port))
        sock.listen(512)
    except OSError as error:
        sys.exit(f"cannot listen on {args.host}:{args.port}: {error}")
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    print(f"listening on http://{shown}:{port}", flush=True)

    app = create_app(model, args.delay_ms, args.garbage, args.max_body_bytes)
    config = uvicorn.Config(app, log_level="warning", access_log=args.access_log,
                            timeout_graceful_shutdown=2, server_header=False)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
