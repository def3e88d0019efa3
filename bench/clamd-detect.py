#!/usr/bin/env python3
"""Detection of one clamd (no gateway): zINSTREAM of
  - every file of /work/shared/mime-edge (LF -> CRLF, as the gateway spools what it receives), 691 messages,
  - every /usr/share/clamav-testfiles file as is,
  - every testfile as a base64 attachment of a MIME message, and inside a message/rfc822 of a multipart message,
and prints the FOUND count per group and a per-item verdict list (--out) to diff variants.

  bench/clamd-detect.py --socket DIR/clamd.sock [--out FILE]
"""
import argparse, base64, os, socket, struct, sys

def scan(sock_path, data):
    s = socket.socket(socket.AF_UNIX); s.connect(sock_path)
    s.sendall(b"zINSTREAM\0")
    for i in range(0, len(data), 65536):
        chunk = data[i:i + 65536]; s.sendall(struct.pack(">I", len(chunk)) + chunk)
    s.sendall(struct.pack(">I", 0))
    buf = b""
    while b"\0" not in buf:
        c = s.recv(4096)
        if not c: break
        buf += c
    s.close()
    return buf.split(b"\0")[0].decode(errors="replace")

def crlf(b): return b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

def attach(name, data):
    b64 = base64.encodebytes(data).replace(b"\n", b"\r\n")
    return (b"From: a@example.com\r\nTo: b@example.org\r\nSubject: test\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            b"--XX\r\nContent-Type: application/octet-stream; name=\"" + name.encode() + b"\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + b64 + b"--XX--\r\n")

def nested(name, data):
    inner = attach(name, data)
    return (b"From: c@example.com\r\nTo: b@example.org\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"YY\"\r\n\r\n--YY\r\nContent-Type: text/plain\r\n\r\nsee below\r\n"
            b"--YY\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--YY--\r\n")

def main():
    p = argparse.ArgumentParser(); p.add_argument("--socket", required=True); p.add_argument("--out")
    a = p.parse_args()
    items = []
    root = "/work/shared/mime-edge"
    for d, _, names in sorted(os.walk(root)):
        for n in sorted(names):
            if n.endswith((".json", ".md")): continue
            path = os.path.join(d, n)
            group = "mime-edge/hide-content" if "hide-content" in path else "mime-edge/other"
            items.append((group, os.path.relpath(path, root), crlf(open(path, "rb").read())))
    td = "/usr/share/clamav-testfiles"
    for n in sorted(os.listdir(td)):
        data = open(os.path.join(td, n), "rb").read()
        items.append(("testfile/raw", n, data))
        items.append(("testfile/attached", n, attach(n, data)))
        items.append(("testfile/nested-rfc822", n, nested(n, data)))
    counts, lines = {}, []
    for group, name, data in items:
        r = scan(a.socket, data)
        found = r.endswith("FOUND")
        t, f = counts.get(group, (0, 0)); counts[group] = (t + 1, f + found)
        lines.append(f"{group}\t{name}\t{r}")
    for g, (t, f) in sorted(counts.items()):
        print(f"{g}: {f}/{t} FOUND")
    if a.out:
        open(a.out, "w").write("\n".join(lines) + "\n")

if __name__ == "__main__":
    sys.exit(main())
