#!/usr/bin/env python3
"""clamd CPU time per scan: sends a fixed message set to a running clamd over its unix socket with zINSTREAM,
C concurrent connections (zIDSESSION sessions like the gateway's ClamdSessionPool, or --per-scan-connection),
and reports clamd's CPU ms/scan (utime+stime of the clamd process from /proc/PID/stat, before/after) and scans/s.

  bench/clamd-cpu.py --socket DIR/clamd.sock --pid PID --set plain|sa [--count N] [--concurrency 4]

Every message is made unique (a Received line with a run nonce and a counter), since clamd caches clean results by
hash. Message sets:
  plain  N (default 2000) ~10 KB plain-text messages like Postfix smtp-source's (From/To/Date/Message-Id/Subject,
         then 'La de da de da N.' lines)
  sa     N (default 1500) SpamAssassin corpus messages (ham and spam) from /work/shared/corpus/spamassassin, chosen by
         the md5 of the file name, LF converted to CRLF as an SMTP client sends them
"""
import argparse, hashlib, os, socket, struct, sys, threading, time, uuid

CORPUS = "/work/shared/corpus/spamassassin"


def plain_messages(n, nonce):
    out = []
    for i in range(n):
        head = (f"Received: from bench (localhost [127.0.0.1]) by mailgw id {nonce}.{i}\r\n"
                f"From: <foo@example.com>\r\nTo: <bar@example.com>\r\n"
                f"Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-Id: <{nonce}.{i}@example.com>\r\n"
                f"Subject: smtp-source test\r\n\r\n")
        body, k = [], 1
        size = len(head)
        while size < 10240:
            line = f"La de da de da {k}.\r\n"
            body.append(line); size += len(line); k += 1
        out.append((head + "".join(body)).encode())
    return out


def sa_files(n):
    files = []
    for root, _, names in os.walk(CORPUS):
        for name in names:
            if name.endswith(".eml"):
                files.append(os.path.join(root, name))
    files.sort(key=lambda p: hashlib.md5(os.path.basename(p).encode()).hexdigest())
    return files[:n]


def sa_messages(n, nonce):
    out = []
    for i, path in enumerate(sa_files(n)):
        data = open(path, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        out.append(f"Received: from bench (localhost [127.0.0.1]) by mailgw id {nonce}.{i}\r\n".encode() + data)
    return out


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12]), int(fields[11]), int(fields[12])  # utime, stime (fields 14, 15)


def read_reply(sock, buf):
    while b"\0" not in buf[0]:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("clamd closed the connection")
        buf[0] += chunk
    reply, _, rest = buf[0].partition(b"\0")
    buf[0] = rest
    return reply.decode(errors="replace")


def instream_frame(msg):
    return b"zINSTREAM\0" + struct.pack(">I", len(msg)) + msg + struct.pack(">I", 0)


def run(args, messages):
    frames = [instream_frame(m) for m in messages]
    lock = threading.Lock()
    state = {"next": 0, "results": {}, "errors": []}

    def take():
        with lock:
            i = state["next"]; state["next"] += 1
            return i if i < len(frames) else None

    def worker():
        try:
            sock, buf = None, [b""]
            if not args.per_scan_connection:
                sock = socket.socket(socket.AF_UNIX); sock.connect(args.socket); sock.sendall(b"zIDSESSION\0")
            while (i := take()) is not None:
                if args.per_scan_connection:
                    s = socket.socket(socket.AF_UNIX); s.connect(args.socket); s.sendall(frames[i])
                    reply = read_reply(s, [b""]); s.close()
                else:
                    sock.sendall(frames[i]); reply = read_reply(sock, buf)
                    reply = reply.split(": ", 1)[1] if ": " in reply else reply  # strip the session's request id
                state["results"][i] = reply
            if sock:
                sock.sendall(b"zEND\0"); sock.close()
        except Exception as e:  # noqa
            state["errors"].append(repr(e))

    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    tick = os.sysconf("SC_CLK_TCK")
    c0, u0, s0 = cpu_ticks(args.pid); t0 = time.monotonic()
    for t in threads: t.start()
    for t in threads: t.join()
    t1 = time.monotonic(); c1, u1, s1 = cpu_ticks(args.pid)
    n = len(state["results"])
    verdicts = {}
    for r in state["results"].values():
        key = r if not r.endswith("FOUND") else "FOUND"
        verdicts[key] = verdicts.get(key, 0) + 1
    return {
        "scans": n, "seconds": t1 - t0, "scans_s": n / (t1 - t0),
        "cpu_ms_scan": (c1 - c0) * 1000 / tick / max(n, 1),
        "user_ms_scan": (u1 - u0) * 1000 / tick / max(n, 1), "sys_ms_scan": (s1 - s0) * 1000 / tick / max(n, 1),
        "verdicts": verdicts, "errors": state["errors"][:3],
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--socket", required=True); p.add_argument("--pid", type=int, required=True)
    p.add_argument("--set", choices=["plain", "sa"], required=True); p.add_argument("--count", type=int)
    p.add_argument("--concurrency", type=int, default=4); p.add_argument("--per-scan-connection", action="store_true")
    p.add_argument("--label", default="")
    args = p.parse_args()
    nonce = uuid.uuid4().hex[:12]
    count = args.count or (2000 if args.set == "plain" else 1500)
    messages = plain_messages(count, nonce) if args.set == "plain" else sa_messages(count, nonce)
    # Warm-up with distinct messages (not measured).
    warm = plain_messages(20, "warm" + nonce)
    run(argparse.Namespace(**{**vars(args), "concurrency": 1}), warm)
    r = run(args, messages)
    kb = sum(map(len, messages)) / len(messages) / 1024
    print(f"{args.label}\tset={args.set}\tn={r['scans']}\tavgKB={kb:.1f}\tcpu_ms/scan={r['cpu_ms_scan']:.3f}"
          f"\tuser={r['user_ms_scan']:.3f}\tsys={r['sys_ms_scan']:.3f}\tscans/s={r['scans_s']:.0f}"
          f"\tverdicts={r['verdicts']}\terrors={r['errors']}", flush=True)
    return 0 if r["scans"] == count and not r["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
