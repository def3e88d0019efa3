#!/usr/bin/python3
"""A recording SMTP server for the relay tests (Debian's python3-aiosmtpd).

usage: recording_smtp.py PORT DIR [CERT KEY]

With CERT and KEY (PEM files) the server offers STARTTLS with that certificate; without, it offers none.
Each accepted message becomes DIR/<n>.eml (the bytes after dot-unstuffing) and DIR/<n>.json
({"from": ..., "to": [...], "tls": "TLSv1.3" or null}, written last, so a .json means a complete message; "tls"
is the protocol of the session that carried it). Every RCPT TO is logged as a line "<unix time> <reply code>
<address>" in DIR/rcpt.log, so a test can see when each delivery attempt came. Behaviour is steered by files the
test writes into DIR, read on every command:
  DIR/reject    one address per line: RCPT TO for it gets 550 5.1.1
  DIR/tempfail  exists: RCPT TO gets 451 4.3.0, for every address if the file is empty, else for the addresses
                listed in it (one per line)
  DIR/users     exists: the server knows only the addresses listed (one per line); RCPT TO for any other gets
                550 5.1.1
"""
import json
import os
import signal
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        self.count = 0

    def _addresses(self, name):
        """The addresses listed in DIR/name; None when the file does not exist."""
        try:
            with open(os.path.join(self.directory, name), encoding="utf-8") as f:
                return {line.strip().lower() for line in f if line.strip()}
        except FileNotFoundError:
            return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self._rcpt_reply(address)
        with self.lock, open(os.path.join(self.directory, "rcpt.log"), "a", encoding="utf-8") as log:
            log.write("%.3f %s %s\n" % (time.time(), reply[:3], address))
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    def _rcpt_reply(self, address):
        tempfail = self._addresses("tempfail")
        if tempfail is not None and (not tempfail or address.lower() in tempfail):
            return "451 4.3.0 try again later"
        if address.lower() in (self._addresses("reject") or set()):
            return "550 5.1.1 <%s>: no such user" % address
        users = self._addresses("users")
        if users is not None and address.lower() not in users:
            return "550 5.1.1 <%s>: no such user" % address
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = "%06d-%d" % (self.count, os.getpid())
        base = os.path.join(self.directory, name)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".tmp", "w", encoding="utf-8") as f:
            tls = session.ssl["ssl_object"].version() if session.ssl and "ssl_object" in session.ssl else None
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "tls": tls}, f)
        os.rename(base + ".tmp", base + ".json")
        return "250 2.0.0 recorded as %s" % name


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    tls = {}
    if len(sys.argv) == 5:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        tls = {"tls_context": context}
    controller = Controller(Recorder(directory), hostname="127.0.0.1", port=port, enable_SMTPUTF8=True,
                            data_size_limit=100 * 1024 * 1024, **tls)
    controller.start()
    print("listening on 127.0.0.1:%d" % port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    controller.stop()


if __name__ == "__main__":
    main()
