#!/usr/bin/env python3
"""Load bench for `termfolio serve`: N concurrent visitors, each OpenSSH's
`ssh -tt` in a pseudo-terminal of its own, browsing to a publication's detail.

    bench/serve_load.py                 # cargo build --release, then 100 visitors
    bench/serve_load.py --visitors 20 --no-build

Each visitor waits for the first frame ("Publications"), then presses 4
(the publications), j (the second paper), Enter (its detail) and q, each
time waiting for the frame that shows the change: "Selected Publications",
the moved marker, "Esc: back", and the terminal given back. A frame counts
as arrived when the expected text has come and the output since the key ends
with the frame's closing "ESC [0m". Latency is from writing the key to the
pseudo-terminal master to reading the last byte of that frame, so it includes
the ssh client on both ends of the pseudo-terminal.

The server (target/release/termfolio) listens on a free port with a host key
in a temporary directory, the connection-rate limits lifted (--rate-per-ip,
--burst-per-ip), and --max-sessions and --max-per-ip raised to the
number of visitors plus 8 (all come from 127.0.0.1; the defaults are 64 and 8). Its RSS is
sampled from /proc/PID/status every 20 ms and its VmHWM read at the end.
Everything runs on this machine: the clients' CPU competes with the server's.

With --haproxy, two instances (each --trusted-proxy 127.0.0.1) stand behind
a real HAProxy configured as contrib/haproxy.cfg is (send-proxy-v2,
check-send-proxy, leastconn), on free ports, and the visitors connect to
HAProxy; each instance's VmHWM and CPU time are reported, and HAProxy's.
RLIMIT_NOFILE is raised to its hard limit for the clients.

Python 3 standard library only; needs ssh (openssh-client) and cargo, and
haproxy for --haproxy.
"""

import argparse
import errno
import fcntl
import os
import pty
import re
import resource
import selectors
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FRAME_END = b"\x1b[0m"
LEAVE = b"\x1b[?1049l"

