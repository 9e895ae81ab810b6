"""``make bench`` soak: a dev server subprocess under attack beside normal traffic.

Attacks, all at once for ATTACK seconds: 1,000 slow connections (half a head each),
gzip bombs (1 GB inflated), 200 MB bodies, and journal readers that never read. The
normal traffic is one keep-alive client doing GET /. Reports peak RSS, the normal
requests per second unattacked and attacked, and RSS before and after. "Before" is taken
once the warm-up has filled the journal to its entry bound, so that the journal's
legitimate growth is not counted as a leak.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

from fake_es.control.journal import DEFAULT_CAPACITY as JOURNAL_CAPACITY

ROOT = Path(__file__).resolve().parent.parent
PHASE = 5.0  # seconds of normal traffic per measurement
SLOW = 1000
# ES's bootstrap check wants 65535 file descriptors; the server gets its hard limit.
SERVER = (
    "import resource, sys\n"
    "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
    "resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))\n"
    "from fake_es.cli import main\n"
    "sys.exit(main(['--port', '0']))\n"
)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def normal(port: int, seconds: float) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    done = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end and done < 1_000_000:
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        done += 1
    connection.close()
    return done / seconds


def gzip_bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join([*(compressor.compress(block) for _ in range(1024)), compressor.flush()])


def post(port: int, path: str, headers: dict[str, str], body: bytes | None, length: int) -> None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            head = f"POST {path} HTTP/1.1\r\nContent-Length: {length}\r\n"
            head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            sock.sendall(head.encode() + b"\r\n")
            if body is not None:
                sock.sendall(body)
            else:
                piece = b"x" * (1 << 20)
                for _ in range(length >> 20):
                    sock.sendall(piece)
            sock.recv(4096)
    except OSError:
        pass  # the server may close first: that is its right


def soak() -> list[tuple[str, bool, str]]:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    port = int(process.stdout.readline().rsplit(":", 1)[1])
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            peak[0] = max(peak[0], rss_mib(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        # Warm-up until the journal holds its most entries: from then on the state is at
        # its bound, so any growth measured after the attack is the attack's.
        warmed = 0
        while warmed < JOURNAL_CAPACITY:
            warmed += int(normal(port, 1.0))
        before = rss_mib(process.pid)
        calm = normal(port, PHASE)
        held: list[socket.socket] = []
        bomb = gzip_bomb()
        attackers = [
            threading.Thread(
                target=post,
                args=(
                    port,
                    "/_inference/x",
                    {"Content-Encoding": "gzip", "Content-Type": "application/json"},
                    bomb,
                    len(bomb),
                ),
            )
            for _ in range(4)
        ] + [
            threading.Thread(
                target=post,
                args=(port, "/_inference/x", {"Content-Type": "application/json"}, None, 200 << 20),
            )
            for _ in range(2)
        ]
        for _ in range(SLOW):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.sendall(b"GET / HTTP/1.1\r\nX-Slow: ")
            held.append(sock)
        for _ in range(20):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", port))
            sock.sendall(b"GET /_fake_es/journal HTTP/1.1\r\n\r\n")
            held.append(sock)
        for thread in attackers:
            thread.start()
        attacked = normal(port, PHASE)
        for thread in attackers:
            thread.join(60)
        for sock in held:
            sock.close()
        time.sleep(2.0)
        after = rss_mib(process.pid)
    finally:
        stop.set()
        process.terminate()
        process.wait(10)
    print(
        f"  soak: RSS before {before:.0f} MiB, peak {peak[0]:.0f} MiB, after {after:.0f} MiB; "
        f"GET / {calm:,.0f}/s unattacked, {attacked:,.0f}/s attacked",
        flush=True,
    )
    return [
        ("soak peak RSS < 300 MB", peak[0] * 1.048576 < 300, f"{peak[0]:.0f} MiB"),
        (
            "soak attacked throughput >= half unattacked",
            attacked >= calm / 2,
            f"{attacked:,.0f}/s vs {calm:,.0f}/s",
        ),
        (
            "soak RSS after within 20% of before",
            after <= before * 1.2,
            f"{after:.0f} vs {before:.0f} MiB",
        ),
    ]


if __name__ == "__main__":
    results = soak()
    for target, ok, measured in results:
        print(f"  [{'PASS' if ok else 'FAIL'}] {target}: {measured}")
    raise SystemExit(0 if all(ok for _, ok, _ in results) else 1)
