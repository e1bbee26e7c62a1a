# A WebSocket echo revision: replies "<K_REVISION>:<message>" (Debian's python3-websockets).
import asyncio
import os

import websockets

REVISION = os.environ["K_REVISION"]


async def echo(ws, path=None):
    async for message in ws:
        await ws.send(REVISION + ":" + message)


async def main():
    async with websockets.serve(echo, "127.0.0.1", int(os.environ["PORT"])):
        await asyncio.Future()


asyncio.run(main())
