#!/usr/bin/env python3
"""A slow OpenAI-shaped streaming upstream for bench/load.sh: every POST gets a
`text/event-stream` chat completion whose chunks come one every --interval seconds,
so many streams stay open at once. Standard library only (asyncio).

    python3 bench/slow_upstream.py --port 9000 --chunks 30 --interval 1.0

Prints "ready PORT" on stdout once it listens. Answers over HTTP/1.1 with chunked
transfer encoding and keeps connections alive, as an LLM server does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

WORDS = (
    "Outguard keeps this stream open so that the proxy holds many connections at once "
    "while the benchmark reads its memory use. "
).split()


def frame(payload: dict | str) -> bytes:
    data = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    body = f"data: {data}\n\n".encode()
    return f"{len(body):x}\r\n".encode() + body + b"\r\n"


def chunk(index: int, delta: dict, finish: str | None = None) -> dict:
    return {
        "id": "chatcmpl-slow",
        "object": "chat.completion.chunk",
        "created": 1760000000,
        "model": "slow-upstream",
        "system_fingerprint": None,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, chunks: int, interval: float) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.decode("latin-1").split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if length:
                await reader.readexactly(length)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
            )
            writer.write(frame(chunk(0, {"role": "assistant", "content": ""})))
            await writer.drain()
            for number in range(chunks):
                await asyncio.sleep(interval)
                writer.write(frame(chunk(0, {"content": WORDS[number % len(WORDS)] + " "})))
                await writer.drain()
            writer.write(frame(chunk(0, {}, "stop")) + frame("[DONE]") + b"0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--chunks", type=int, default=30)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, args.chunks, args.interval), args.host, args.port, backlog=4096
    )
    print("ready", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