# (key to press, text whose arrival completes the expected change, label)
STEPS = [
    (b"4", b"Selected Publications", "4 (publications)"),
    (b"j", "\u25b8".encode(), "j (second paper)"),
    (b"\r", b"Esc: back", "Enter (detail)"),
]


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def proc_status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def proc_cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class Server:
    def __init__(self, binary, tmp, visitors, profile=None, extra=()):
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "LANG": "C.UTF-8"}
        limit = str(max(visitors, 1) + 8)
        extra = (["--profile", profile] if profile else []) + list(extra)
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", "127.0.0.1:0"] + extra + [
             "--host-key", os.path.join(tmp, "hostkey", "key"),
             "--max-sessions", limit, "--max-per-ip", limit,
             # Every visitor comes from 127.0.0.1 at once: no rate limit.
             "--rate-per-ip", "100000", "--burst-per-ip", "100000"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, env=env, cwd=tmp)
        self.lines = []
        self.port = None
        ready = threading.Event()

        def read():
            for raw in self.proc.stderr:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.lines.append(line)
                if self.port is None and "listening on " in line:
                    addr = line.split("listening on ", 1)[1].split()[0]
                    self.port = int(addr.rsplit(":", 1)[1])
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(30) or self.port is None:
            self.proc.kill()
            sys.exit("the server did not start:\n" + "\n".join(self.lines))
        self.peak_sampled_kb = 0
        self.stop_sampling = threading.Event()

        def sample():
            while not self.stop_sampling.is_set():
                rss = proc_status_kb(self.proc.pid, "VmRSS")
                self.peak_sampled_kb = max(self.peak_sampled_kb, rss)
                time.sleep(0.02)

        self.idle_kb = proc_status_kb(self.proc.pid, "VmRSS")
        threading.Thread(target=sample, daemon=True).start()

    def stop(self):
        self.stop_sampling.set()
        hwm = proc_status_kb(self.proc.pid, "VmHWM")
        cpu = proc_cpu_seconds(self.proc.pid)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return hwm, cpu


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Haproxy:
    """HAProxy as contrib/haproxy.cfg sets it up, in front of `ports`, on a
    free port of its own."""

    def __init__(self, tmp, ports, visitors):
        with open(os.path.join(ROOT, "contrib", "haproxy.cfg")) as f:
            config = f.read()
        self.port = free_port()
        config = config.replace("bind :2222", f"bind 127.0.0.1:{self.port}")
        config = re.sub(r"maxconn \d+", f"maxconn {2 * visitors + 64}", config)
        config = re.sub(r"    server termfolio\d .*\n", "", config)
        config += "".join(f"    server termfolio{i + 1} 127.0.0.1:{p}\n"
                          for i, p in enumerate(ports))
        path = os.path.join(tmp, "haproxy.cfg")
        with open(path, "w") as f:
            f.write(config)
        self.proc = subprocess.Popen(["haproxy", "-db", "-f", path],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        import socket
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            self.proc.kill()
            sys.exit("haproxy did not start")
        # Both instances up (health checks every 5 s; they start up).
        time.sleep(1)

    def stop(self):
        hwm = proc_status_kb(self.proc.pid, "VmHWM")
        cpu = proc_cpu_seconds(self.proc.pid)
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        return hwm, cpu


class Visitor:
    """One ssh -tt in its own pseudo-terminal, stepping through STEPS."""

    def __init__(self, index, port, tmp, columns, rows, leave_at=0.0):
        self.index = index
        # With --hold, every visitor stays until then (all connected at once).
        self.leave_at = leave_at
        self.out = bytearray()
        self.mark = 0
        self.step = -1          # -1: waiting for the first frame
        self.sent_at = None
        self.latencies = {}     # label -> seconds
        self.error = None
        self.reached_detail = False
        self.quit_sent = False
        self.exit_code = None
        self.done = False
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "TERM": "xterm-256color",
               "LANG": "C.UTF-8"}
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            ["ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
             "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
             "-o", "BatchMode=yes", "-p", str(port), "-tt", "127.0.0.1"],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=tmp,
            start_new_session=True)
        os.close(slave)
        self.master = master
        os.set_blocking(master, False)

    def press(self, key):
        self.mark = len(self.out)
        self.sent_at = time.monotonic()
        try:
            os.write(self.master, key)
        except OSError as e:
            self.error = f"write: {e}"

    def arrived(self, needle):
        """The expected text came after the mark and the frame is closed."""
        return (self.out.find(needle, self.mark) >= 0
                and self.out.endswith(FRAME_END))

    def advance(self, now):
        """Moves on when the awaited frame is there."""
        if self.quit_sent or self.error:
            return
        if self.step == -1:
            if self.arrived(b"Publications"):
                self.latencies["connect"] = now - self.started
                self.step = 0
                self.press(STEPS[0][0])
            return
        key, needle, label = STEPS[self.step]
        if not self.arrived(needle):
            return
        self.latencies[label] = now - self.sent_at
        self.step += 1
        if self.step < len(STEPS):
            self.press(STEPS[self.step][0])
        else:
            self.reached_detail = True
            self.maybe_quit(now)

    def maybe_quit(self, now):
        """Presses q once the visitor has reached the detail and its stay is over."""
        if self.reached_detail and not self.quit_sent and now >= self.leave_at:
            self.quit_sent = True
            self.press(b"q")

    def on_readable(self, now):
        """Reads what there is; False once the terminal is closed."""
        open_ = True
        while True:
            try:
                data = os.read(self.master, 65536)
            except BlockingIOError:
                break
            except OSError as e:
                if e.errno != errno.EIO:
                    self.error = f"read: {e}"
                open_ = False
                break
            if not data:
                open_ = False
                break
            self.out.extend(data)
        self.advance(now)
        if self.quit_sent and "quit" not in self.latencies and \
                self.out.find(LEAVE, self.mark) >= 0:
            self.latencies["quit"] = now - self.sent_at
        return open_

    def finish(self):
        try:
            self.exit_code = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.exit_code = self.proc.wait()
        os.close(self.master)
        self.done = True

    def kill(self, why):
        if not self.error:
            self.error = why
        self.proc.kill()


