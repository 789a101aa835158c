"""A real SMTP server of the test's own on 127.0.0.1, so the report's e-mails go through Django's SMTP backend.

It records every message it accepted, and makes the faults a mail server makes, on the Nth message it is given
(counted from 1 across connections, by MAIL FROM):
- `refuse`: the recipient is refused (550 on RCPT TO), the session goes on;
- `unavailable`: the server gives up (421 and closes the connection), as an overloaded or restarting one does;
- `hold`: the message's data is received, then the server waits before answering, until `release()`
  (a process killed meanwhile never learns whether its e-mail left);
and `delay` seconds before each answer to DATA, to make two senders overlap.
"""

import contextlib
import socketserver
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes


@dataclass
class Behaviour:
    faults: dict[int, str] = field(default_factory=dict)  # message number -> "refuse" | "unavailable" | "hold"
    delay: float = 0.0


class _Handler(socketserver.StreamRequestHandler):
    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        # The client may go away mid-conversation (a killed worker): what the server holds is recorded already.
        with contextlib.suppress(OSError):
            self._converse()

    def _converse(self):
        server: SMTPServer = self.server.owner
        self._reply("220 localhost ESMTP test server")
        number, fault, sender, recipients = 0, "", "", []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n")
                self.wfile.flush()
            elif verb == "HELO":
                self._reply("250 localhost")
            elif verb == "MAIL":
                number = server.next_number()
                fault = server.behaviour.faults.get(number, "")
                sender, recipients = command.split(":", 1)[1].strip().strip("<>").split(">")[0], []
                if fault == "unavailable":
                    self._reply("421 4.3.2 Service not available, closing transmission channel")
                    return
                self._reply("250 2.1.0 Ok")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().split(">")[0].strip("<")
                if fault == "refuse":
                    self._reply(f"550 5.1.1 <{address}>: Recipient address rejected: User unknown")
                else:
                    recipients.append(address)
                    self._reply("250 2.1.5 Ok")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := self.rfile.readline()) and chunk != b".\r\n":
                    data += chunk
                if fault == "hold":
                    server.held.append(Received(sender, recipients, data))
                    server.holding.set()
                    server.released.wait(60)
                time.sleep(server.behaviour.delay)
                server.accept(Received(sender, recipients, data))
                self._reply("250 2.0.0 Ok: queued")
            elif verb == "RSET":
                recipients = []
                self._reply("250 2.0.0 Ok")
            elif verb == "NOOP":
                self._reply("250 2.0.0 Ok")
            elif verb == "QUIT":
                self._reply("221 2.0.0 Bye")
                return
            else:
                self._reply("502 5.5.2 Command not recognized")


class _ThreadingServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SMTPServer:
    def __init__(self, behaviour: Behaviour | None = None):
        self.behaviour = behaviour or Behaviour()
        self.received: list[Received] = []
        self.held: list[Received] = []
        self.holding, self.released = threading.Event(), threading.Event()
        self._lock = threading.Lock()
        self._count = 0
        self._server = _ThreadingServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "SMTPServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()

    def next_number(self) -> int:
        with self._lock:
            self._count += 1
            return self._count

    def accept(self, message: Received) -> None:
        with self._lock:
            self.received.append(message)

    def release(self) -> None:
        self.released.set()

    def recipients(self) -> list[str]:
        """Every address a message was accepted for, once per message."""
        return [address for message in self.received for address in message.recipients]
