#!/usr/bin/env python3
"""Load helpers for bench/load.sh.
  hold PORT N SECONDS          open N SMTP sessions (EHLO, then NOOP every 20 s) and keep them for SECONDS
  latency PORT COUNT           send COUNT messages one after another; print p50/p99 ms from end of DATA to the reply
  big PORT MB PID              send one MB-megabyte message while sampling PID's RSS; print the RSS rise in MB
"""
import asyncio, os, smtplib, socket, sys, threading, time

def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

async def hold(port, n, seconds):
    async def one(i):
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port)
            await r.readline()
            w.write(b"EHLO idle.test\r\n")
            while not (await r.readline())[3:4] == b" ":
                pass
            end = time.time() + seconds
            while time.time() < end:
                await asyncio.sleep(min(20, max(0, end - time.time())))
                w.write(b"NOOP\r\n"); await r.readline()
            w.write(b"QUIT\r\n"); w.close()
            return True
        except Exception:
            return False
    results = await asyncio.gather(*(one(i) for i in range(n)))
    print(f"held {sum(results)}/{n} sessions for {seconds}s")

def latency(port, count):
    s = smtplib.SMTP("127.0.0.1", port, timeout=60); s.ehlo("probe.test")
    s.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle/delayed-ACK wait on the final ".\r\n"
    body = ("Subject: latency probe\r\nFrom: probe@sender.test\r\nTo: probe@example.org\r\n\r\n" + "x" * 76 + "\r\n") * 1
    body = body + ("line of an ordinary business letter, nothing special here\r\n" * 150)
    times = []
    for i in range(count):
        s.mail("probe@sender.test"); s.rcpt("probe@example.org")
        code, _ = s.docmd("DATA")
        assert code == 354, code
        payload = body.encode().replace(b"\r\n.", b"\r\n..")
        s.sock.sendall(payload)
        t0 = time.perf_counter(); s.sock.sendall(b".\r\n")
        code, _ = s.getreply()
        times.append((time.perf_counter() - t0) * 1000)
        assert code == 250, code
    s.quit(); times.sort()
    print(f"latency end-of-DATA to reply over {count} messages: p50 {times[len(times)//2]:.2f} ms, p99 {times[int(len(times)*0.99)-1]:.2f} ms")

def big(port, mb, pid):
    before = rss_mb(pid); peak = [before]; stop = [False]
    def sample():
        while not stop[0]:
            peak[0] = max(peak[0], rss_mb(pid)); time.sleep(0.02)
    t = threading.Thread(target=sample); t.start()
    s = smtplib.SMTP("127.0.0.1", port, timeout=300); s.ehlo("big.test")
    line = b"A" * 998 + b"\r\n"
    s.mail("big@sender.test"); s.rcpt("big@example.org"); s.docmd("DATA")
    s.sock.sendall(b"Subject: big\r\n\r\n")
    for _ in range(mb * 1024 * 1024 // len(line)):
        s.sock.sendall(line)
    s.sock.sendall(b".\r\n"); code, msg = s.getreply(); s.quit()
    stop[0] = True; t.join()
    print(f"{mb} MB message: reply {code}; RSS before {before:.0f} MB, peak {peak[0]:.0f} MB, rise {peak[0]-before:.0f} MB")

cmd = sys.argv[1]
if cmd == "hold": asyncio.run(hold(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
elif cmd == "latency": latency(int(sys.argv[2]), int(sys.argv[3]))
elif cmd == "big": big(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
