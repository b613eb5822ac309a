#!/usr/bin/env python3
"""A TCP proxy that adds a fixed round-trip time between a client and
moto_server, as a network between the operator and AWS would: every byte
arrives RTT/2 after it was sent, in both directions, with no limit on
bandwidth and no reordering. Concurrent connections are independent, so a
client that keeps 16 requests in flight pays the RTT once per 16 calls,
while a sequential client pays it on every call.

usage: latency_proxy.py LISTEN_PORT TARGET_PORT RTT_MS
Prints "ready" on stdout once listening (both sides on 127.0.0.1).
"""
import asyncio
import sys
import time

listen_port, target_port, rtt_ms = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
one_way = rtt_ms / 2000.0


async def pump(reader, writer):
    """Copies reader to writer, delivering each chunk one_way seconds after it was read."""
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            writer.write(data)
            await writer.drain()
        writer.close()

    task = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(65536)
            queue.put_nowait((time.monotonic() + one_way, data or None))
            if not data:
                break
    except (ConnectionError, asyncio.CancelledError):
        queue.put_nowait((0, None))
    await task


async def handle(client_reader, client_writer):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(
        pump(client_reader, server_writer),
        pump(server_reader, client_writer),
        return_exceptions=True,
    )


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", listen_port, backlog=256)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
