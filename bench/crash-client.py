#!/usr/bin/env python3
"""Load client for the crash test: sends numbered messages ("Subject: crash N") over several connections until told to
stop, and appends N to the acknowledged file only after the gateway's 250 for that message. Connection errors (the
gateway being killed) are retried with the next number, like a sender whose message was never acknowledged."""
import smtplib, sys, threading, time

port, workers, ack_path, stop_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
lock = threading.Lock()
counter = [0]
acked = open(ack_path, "a", buffering=1)

def stopped():
    try:
        open(stop_path).close()
        return True
    except FileNotFoundError:
        return False

def worker():
    smtp = None
    while not stopped():
        with lock:
            n = counter[0]; counter[0] += 1
        try:
            if smtp is None:
                smtp = smtplib.SMTP("127.0.0.1", port, timeout=10)
                smtp.ehlo("crash.test")
            body = f"Subject: crash {n}\r\nFrom: load@sender.test\r\nTo: crash@example.org\r\n\r\n" + ("line of text\r\n" * 60)
            smtp.sendmail("load@sender.test", ["crash@example.org"], body.encode())
            acked.write(f"{n}\n")
        except Exception:
            try:
                if smtp is not None:
                    smtp.close()
            except Exception:
                pass
            smtp = None
            time.sleep(0.05)

threads = [threading.Thread(target=worker) for _ in range(workers)]
for t in threads: t.start()
for t in threads: t.join()
