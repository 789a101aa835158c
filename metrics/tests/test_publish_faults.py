"""Publishing through a real socket that fails for real: whether a failed publish may have reached the platform.

A server of the test's own on loopback stands in for X and Meta (the connectors are pointed at it with `base_url`)
and fails the way a network does: it never answers (a read timeout), reads the whole request and hangs up (a
connection dropped after sending), answers with a gateway's HTML page, or is not there at all (refused), or has its
accept queue full so that the connection is never made (a connect timeout). The first three may have left a post
behind (may_have_happened=True); the last two cannot have (False). The server records what it received, so each
test also shows that the request did or did not arrive.
"""

import contextlib
import socket
import threading
import time

import pytest

from metrics.connectors.base import TransientError
from metrics.connectors.meta import FacebookPageConnector, InstagramConnector
from metrics.connectors.x import XConnector

pytestmark = pytest.mark.fault  # real sockets that time out, hang up or refuse

TIMEOUT = 0.5


class LocalPlatform:
    """A TCP server on 127.0.0.1 that reads each request whole, then fails as told: "silent" (never answers),
    "hang_up" (closes without a reply), "gateway" (a 502 HTML page)."""

    def __init__(self, mode: str):
        self.mode, self.requests = mode, []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read_request(self, conn) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), 0
        )
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return head + b"\r\n\r\n" + body

    def _serve(self):
        self.sock.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                self.requests.append(self._read_request(conn))
                if self.mode == "silent":
                    self.stop.wait(TIMEOUT * 4)
                elif self.mode == "gateway":
                    body = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
                    conn.sendall(
                        b"HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Type: text/html\r\n"
                        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                        + body
                    )
                # "hang_up": the with-block closes the connection without a reply

    def close(self):
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def platform(request):
    server = LocalPlatform(request.param)
    yield server
    server.close()


@pytest.fixture
def nobody_listening():
    """An address where nothing listens: the connection is refused before anything is sent."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    probe.close()
    return url


@pytest.fixture
def full_accept_queue():
    """A server that never accepts, its queue already full: a new connection is never made (connect timeout)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    waiting = []
    for _ in range(4):
        client = socket.socket()
        client.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            client.connect(("127.0.0.1", port))
        waiting.append(client)
    time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    for client in waiting:
        client.close()
    server.close()


def x_at(url):
    return XConnector(token="user-token", timeout=TIMEOUT, base_url=url)


def page_at(url):
    return FacebookPageConnector(token="page-token", timeout=TIMEOUT, page_id="102938475610293", base_url=f"{url}/")


def publish_x(url):
    return x_at(url).publish(text="Launch day")


def publish_page(url):
    return page_at(url).publish(text="Launch day")


PUBLISHERS = [pytest.param(publish_x, id="x"), pytest.param(publish_page, id="facebook")]


@pytest.mark.parametrize("platform", ["silent", "hang_up", "gateway"], indirect=True)
@pytest.mark.parametrize("publish", PUBLISHERS)
def test_a_publish_that_reached_the_platform_and_got_no_answer_may_have_happened(platform, publish):
    with pytest.raises(TransientError) as caught:
        publish(platform.url)
    assert caught.value.may_have_happened is True
    assert len(platform.requests) == 1 and b"Launch" in platform.requests[0]  # it did arrive


@pytest.mark.parametrize("platform", ["silent", "hang_up", "gateway"], indirect=True)
def test_a_read_that_fails_the_same_ways_is_transient_and_wrote_nothing(platform):
    with pytest.raises(TransientError) as caught:
        page_at(platform.url).fetch_profile(handle="acmepage")
    assert caught.value.may_have_happened is False


@pytest.mark.parametrize("publish", PUBLISHERS)
def test_a_refused_connection_cannot_have_published(nobody_listening, publish):
    with pytest.raises(TransientError) as caught:
        publish(nobody_listening)
    assert caught.value.may_have_happened is False


@pytest.mark.parametrize("publish", PUBLISHERS)
def test_a_connect_timeout_cannot_have_published(full_accept_queue, publish):
    with pytest.raises(TransientError) as caught:
        publish(full_accept_queue)
    assert caught.value.may_have_happened is False
    assert "could not be reached" in str(caught.value)


@pytest.mark.parametrize("platform", ["silent"], indirect=True)
def test_an_instagram_container_that_times_out_published_nothing(platform):
    # The container step is not the publish: a timeout there leaves no post behind, so the post may be sent again.
    ig = InstagramConnector(token="t", timeout=TIMEOUT, own_account_id="1784", base_url=f"{platform.url}/")
    with pytest.raises(TransientError) as caught:
        ig.publish(text="Studio day", media_urls=["https://media.example/studio.jpg"])
    assert caught.value.may_have_happened is False
    assert b"/media " in platform.requests[0] or b"/media?" in platform.requests[0]
