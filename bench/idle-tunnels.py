#!/usr/bin/env python3
"""Opens N idle CONNECT tunnels through the broker (CONNECT + TLS to the broker's leaf, then nothing), holds them, and
prints the broker's RSS before and after (from /proc). Used by bench/idle-tunnels.sh; not a test.
   idle-tunnels.py PROXY_HOST:PORT TOKEN VAULT TARGET_HOST:PORT CA_PEM BROKER_PID [N]"""
import base64, resource, socket, ssl, sys, time

proxy, token, vault, target, ca, pid = sys.argv[1:7]
n = int(sys.argv[7]) if len(sys.argv) > 7 else 1000
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, n + 256)), hard))


def rss_mib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


phost, pport = proxy.rsplit(":", 1)
thost = target.rsplit(":", 1)[0]
auth = base64.b64encode(f"{token}:{vault}".encode()).decode()
ctx = ssl.create_default_context(cafile=ca)
before = rss_mib()
tunnels = []
start = time.monotonic()
for i in range(n):
    s = socket.create_connection((phost, int(pport)))
    s.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\nProxy-Authorization: Basic {auth}\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1024)
        if not chunk:
            raise SystemExit(f"tunnel {i}: proxy closed the connection")
        head += chunk
    if not head.startswith(b"HTTP/1.1 200"):
        raise SystemExit(f"tunnel {i}: {head.splitlines()[0].decode(errors='replace')}")
    tunnels.append(ctx.wrap_socket(s, server_hostname=thost))
opened = time.monotonic() - start
time.sleep(3)
after = rss_mib()
print(f"{n} idle TLS tunnels opened in {opened:.1f} s; broker RSS {before:.0f} MiB before, {after:.0f} MiB with them open "
      f"({(after - before) * 1024 / n:.0f} KiB per tunnel)")
for t in tunnels:
    t.close()
