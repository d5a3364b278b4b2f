#!/usr/bin/env python3
"""Opens N streaming chat requests at once against a proxy, waits until every one has
received its first event, then reads /proc/PID/status of the proxy (VmRSS, VmHWM)
while all streams are still open, and closes them. Standard library only.

    python3 bench/open_streams.py --port 8080 --pid 1234 --streams 1000

Prints one JSON line: {"streams": opened, "ready": with a first event, "failed": n,
"rss_kb": ..., "hwm_kb": ..., "seconds": time to get all of them going}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

BODY = json.dumps(
    {"model": "slow", "stream": True, "messages": [{"role": "user", "content": "Keep talking, slowly."}]}
).encode()


def proc_status(pid: int) -> dict[str, int]:
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])
    return values


async def open_stream(host: str, port: int, ready: asyncio.Event, counts: dict, hold: asyncio.Event):
    writer = None
    try:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer sk-dummy\r\n"
            + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
            + BODY
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0] + b" ":
            raise RuntimeError(head.split(b"\r\n", 1)[0].decode())
        # The first event (the role chunk) proves the stream is flowing through the proxy.
        buffered = b""
        while b"data:" not in buffered:
            more = await reader.read(4096)
            if not more:
                raise RuntimeError("closed before the first event")
            buffered += more
        counts["ready"] += 1
        if counts["ready"] + counts["failed"] == counts["streams"]:
            ready.set()
        await hold.wait()
    except Exception as error:  # noqa: BLE001 - counted and reported
        counts["failed"] += 1
        counts.setdefault("errors", set()).add(str(error)[:120])
        if counts["ready"] + counts["failed"] == counts["streams"]:
            ready.set()
    finally:
        if writer is not None:
            writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    counts = {"streams": args.streams, "ready": 0, "failed": 0}
    ready, hold = asyncio.Event(), asyncio.Event()
    started = time.monotonic()
    tasks = []
    for _ in range(args.streams):
        tasks.append(asyncio.create_task(open_stream(args.host, args.port, ready, counts, hold)))
        await asyncio.sleep(0)  # let each connection start; avoids a SYN burst past the backlog
    try:
        await asyncio.wait_for(ready.wait(), args.timeout)
    except asyncio.TimeoutError:
        pass
    elapsed = time.monotonic() - started
    await asyncio.sleep(1)  # let the proxy settle with every stream open
    status = proc_status(args.pid)
    hold.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(
        json.dumps(
            {
                "streams": args.streams,
                "ready": counts["ready"],
                "failed": counts["failed"],
                "errors": sorted(counts.get("errors", []))[:3],
                "rss_kb": status.get("VmRSS"),
                "hwm_kb": status.get("VmHWM"),
                "seconds": round(elapsed, 2),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
