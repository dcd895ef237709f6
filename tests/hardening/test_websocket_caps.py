"""Live-board websockets are capped: connections per client address and messages per second.
Over a cap the socket closes with 4429."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
ORIGIN = [(b"origin", b"http://127.0.0.1")]
SITE_BOARD = "/ws/leaderboards/contributors/all/"


def _connect(ip: str = "198.51.100.7") -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, SITE_BOARD, headers=ORIGIN)
    communicator.scope["client"] = (ip, 50000)
    return communicator


async def test_connections_beyond_the_per_ip_cap_close_with_4429(settings):
    settings.WEBSOCKET_MAX_CONNECTIONS_PER_IP = 3
    open_sockets = []
    for _ in range(3):
        socket = _connect()
        connected, _code = await socket.connect()
        assert connected
        await socket.receive_from(timeout=3)  # the first snapshot
        open_sockets.append(socket)
    extra = _connect()
    connected, _code = await extra.connect()
    closed = await extra.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4429}
    other_ip = _connect("203.0.113.9")  # another address is not affected
    assert (await other_ip.connect())[0]
    await other_ip.disconnect()
    await open_sockets[0].disconnect()
    again = _connect()  # a slot freed up
    assert (await again.connect())[0]
    await again.receive_from(timeout=3)
    await again.disconnect()
    for socket in open_sockets[1:]:
        await socket.disconnect()


async def test_a_client_sending_too_fast_is_closed_with_4429(settings):
    settings.WEBSOCKET_MAX_MESSAGES_PER_SECOND = 5
    socket = _connect()
    assert (await socket.connect())[0]
    await socket.receive_from(timeout=3)
    for _ in range(5):
        await socket.send_to(text_data='{"type": "ping"}')
        assert await socket.receive_from(timeout=3) == '{"type": "pong"}'
    await socket.send_to(text_data='{"type": "ping"}')
    assert await socket.receive_output(timeout=3) == {"type": "websocket.close", "code": 4429}
    await socket.disconnect()
