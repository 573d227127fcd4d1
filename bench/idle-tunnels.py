#!/usr/bin/env python3
"""Opens N idle CONNECT tunnels through the broker (CONNECT + TLS to the broker's leaf, then nothing), holds them, and
prints the broker's RSS before and after (from /proc), split into anonymous memory (GC heap, JIT data, native
allocations), file-backed pages (mapped assemblies and native libraries) and shared memory (the W^X double mapping of
JIT code). Used by bench/run.sh --idle-tunnels; not a test.
   idle-tunnels.py PROXY_HOST:PORT TOKEN VAULT TARGET_HOST:PORT CA_PEM BROKER_PID [N]
With IDLE_TUNNELS_PROBE set, that shell command runs while the tunnels are open (with $BROKER_PID in its environment),
e.g. IDLE_TUNNELS_PROBE='dotnet-gcdump report -p $BROKER_PID | head -40'. With IDLE_TUNNELS_REQUEST=1 every tunnel sends one
keep-alive GET / first and then idles (an agent's connection between requests) instead of idling before its first request."""
import base64, os, resource, socket, ssl, subprocess, sys, time

proxy, token, vault, target, ca, pid = sys.argv[1:7]
n = int(sys.argv[7]) if len(sys.argv) > 7 else 1000
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, n + 256)), hard))


def status_kib():
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                fields[key] = int(value.split()[0])
    return fields


def describe(fields):
    return (f"{fields['VmRSS'] / 1024:.0f} MiB (anon {fields['RssAnon'] / 1024:.0f}, file {fields['RssFile'] / 1024:.0f}, "
            f"shmem {fields['RssShmem'] / 1024:.0f})")


def content_length(answer):
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    for line in head.split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


after_request = os.environ.get("IDLE_TUNNELS_REQUEST") == "1"
phost, pport = proxy.rsplit(":", 1)
thost = target.rsplit(":", 1)[0]
auth = base64.b64encode(f"{token}:{vault}".encode()).decode()
ctx = ssl.create_default_context(cafile=ca)
before = status_kib()
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
    t = ctx.wrap_socket(s, server_hostname=thost)
    if after_request:
        # One keep-alive request first: the tunnel then idles the way an agent's connection does between requests.
        t.sendall(f"GET / HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < content_length(answer):
            chunk = t.recv(4096)
            if not chunk:
                raise SystemExit(f"tunnel {i}: closed during the request")
            answer += chunk
        if not answer.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"tunnel {i}: {answer.splitlines()[0].decode(errors='replace')}")
    tunnels.append(t)
opened = time.monotonic() - start
time.sleep(3)
after = status_kib()
print(f"before tunnels: broker RSS {describe(before)}")
print(f"with {n} idle TLS tunnels open{' (after one request each)' if after_request else ''}: broker RSS {describe(after)}")
print(f"{n} idle TLS tunnels opened in {opened:.1f} s; broker RSS {before['VmRSS'] / 1024:.0f} MiB before, "
      f"{after['VmRSS'] / 1024:.0f} MiB with them open ({(after['VmRSS'] - before['VmRSS']) / n:.0f} KiB per tunnel)")
probe = os.environ.get("IDLE_TUNNELS_PROBE")
if probe:
    sys.stdout.flush()
    subprocess.run(probe, shell=True, env={**os.environ, "BROKER_PID": pid})
for t in tunnels:
    t.close()