def run(args):
    binary = os.path.abspath(args.binary)
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if not os.access(binary, os.X_OK):
        sys.exit(f"no binary at {binary} (build with cargo build --release)")
    if shutil.which("ssh") is None:
        sys.exit("ssh (openssh-client) is needed")
    columns, rows = (int(x) for x in args.size.split("x"))
    tmp = tempfile.mkdtemp(prefix="termfolio-serve-load-")
    profile = None
    versions = []
    if args.reload_profile:
        # Two versions of a generated profile (the motto differs), swapped
        # in by rename every half second while the visitors browse: the
        # server reads each save again (issue 15's reload target).
        text = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_profile.py"),
                               str(args.reload_profile)], check=True, capture_output=True,
                              text=True).stdout
        versions = [text, text.replace("Convince future generations", "Convince the next generations", 1)]
        profile = os.path.join(tmp, "profile.toml")
        with open(profile, "w") as f:
            f.write(versions[0])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    balancer = None
    if args.haproxy:
        if shutil.which("haproxy") is None:
            sys.exit("haproxy is needed for --haproxy")
        servers = [Server(binary, tmp, args.visitors, profile, ["--trusted-proxy", "127.0.0.1"])
                   for _ in range(2)]
        balancer = Haproxy(tmp, [s.port for s in servers], args.visitors)
        port = balancer.port
    else:
        servers = [Server(binary, tmp, args.visitors, profile)]
        port = servers[0].port
    stop_saving = threading.Event()
    saves = [0]

    def save_again():
        while not stop_saving.wait(0.5):
            saves[0] += 1
            part = profile + ".swp"
            with open(part, "w") as f:
                f.write(versions[saves[0] % 2])
            os.replace(part, profile)

    if profile:
        threading.Thread(target=save_again, daemon=True).start()
    sel = selectors.DefaultSelector()
    visitors = []
    concurrent_peak = [0]
    t0 = time.monotonic()
    try:
        # Visitor i starts at t0 + i * ramp / n; output is read meanwhile.
        step = args.ramp / args.visitors if args.visitors else 0
        open_ = set()
        deadline = t0 + args.timeout + args.ramp + args.hold
        while len(visitors) < args.visitors or open_:
            now = time.monotonic()
            while len(visitors) < args.visitors and now >= t0 + len(visitors) * step:
                leave_at = t0 + args.ramp + args.hold if args.hold else 0.0
                v = Visitor(len(visitors), port, tmp, columns, rows, leave_at)
                visitors.append(v)
                open_.add(v)
                sel.register(v.master, selectors.EVENT_READ, v)
                now = time.monotonic()
            if now > deadline:
                for v in open_:
                    v.kill(f"timed out at step {v.step}")
                    sel.unregister(v.master)
                    v.finish()
                break
            wait = 0.05
            if len(visitors) < args.visitors:
                wait = max(0.0, min(wait, t0 + len(visitors) * step - now))
            if args.hold:
                staying = 0
                for v in open_:
                    v.maybe_quit(now)
                    staying += v.reached_detail and not v.quit_sent
                concurrent_peak[0] = max(concurrent_peak[0], staying)
            for key, _ in sel.select(timeout=wait):
                v = key.data
                if not v.on_readable(time.monotonic()):
                    sel.unregister(v.master)
                    v.finish()
                    open_.discard(v)
        wall = time.monotonic() - t0
    finally:
        stop_saving.set()
        stopped = [s.stop() for s in servers]
        proxy = balancer.stop() if balancer else None
        shutil.rmtree(tmp, ignore_errors=True)

    report(args, visitors, servers, wall, stopped, proxy)
    if args.hold:
        print(f"  {'visitors in the detail at once, at most':40} {concurrent_peak[0]:4d}")
        print()
    if profile:
        lines = [l for s in servers for l in s.lines]
        reloads = [l for l in lines if "reloaded the profile" in l]
        kept = [l for l in lines if "kept the profile served" in l]
        print(f"reloads: {saves[0]} saves of a {args.reload_profile}-publication profile, "
              f"{len(reloads)} reloaded, {len(kept)} refused")
        for l in reloads[:3]:
            print("  " + l)
    ok = all(v.reached_detail and v.exit_code == 0 for v in visitors)
    return 0 if ok else 1


