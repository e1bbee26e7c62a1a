"""The demo worker: behaves like the service in the 2025-09-09 incident.

Serve with: gunicorn -k uvicorn.workers.UvicornWorker -w 1 --bind 127.0.0.1:$PORT app:app
(Debian's gunicorn, python3-uvicorn, python3-starlette, python3-redis; scripts/install-deps installs them.)

- On startup (ASGI lifespan) it validates Redis from REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_TLS
  within STARTUP_TIMEOUT seconds. On failure it raises: uvicorn reports "Application startup failed.
  Exiting." and the gunicorn master exits 3 ("Worker failed to boot.") - the real exit path.
- GET /health/ready answers 200 only while Redis answers PING.
- WS /ws: on a chat message it stores session state in Redis and sends agent_started, agent_thinking,
  tool_executing, tool_completed, agent_completed as JSON {"type": ...}; when Redis fails
  mid-conversation it closes with 1011.
"""
import asyncio
import contextlib
import json
import logging
import os
import uuid

import redis.asyncio as aioredis
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

log = logging.getLogger("worker")
EVENTS = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]


def redis_client() -> aioredis.Redis:
    timeout = float(os.environ.get("REDIS_TIMEOUT", "1.5"))
    return aioredis.Redis(
        host=os.environ.get("REDIS_HOST", "127.0.0.1"),
        port=int(os.environ.get("REDIS_PORT", "6379")),
        password=os.environ.get("REDIS_PASSWORD") or None,
        ssl=os.environ.get("REDIS_TLS", "false").lower() == "true",
        ssl_cert_reqs="none",
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
    )


async def validate_redis(client: aioredis.Redis) -> None:
    """Startup validation that reports what failed instead of swallowing it."""
    budget = float(os.environ.get("STARTUP_TIMEOUT", "5"))
    deadline = asyncio.get_running_loop().time() + budget
    last = None
    while asyncio.get_running_loop().time() < deadline:
        try:
            await client.ping()
            log.warning("startup validation passed: redis reachable")
            return
        except Exception as e:  # report the class: "dependency down" and "checker broken" must differ
            last = e
            await asyncio.sleep(0.5)
    raise RuntimeError(
        "CRITICAL STARTUP FAILURE: readiness validation failed. Failed services: [redis]. "
        f"Elapsed: {budget:.2f}s. Last error: {type(last).__name__}: {last}")


@contextlib.asynccontextmanager
async def lifespan(app):
    app.state.redis = redis_client()
    await validate_redis(app.state.redis)
    yield
    await app.state.redis.close()


async def ready(request):
    try:
        await request.app.state.redis.ping()
        return JSONResponse({"status": "ready", "redis": "ok"})
    except Exception as e:
        return JSONResponse({"status": "not ready", "redis": type(e).__name__}, status_code=503)


async def chat(ws: WebSocket):
    await ws.accept()
    client = ws.app.state.redis
    session = str(uuid.uuid4())
    try:
        while True:
            message = json.loads(await ws.receive_text())
            for event in EVENTS:
                await client.hset(f"session:{session}", mapping={"last_event": event, "text": message.get("text", "")})
                await client.expire(f"session:{session}", 300)
                await ws.send_text(json.dumps({"type": event, "session": session}))
                await asyncio.sleep(float(os.environ.get("EVENT_INTERVAL", "0.05")))
    except WebSocketDisconnect:
        return
    except Exception as e:
        log.error("websocket failed: %s: %s", type(e).__name__, e)
        await ws.close(code=1011, reason=f"redis unavailable: {type(e).__name__}"[:120])


app = Starlette(routes=[Route("/health/ready", ready), WebSocketRoute("/ws", chat)], lifespan=lifespan)