def fmt_ms(values):
    if not values:
        return "-"
    return "{:7.1f} {:7.1f} {:7.1f}".format(
        percentile(values, 50) * 1000, percentile(values, 95) * 1000, max(values) * 1000)


def report(args, visitors, servers, wall, stopped, proxy):
    n = len(visitors)
    reached = sum(v.reached_detail for v in visitors)
    clean = sum(v.exit_code == 0 for v in visitors)
    keys = [v.latencies[label] for v in visitors for _, _, label in STEPS
            if label in v.latencies]
    print()
    where = "two instances behind HAProxy" if proxy else "one instance"
    print(f"termfolio serve: {n} concurrent visitors, ssh -tt in {args.size} ptys, {where}")
    print()
    print(f"  {'wall time (first spawn to last exit)':40} {wall:8.2f} s")
    print(f"  {'reached the publication detail':40} {reached:4d}/{n}")
    print(f"  {'ssh exited 0 after q':40} {clean:4d}/{n}")
    for i, (server, (hwm, cpu)) in enumerate(zip(servers, stopped)):
        name = f"server {i + 1}" if len(servers) > 1 else "server"
        reasons = {}
        others = 0
        for line in server.lines:
            # Visits log a quoted user; connections that never logged in `user=-`.
            if ' user="' in line:
                reason = line.split("B ")[-1]
                reasons[reason] = reasons.get(reason, 0) + 1
            elif " user=-" in line:
                others += 1
        visits = sum(reasons.values())
        print(f"  {name + ' RSS idle / sampled max / VmHWM':40} "
              f"{server.idle_kb / 1024:.1f} / {server.peak_sampled_kb / 1024:.1f} / "
              f"{hwm / 1024:.1f} MB")
        print(f"  {name + ' CPU time (user+sys)':40} {cpu:8.2f} s")
        print(f"  {name + ' visits, log reasons':40} {visits:4d}: "
              + ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items()))
              + (f"; {others} other connections" if others else ""))
    if proxy:
        print(f"  {'haproxy VmHWM / CPU time':40} {proxy[0] / 1024:.1f} MB / {proxy[1]:.2f} s")
    print()
    print(f"  {'latency, ms':32} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7}")
    rows = [("connect to first frame", [v.latencies["connect"] for v in visitors
                                        if "connect" in v.latencies])]
    rows += [(label, [v.latencies[label] for v in visitors if label in v.latencies])
             for _, _, label in STEPS]
    rows.append(("keypress to frame, all 3 keys", keys))
    rows.append(("q to terminal given back", [v.latencies["quit"] for v in visitors
                                              if "quit" in v.latencies]))
    for label, values in rows:
        print(f"  {label:32} {len(values):4d} {fmt_ms(values)}")
    failed = [v for v in visitors if not v.reached_detail or v.exit_code != 0]
    if failed:
        print()
        print(f"  {len(failed)} visitors failed, for example:")
        for v in failed[:5]:
            tail = bytes(v.out[-200:])
            print(f"    #{v.index}: step {v.step}, exit {v.exit_code}, {v.error}: {tail!r}")
    print()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--visitors", type=int, default=100)
    p.add_argument("--size", default="100x30", help="each visitor's window, WxH")
    p.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "termfolio"))
    p.add_argument("--no-build", action="store_true", help="skip cargo build --release")
    p.add_argument("--ramp", type=float, default=0.0,
                   help="spread the visitors' starts over this many seconds (default: all at once)")
    p.add_argument("--timeout", type=float, default=120.0, help="give up after this many seconds")
    p.add_argument("--hold", type=float, default=0.0, metavar="SECS",
                   help="each visitor stays in the detail until SECS after the ramp, so all are in at once")
    p.add_argument("--haproxy", action="store_true",
                   help="two instances behind a real HAProxy (contrib/haproxy.cfg)")
    p.add_argument("--reload-profile", type=int, default=0, metavar="N",
                   help="serve a generated N-publication profile and save it again every 0.5 s")
    sys.exit(run(p.parse_args()))


if __name__ == "__main__":
    main()
