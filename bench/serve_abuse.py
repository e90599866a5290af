#!/usr/bin/env python3
"""Abuse bench for `termfolio serve`: leaks, a client that stops reading, a
lock-out by the session limits, and a connection flood. Each scenario starts
its own server and prints what it measured against a target, PASS or FAIL.

    bench/serve_abuse.py --bin /tmp/termfolio-before          # all four, ~2-3 min
    bench/serve_abuse.py --bin target/release/termfolio --only drop --visits 100
    bench/serve_abuse.py --bin BIN --only lockout --only flood

It never builds: pass a pre-built binary with --bin (default
target/release/termfolio). The server runs as `BIN serve --listen 127.0.0.1:0
--host-key TMP/key [flags]` with an environment of PATH, HOME=TMP and
LANG=C.UTF-8 only; its stderr is read (with arrival times) as it comes and its
RSS sampled from /proc/PID/status every 20 ms. A binary whose `serve --help`
lists --rate-per-ip and --burst-per-ip gets `--rate-per-ip 100000
--burst-per-ip 100000` in every scenario but `flood`, so that its limiter
leaves the other measurements alone. Visitors are OpenSSH's `ssh` (`-F
/dev/null`, no host-key checks, BatchMode, user "bench"; auth "none" gets in):
`ssh -tt` in a pseudo-terminal of its own for the viewer, `ssh -T` for the
login card. A frame counts as arrived when the awaited text came after the key
and the output ends with the frame's closing "ESC [0m".

drop    For each way of leaving (--drop-ways, default kill,hup,quit; also
        escape, eof, idle, limit), a fresh
        server (--max-sessions/--max-per-ip raised to visits+8, so that a visit
        that never ends on the server shows up as memory and fds, not as
        refusals) gets --visits sequential visits in a 500x200 pty (TIOCSWINSZ
        before ssh starts), each waiting for the first frame and then leaving:
        `kill` = SIGKILL to ssh (the connection drops); `hup` = the pty master
        closed, so ssh reads EOF/EIO, sends the channel EOF and exits by itself
        (timed out: killed); `quit` = `q`, the polite way, as a control. VmRSS
        is read after 20 visits (warm-up), after visits/2 and after all of
        them, each time once the server logged that many ended sessions (up to
        3 s) and 0.2 s more; the server's open fds (/proc/PID/fd) before the
        first visit and after the last (waiting up to 5 s for them to come
        back). Targets: d2 <= d1 + 2 MB (d1 = RSS(mid) - RSS(20), d2 =
        RSS(end) - RSS(mid): no growth that keeps going), d2 < 20 MB per 200
        visits (scaled to visits - mid), fds after <= before, every visit saw
        its first frame.

yflood  Visitor B (ssh -tt, 80x24) goes to the publications (4) and presses j
        and k alternately --keys times, each when the previous frame came and
        25 ms later (so the 60 fps frame limiter is not what is measured):
        key-to-frame latency, the quiet figure. Then visitor A (80x24) presses
        4, and a thread writes --y-bytes (1 MB) of `y` (copy the BibTeX: an
        OSC 52 reply per key) into its pty master and nothing ever reads A's
        output again, so its ssh blocks on stdout and stops taking data (and
        adjusting the window). Once the flood is under way B repeats its keys:
        the flooded figure. The server's VmHWM is read at the end, and VmRSS
        after A's ssh is killed (once the server logged A's end, up to 5 s, and
        1 s more), with A's log line (bytes in and out, how it ended).
        Targets: VmHWM <= 64 MB; flooded p95 <= 2 x quiet p95. A key whose
        frame does not come within --timeout counts as --timeout.

lockout --max-sessions 4 --max-per-ip 8, once per kind of extra login
        (--lockout-extras, default tt,N). Four viewers from 127.0.0.1 hold
        the sessions; four more logins from 127.0.0.1 authenticate: `tt` =
        `ssh -tt` in ptys (told the server is full, or hang; kept open, but
        OpenSSH leaves by itself once told), `N` = `ssh -N` squatters (log in,
        open no session, stay). 11 s later (longer than the server's 10 s
        login limit) four raw TCP connect+close come from 127.0.0.2. Then the
        holders quit (q; killed if they do not leave); for `N`, 1 s later three
        `ssh -T` logins from 127.0.0.1 are tried one after another while the
        squatters are still connected; then the extras' ptys are closed (killed
        after 2 s) or the squatters killed, and 1 s later three more logins are
        tried. Target: 3 of 3 print the card ("Tongtian Zhu") and exit 0, each
        time.

flood   The server's default limits (no rate flags). --flood-procs worker
        processes (this script, re-run) open non-blocking TCP connections to it
        at --flood-rate per second in all for --flood-seconds, from 16 source
        addresses 127.0.0.10-127.0.0.25 in turn (IP_BIND_ADDRESS_NO_PORT),
        sending nothing, and close each after --flood-hold s (a fraction
        --flood-at-once, default 0, is closed at once instead, on the worker's
        next 1 ms tick). Meanwhile --logins `ssh -T` logins from 127.0.0.50 run
        one after another, spread over the flood (each waits for the one
        before; --login-timeout each). Reported: attempted and established
        connects per second, logins that printed the card and exited 0, the
        server's stderr lines stamped from the flood's start to 1 s after its
        end, the server's CPU time. Targets: logins >= 9 of 10 (90 %, rounded
        up); lines < 100.

Everything runs on this machine: the clients (ssh, the flood workers, this
script) compete with the server for the CPUs, which matters most for latency
figures and for the flood rate actually achieved. Every wait has a timeout;
all children (each in a session of its own) are SIGKILLed on exit, Ctrl-C and
SIGTERM included. If a server's RSS passes --rss-cap-mb the scenario stops
its abuse (the flooder is killed; drop stops visiting) and reports the cap;
past 1.5 x the cap the server itself is killed, to protect the machine.
RLIMIT_NOFILE is raised to its hard limit.

Python 3 standard library only; needs ssh (openssh-client).
"""

import argparse
import collections
import errno
import fcntl
import json
import os
import pty
import resource
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_load import percentile  # noqa: E402  (one definition for both benches)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = ("drop", "yflood", "lockout", "flood")
FRAME_END = b"\x1b[0m"
CARD = b"Tongtian Zhu"
FULL = b"too many visitors"
MARKER = "\u25b8".encode()
RATE_FLAGS = ["--rate-per-ip", "100000", "--burst-per-ip", "100000"]
IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)
KEY_GAP = 0.025
MB = 1024.0  # kB per MB, for /proc figures


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def proc_status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def proc_cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def mb(kb):
    return f"{kb / MB:.1f} MB"


# --------------------------------------------------------------------------
# Children


class Children:
    """Every process we start, each in a session (process group) of its own,
    so that all of them can be killed on the way out, whatever the way."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.procs = []
        self.lock = threading.Lock()
        self.env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "LANG": "C.UTF-8"}

    def spawn(self, cmd, env=None, **kw):
        p = subprocess.Popen(cmd, env=env or self.env, cwd=self.tmp,
                             start_new_session=True, **kw)
        with self.lock:
            self.procs = [q for q in self.procs if q.returncode is None]
            self.procs.append(p)
        return p

    @staticmethod
    def kill(p, wait=5.0):
        """SIGKILL to p's process group, then reaps it; its exit code or None."""
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                try:
                    p.kill()
                except OSError:
                    pass
        try:
            return p.wait(wait)
        except subprocess.TimeoutExpired:
            return None

    def kill_all(self):
        with self.lock:
            procs = list(self.procs)
            self.procs = []
        for p in procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        for p in procs:
            try:
                p.wait(2)
            except subprocess.TimeoutExpired:
                pass


def ssh_command(port, mode, bind=None, user="bench"):
    cmd = ["ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
           "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=error",
           "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-p", str(port), mode]
    if bind:
        cmd += ["-b", bind]
    return cmd + [f"{user}@127.0.0.1"]


def card_login(kids, port, bind=None, timeout=10.0):
    """One `ssh -T`: (ok, exit code or None, seconds, tail of what it said)."""
    t0 = time.monotonic()
    p = kids.spawn(ssh_command(port, "-T", bind), stdin=subprocess.DEVNULL,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        Children.kill(p)
        out, err = p.communicate()
        rc = None
    ok = rc == 0 and CARD in out
    tail = (err or out or b"")[-160:].decode("utf-8", "replace").strip()
    return ok, rc, time.monotonic() - t0, tail


# --------------------------------------------------------------------------
# The server


class Server:
    def __init__(self, kids, args, flags, name):
        self.kids = kids
        self.name = name
        self.cap_kb = args.rss_cap_mb * 1024
        self.proc = kids.spawn(
            [args.bin, "serve", "--listen", "127.0.0.1:0",
             "--host-key", os.path.join(kids.tmp, "key"), *flags],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        self.pid = self.proc.pid
        self.lines = []          # (monotonic time, line)
        self.port = None
        self.peak_kb = 0
        self.capped = threading.Event()
        self.killed_for_memory = False
        self.on_cap = None
        self.stopped = threading.Event()
        ready = threading.Event()

        def read():
            for raw in self.proc.stderr:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.lines.append((time.monotonic(), line))
                if self.port is None and "listening on " in line:
                    addr = line.split("listening on ", 1)[1].split()[0]
                    try:
                        self.port = int(addr.rsplit(":", 1)[1])
                    except ValueError:
                        pass
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(20) or self.port is None:
            Children.kill(self.proc)
            raise RuntimeError("the server did not start:\n"
                               + "\n".join(l for _, l in self.lines))

        def sample():
            while not self.stopped.is_set() and self.proc.poll() is None:
                rss = proc_status_kb(self.pid, "VmRSS")
                self.peak_kb = max(self.peak_kb, rss)
                if rss > self.cap_kb and not self.capped.is_set():
                    self.capped.set()
                    log(f"{name}: server RSS {mb(rss)} passed the cap "
                        f"({mb(self.cap_kb)}); stopping the abuse")
                    if self.on_cap:
                        try:
                            self.on_cap()
                        except Exception as e:  # noqa: BLE001 - keep sampling
                            log(f"{name}: on_cap: {e}")
                if rss > self.cap_kb * 1.5:
                    log(f"{name}: server RSS {mb(rss)} > 1.5 x cap: killing the server")
                    self.killed_for_memory = True
                    Children.kill(self.proc)
                    break
                time.sleep(0.02)

        threading.Thread(target=sample, daemon=True).start()

    def rss_kb(self):
        return proc_status_kb(self.pid, "VmRSS")

    def hwm_kb(self):
        return proc_status_kb(self.pid, "VmHWM")

    def cpu(self):
        return proc_cpu_seconds(self.pid)

    def fds(self):
        try:
            return len(os.listdir(f"/proc/{self.pid}/fd"))
        except OSError:
            return -1

    def alive(self):
        return self.proc.poll() is None

    def ended(self):
        """Session log lines so far (one per connection that ended)."""
        return sum(1 for _, l in list(self.lines) if " user=" in l)

    def wait_ended(self, n, timeout):
        deadline = time.monotonic() + timeout
        while self.ended() < n and time.monotonic() < deadline and self.alive():
            time.sleep(0.02)
        return self.ended() >= n

    def lines_between(self, t0, t1):
        return [l for t, l in list(self.lines) if t0 <= t <= t1]

    def stop(self):
        self.stopped.set()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                Children.kill(self.proc)


def server_flags(args):
    """Rate-limiter flags high enough to stay out of the way, when supported."""
    return RATE_FLAGS if args.rate_flags else []


# --------------------------------------------------------------------------
# A visitor in a pseudo-terminal


class PtyClient:
    """`ssh -tt` with a pseudo-terminal of its own, read only when asked."""

    def __init__(self, kids, port, columns, rows, bind=None):
        self.out = bytearray()
        self.mark = 0
        self.sent_at = None
        self.eof = False
        self.master = None
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = dict(kids.env, TERM="xterm-256color")
        try:
            self.proc = kids.spawn(ssh_command(port, "-tt", bind), env=env,
                                   stdin=slave, stdout=slave, stderr=slave)
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        self.master = master
        self.poll = select.poll()
        self.poll.register(master, select.POLLIN)
        self.started = time.monotonic()

    def read_some(self, timeout):
        """Waits up to timeout for output and takes all there is; False at EOF."""
        if self.eof or self.master is None:
            return False
        if not self.poll.poll(max(0, int(timeout * 1000))):
            return True
        while True:
            try:
                data = os.read(self.master, 1 << 16)
            except BlockingIOError:
                return True
            except OSError:
                self.eof = True
                return False
            if not data:
                self.eof = True
                return False
            self.out += data

    def wait_for(self, done, timeout):
        deadline = time.monotonic() + timeout
        while True:
            if done():
                return True
            left = deadline - time.monotonic()
            if left <= 0 or self.eof or self.master is None:
                return done()
            self.read_some(min(left, 0.5))

    def frame(self, needle):
        """The awaited text came after the mark, and the frame is closed."""
        return self.out.find(needle, self.mark) >= 0 and self.out.endswith(FRAME_END)

    def first_frame(self, timeout):
        self.mark = 0
        return self.wait_for(lambda: self.frame(b"Publications"), timeout)

    def press(self, key):
        self.mark = len(self.out)
        self.sent_at = time.monotonic()
        try:
            os.write(self.master, key)
            return True
        except OSError:
            return False

    def key_and_frame(self, key, needle, timeout):
        """Latency from writing key to the end of the frame it brings, or None."""
        if not self.press(key):
            return None
        if self.wait_for(lambda: self.frame(needle), timeout):
            return time.monotonic() - self.sent_at
        return None

    def drain(self, quiet=0.2, limit=2.0):
        """Reads until nothing came for `quiet` s (at most `limit` s)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            n = len(self.out)
            if not self.read_some(quiet) or len(self.out) == n:
                return

    def close_master(self):
        if self.master is not None:
            try:
                self.poll.unregister(self.master)
            except (KeyError, ValueError):
                pass
            os.close(self.master)
            self.master = None

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        Children.kill(self.proc)

    def finish(self):
        self.kill()
        self.close_master()
        self.out = bytearray()


def eof_visit(kids, port, timeout):
    """A visit whose input is a pipe: wait for the first frame, close stdin
    (ssh sends the channel's EOF), wait for ssh to leave. (first frame seen,
    left by itself)."""
    env = dict(kids.env, TERM="xterm-256color")
    proc = kids.spawn(ssh_command(port, "-tt"), env=env, stdin=subprocess.PIPE,
                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out, seen = bytearray(), False
    os.set_blocking(proc.stdout.fileno(), False)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not seen:
        select.select([proc.stdout], [], [], 0.2)
        try:
            out += proc.stdout.read() or b""
        except (BlockingIOError, TypeError):
            pass
        seen = b"Publications" in out and out.endswith(FRAME_END)
    proc.stdin.close()
    try:
        proc.wait(timeout)
        left = True
    except subprocess.TimeoutExpired:
        left = False
    Children.kill(proc)
    proc.stdout.close()
    return seen, left


def quit_visitor(v, timeout):
    """Presses q and waits for ssh to leave; True when it did by itself."""
    v.press(b"q")
    v.wait_for(lambda: v.eof, min(timeout, 3.0))
    rc = v.wait_exit(1.0)
    v.finish()
    return rc is not None


def jk_latencies(v, n, timeout, budget):
    """n presses of j and k in turn on the publications: (latencies, timeouts)."""
    lat = []
    timeouts = 0
    deadline = time.monotonic() + budget
    for i in range(n):
        if time.monotonic() > deadline or v.eof:
            timeouts += n - i
            lat += [timeout] * (n - i)
            break
        t = v.key_and_frame(b"j" if i % 2 == 0 else b"k", MARKER, timeout)
        if t is None:
            timeouts += 1
            lat.append(timeout)
            v.drain()
        else:
            lat.append(t)
        time.sleep(KEY_GAP)
    return lat, timeouts


# --------------------------------------------------------------------------
# Results


class Report:
    def __init__(self):
        self.rows = []            # (scenario, measure, value, target, verdict)
        self.verdicts = collections.OrderedDict()

    def info(self, scenario, measure, value):
        self.verdicts.setdefault(scenario, [])
        self.rows.append((scenario, measure, value, "", ""))

    def check(self, scenario, measure, value, target, ok):
        self.verdicts.setdefault(scenario, []).append(bool(ok))
        self.rows.append((scenario, measure, value, target, "PASS" if ok else "FAIL"))
        log(f"{scenario}: {measure}: {value} (target {target}) {'PASS' if ok else 'FAIL'}")

    def error(self, scenario, message):
        self.verdicts.setdefault(scenario, []).append(False)
        self.rows.append((scenario, "error", message, "runs to the end", "FAIL"))

    def print(self, header):
        print()
        print(header)
        print()
        print("| scenario | measure | value | target | result |")
        print("|---|---|---|---|---|")
        for row in self.rows:
            cells = [str(c).replace("|", "\\|") for c in row]
            print("| " + " | ".join(cells) + " |")
        print()
        for scenario, oks in self.verdicts.items():
            verdict = "PASS" if oks and all(oks) else "FAIL"
            print(f"- **{scenario}**: {verdict} ({sum(oks)}/{len(oks)} targets met)")
        print()

    def all_pass(self):
        return all(oks and all(oks) for oks in self.verdicts.values())


# --------------------------------------------------------------------------
# drop


def scenario_drop(kids, args, rep):
    n = args.visits
    warm = 20 if n >= 60 else max(1, n // 4)
    mid = n // 2
    checkpoints = {warm, mid, n}
    for how in args.drop_ways:
        s = f"drop/{how}"
        limit = str(n + 8)
        ends = {"idle": ["--idle-timeout", "1"], "limit": ["--max-session-time", "1"]}
        server = Server(kids, args, ["--max-sessions", limit, "--max-per-ip", limit]
                        + ends.get(how, []) + server_flags(args), s)
        try:
            time.sleep(0.2)
            fds0 = server.fds()
            rss = {}
            framed = left_itself = 0
            t0 = time.monotonic()
            done = 0
            for i in range(1, n + 1):
                if server.capped.is_set() or not server.alive():
                    break
                if how == "eof":
                    seen, left = eof_visit(kids, server.port, args.timeout)
                    framed += seen
                    left_itself += left
                else:
                    v = PtyClient(kids, server.port, 500, 200)
                    framed += v.first_frame(args.timeout)
                    if how == "kill":
                        v.kill()
                    elif how == "hup":
                        v.close_master()
                        left_itself += v.wait_exit(args.timeout) is not None
                    elif how == "escape":
                        v.press(b"\r~.")
                        left_itself += v.wait_exit(args.timeout) is not None
                    elif how in ("idle", "limit"):
                        # The server ends the visit; ssh leaves when it does.
                        v.wait_for(lambda: v.eof, args.timeout)
                        left_itself += v.wait_exit(args.timeout) is not None
                    else:  # quit
                        left_itself += quit_visitor(v, args.timeout)
                    v.finish()
                done = i
                if i in checkpoints:
                    server.wait_ended(i, 3.0)
                    time.sleep(0.2)
                    rss[i] = server.rss_kb()
                    log(f"{s}: after {i} visits: RSS {mb(rss[i])}, "
                        f"{server.ended()} sessions ended, fds {server.fds()}")
            wall = time.monotonic() - t0
            deadline = time.monotonic() + 5
            while server.fds() > fds0 and time.monotonic() < deadline:
                time.sleep(0.05)
            fds1 = server.fds()
            hwm = server.hwm_kb()
        finally:
            server.stop()
        rep.info(s, "visits done (rate)", f"{done}/{n} ({done / wall:.1f}/s)" if wall else "-")
        if how != "kill":
            rep.info(s, "ssh left by itself", f"{left_itself}/{done}")
        rep.check(s, "visits that saw the first frame", f"{framed}/{n}", f"{n}/{n}",
                  framed == n)
        if server.capped.is_set():
            rep.check(s, "server RSS", f"passed the cap after {done} visits",
                      f"< {args.rss_cap_mb} MB", False)
        if all(k in rss for k in (warm, mid, n)):
            d1 = rss[mid] - rss[warm]
            d2 = rss[n] - rss[mid]
            rep.info(s, f"RSS after {warm} / {mid} / {n} visits",
                     f"{mb(rss[warm])} / {mb(rss[mid])} / {mb(rss[n])}")
            per = d2 / max(1, n - mid)
            rep.check(s, f"d2 = RSS({n}) - RSS({mid}) vs d1 = RSS({mid}) - RSS({warm})",
                      f"d2 {d2 / MB:+.1f} MB ({per:+.0f} kB/visit), d1 {d1 / MB:+.1f} MB "
                      f"({d1 / max(1, mid - warm):+.0f} kB/visit)",
                      "d2 <= d1 + 2 MB", d2 <= d1 + 2 * 1024)
            cap = 20 * 1024 * (n - mid) / 200
            rep.check(s, f"RSS({n}) - RSS({mid})", f"{d2 / MB:+.1f} MB",
                      f"< {cap / MB:.1f} MB", d2 < cap)
        rep.info(s, "server VmHWM", mb(hwm))
        rep.check(s, "server open fds before / after", f"{fds0} / {fds1}",
                  "after <= before", 0 <= fds1 <= fds0)


# --------------------------------------------------------------------------
# yflood


class YWriter(threading.Thread):
    """Writes `total` bytes of `y` into a pty master, as fast as it takes them."""

    def __init__(self, fd, total):
        super().__init__(daemon=True)
        self.fd = fd
        self.total = total
        self.written = 0
        self.stop = threading.Event()
        self.started_at = None
        self.finished_at = None

    def run(self):
        chunk = b"y" * 4096
        p = select.poll()
        p.register(self.fd, select.POLLOUT)
        self.started_at = time.monotonic()
        try:
            while self.written < self.total and not self.stop.is_set():
                if not p.poll(100):
                    continue
                try:
                    self.written += os.write(self.fd, chunk[:self.total - self.written])
                except BlockingIOError:
                    continue
                except OSError:
                    break
        finally:
            self.finished_at = time.monotonic()


def scenario_yflood(kids, args, rep):
    s = "yflood"
    server = Server(kids, args, server_flags(args), s)
    flooder = writer = None
    try:
        b = PtyClient(kids, server.port, 80, 24)
        if not b.first_frame(args.timeout):
            raise RuntimeError("visitor B saw no first frame")
        if b.key_and_frame(b"4", b"Selected Publications", args.timeout) is None:
            raise RuntimeError("visitor B did not reach the publications")
        time.sleep(0.1)
        quiet, quiet_to = jk_latencies(b, args.keys, args.timeout, budget=60)
        log(f"{s}: quiet p50 {percentile(quiet, 50) * 1000:.1f} ms, "
            f"p95 {percentile(quiet, 95) * 1000:.1f} ms")

        flooder = PtyClient(kids, server.port, 80, 24)
        if not flooder.first_frame(args.timeout):
            raise RuntimeError("the flooder saw no first frame")
        if flooder.key_and_frame(b"4", b"Selected Publications", args.timeout) is None:
            raise RuntimeError("the flooder did not reach the publications")
        server.on_cap = flooder.kill
        rss_before = server.rss_kb()
        writer = YWriter(flooder.master, args.y_bytes)
        writer.start()
        # The flood is under way once some of it went in (or after 2 s).
        t_flood = time.monotonic()
        while (writer.written < min(64 * 1024, args.y_bytes) and writer.is_alive()
               and time.monotonic() < t_flood + 2):
            time.sleep(0.01)
        time.sleep(0.2)
        flooded, flooded_to = jk_latencies(b, args.keys, args.timeout, budget=45)
        log(f"{s}: flooded p50 {percentile(flooded, 50) * 1000:.1f} ms, "
            f"p95 {percentile(flooded, 95) * 1000:.1f} ms; {writer.written} bytes of y in")
        writer.join(max(0.0, t_flood + 8 - time.monotonic()))
        writer.stop.set()
        writer.join(2)
        time.sleep(0.5)
        rss_flood = server.rss_kb()
        hwm = server.hwm_kb()
        ended = server.ended()
        flooder.kill()
        server.wait_ended(ended + 1, 5.0)
        time.sleep(1.0)
        rss_after = server.rss_kb()
        flooder_line = max((l for _, l in server.lines if " in=" in l), default="",
                           key=lambda l: int(l.split(" in=", 1)[1].split("B", 1)[0] or 0))
        b_alive = not b.eof and b.proc.poll() is None
        quit_visitor(b, args.timeout)
        flooder.finish()
    finally:
        if writer:
            writer.stop.set()
        server.stop()
        if flooder:
            flooder.finish()

    rep.info(s, "y bytes the flooder's pty took",
             f"{writer.written} of {args.y_bytes} in "
             f"{(writer.finished_at or time.monotonic()) - writer.started_at:.1f} s")
    rep.info(s, "server RSS before flood / at its end / 1 s after the flooder was killed",
             " / ".join(mb(x) if x else "server gone" for x in (rss_before, rss_flood, rss_after)))
    if flooder_line:
        rep.info(s, "the flooder's log line", flooder_line.split(" user=", 1)[-1][:120])
    rep.info(s, "visitor B still connected after the flood", "yes" if b_alive else "no")
    if server.capped.is_set():
        rep.info(s, "RSS cap", f"passed {args.rss_cap_mb} MB: flooder killed early"
                 + ("; server killed" if server.killed_for_memory else ""))
    rep.check(s, "server peak RSS (VmHWM; sampled max)",
              f"{mb(max(hwm, server.peak_kb))} ({mb(server.peak_kb)} sampled)",
              "<= 64 MB", max(hwm, server.peak_kb) <= 64 * 1024)
    qp95 = percentile(quiet, 95)
    fp95 = percentile(flooded, 95)
    rep.info(s, f"quiet j/k key->frame p50 / p95 (n={len(quiet)}, timeouts {quiet_to})",
             f"{percentile(quiet, 50) * 1000:.1f} / {qp95 * 1000:.1f} ms")
    rep.check(s, f"flooded j/k key->frame p50 / p95 (n={len(flooded)}, timeouts {flooded_to})",
              f"{percentile(flooded, 50) * 1000:.1f} / {fp95 * 1000:.1f} ms "
              f"({fp95 / qp95:.1f} x quiet)" if qp95 > 0 else f"{fp95 * 1000:.1f} ms",
              f"p95 <= 2 x quiet p95 = {2 * qp95 * 1000:.1f} ms",
              flooded_to == 0 and fp95 <= 2 * qp95)


# --------------------------------------------------------------------------
# lockout


def scenario_lockout(kids, args, rep):
    for kind in args.lockout_extras:
        lockout_once(kids, args, rep, kind)


def lockout_once(kids, args, rep, kind):
    s = f"lockout/{kind}"
    server = Server(kids, args, ["--max-sessions", "4", "--max-per-ip", "8"]
                    + server_flags(args), s)
    holders, extras, squatters = [], [], []
    logins_up = []
    try:
        for _ in range(4):
            holders.append(PtyClient(kids, server.port, 80, 24))
        held = sum(v.first_frame(args.timeout) for v in holders)
        log(f"{s}: {held}/4 holders have the viewer")
        t_extra = time.monotonic()
        told_full = viewer = 0
        if kind == "tt":
            for _ in range(4):
                extras.append(PtyClient(kids, server.port, 80, 24))
            for v in extras:
                v.wait_for(lambda v=v: FULL in v.out or b"Publications" in v.out,
                           max(0.5, t_extra + 4 - time.monotonic()))
                told_full += FULL in v.out
                viewer += b"Publications" in v.out
            log(f"{s}: extras told full {told_full}/4, with a viewer {viewer}/4")
        else:
            for _ in range(4):
                squatters.append(kids.spawn(ssh_command(server.port, "-N"),
                                            stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))
        log(f"{s}: waiting until 11 s after the extras came")
        while time.monotonic() < t_extra + 11:
            for v in holders + extras:
                v.read_some(0)
            time.sleep(0.1)
        up = sum(p.poll() is None for p in [v.proc for v in extras] + squatters)
        raw_ok = 0
        for _ in range(4):
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                    sock.settimeout(2)
                    sock.bind(("127.0.0.2", 0))
                    sock.connect(("127.0.0.1", server.port))
                    raw_ok += 1
            except OSError:
                pass
        for v in holders:
            v.press(b"q")
        holders_left = 0
        for v in holders:
            v.wait_for(lambda v=v: v.eof, 2.0)
            holders_left += v.wait_exit(1.0) is not None
            v.finish()
        if squatters:
            time.sleep(1.0)
            logins_up = [card_login(kids, server.port, None, args.login_timeout)
                         for _ in range(3)]
        for v in extras:
            v.close_master()
        extras_left = sum(v.wait_exit(2.0) is not None for v in extras)
        for v in extras:
            v.finish()
        for p in squatters:
            Children.kill(p)
        time.sleep(1.0)
        logins = [card_login(kids, server.port, None, args.login_timeout) for _ in range(3)]
        lines = [l for _, l in server.lines]
    finally:
        for v in holders + extras:
            v.finish()
        for p in squatters:
            Children.kill(p)
        server.stop()
    rep.info(s, "holders with the viewer", f"{held}/4")
    if kind == "tt":
        rep.info(s, "extras (ssh -tt) told 'full' / with a viewer", f"{told_full}/4 / {viewer}/4")
        rep.info(s, "extras still connected 11 s later", f"{up}/4")
    else:
        rep.info(s, "squatters (ssh -N: authenticated, no session) still connected 11 s later",
                 f"{up}/4")
    rep.info(s, "raw TCP connects from 127.0.0.2 accepted", f"{raw_ok}/4")
    rep.info(s, "holders left on q" + (" / extras left on pty close" if extras else ""),
             f"{holders_left}/4" + (f" / {extras_left}/4" if extras else ""))
    refused = sum("refused" in l for l in lines)
    rep.info(s, "server log lines (of which 'refused')", f"{len(lines)} ({refused})")
    failed = [r for r in logins_up + logins if not r[0]]
    if failed:
        r = failed[0]
        rep.info(s, "a failed login", f"exit {r[1]} after {r[2]:.1f} s: {r[3][:100]!r}")
    if squatters:
        ok = sum(r[0] for r in logins_up)
        rep.check(s, "ssh -T logins, holders gone, squatters still connected",
                  f"{ok}/3", "3/3", ok == 3)
    ok = sum(r[0] for r in logins)
    rep.check(s, "ssh -T logins after the abusers left", f"{ok}/3", "3/3", ok == 3)


# --------------------------------------------------------------------------
# flood


def flood_worker(spec):
    """Runs in a process of its own: paced silent connects; prints JSON."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise_nofile()
    port, addrs, rate = spec["port"], spec["addrs"], spec["rate"]
    hold, duration = spec["hold"], spec["duration"]
    dst = ("127.0.0.1", port)
    while time.monotonic() < spec["start_at"]:
        time.sleep(0.002)
    t0 = time.monotonic()
    attempts = connected = 0
    share = 0.0  # closed at once when this passes 1
    errors = collections.Counter()
    at_once, held = collections.deque(), collections.deque()

    def close(sock):
        nonlocal connected
        try:
            sock.getpeername()
            connected += 1
        except OSError:
            pass
        sock.close()

    while True:
        now = time.monotonic()
        elapsed = now - t0
        if elapsed >= duration:
            break
        due = min(int(elapsed * rate) - attempts, 300)
        for _ in range(max(0, due)):
            addr = addrs[attempts % len(addrs)]
            attempts += 1
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            try:
                sock.setsockopt(socket.SOL_IP, IP_BIND_ADDRESS_NO_PORT, 1)
                sock.bind((addr, 0))
                err = sock.connect_ex(dst)
            except OSError as e:
                err = e.errno
            if err in (0, errno.EINPROGRESS):
                share += spec["at_once"]
                if share >= 1.0:
                    share -= 1.0
                    at_once.append((now, sock))
                else:
                    held.append((now + hold, sock))
            else:
                errors[errno.errorcode.get(err, str(err))] += 1
                sock.close()
        while at_once and at_once[0][0] < now:
            close(at_once.popleft()[1])
        while held and held[0][0] <= now:
            close(held.popleft()[1])
        time.sleep(0.001)
    wall = time.monotonic() - t0
    behind = int(duration * rate) - attempts
    for q in (at_once, held):
        while q:
            close(q.popleft()[1])
    print(json.dumps({"attempts": attempts, "connected": connected, "wall": wall,
                      "behind": behind, "errors": dict(errors)}), flush=True)


def scenario_flood(kids, args, rep):
    s = "flood"
    server = Server(kids, args, [], s)  # the defaults: this is the limiter's test
    workers = []
    logins = []
    try:
        time.sleep(0.3)
        addrs = [f"127.0.0.{i}" for i in range(10, 26)]
        k = max(1, args.flood_procs)
        start_at = time.monotonic() + 1.0
        duration = args.flood_seconds
        for w in range(k):
            spec = {"port": server.port, "addrs": addrs[w::k], "rate": args.flood_rate / k,
                    "hold": args.flood_hold, "at_once": args.flood_at_once,
                    "duration": duration, "start_at": start_at}
            workers.append(kids.spawn(
                [sys.executable, os.path.abspath(__file__), "--flood-worker", json.dumps(spec)],
                env=dict(os.environ), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE))

        def legit():
            n = args.logins
            for i in range(n):
                at = start_at + 0.2 + i * max(0.0, duration - 0.6) / max(1, n)
                while time.monotonic() < at:
                    time.sleep(0.005)
                t = time.monotonic()
                r = card_login(kids, server.port, "127.0.0.50", args.login_timeout)
                logins.append((t,) + r)

        while time.monotonic() < start_at:
            time.sleep(0.005)
        cpu0 = server.cpu()
        th = threading.Thread(target=legit, daemon=True)
        th.start()
        stats = []
        for p in workers:
            try:
                out, _ = p.communicate(timeout=duration + 30)
                stats.append(json.loads(out.decode().strip().splitlines()[-1]))
            except (subprocess.TimeoutExpired, ValueError, IndexError):
                Children.kill(p)
        t_end = start_at + duration
        cpu1 = server.cpu()
        th.join(args.logins * (args.login_timeout + 2))
        while time.monotonic() < t_end + 1.0:
            time.sleep(0.05)
        lines = server.lines_between(start_at, t_end + 1.0)
        alive = server.alive()
        late = sum(1 for l in logins if l[0] > t_end)
    finally:
        server.stop()
    attempts = sum(x["attempts"] for x in stats)
    connected = sum(x["connected"] for x in stats)
    errors = collections.Counter()
    for x in stats:
        errors.update(x["errors"])
    rep.info(s, "silent connects attempted / established per second",
             f"{attempts / duration:.0f} / {connected / duration:.0f} "
             f"(asked {args.flood_rate}; {len(stats)}/{len(workers)} workers reported)")
    if errors:
        rep.info(s, "connect errors", ", ".join(f"{k}: {v}" for k, v in errors.most_common()))
    rep.info(s, "server CPU during the flood", f"{cpu1 - cpu0:.2f} s of {duration:.0f} s")
    rep.info(s, "server still running", "yes" if alive else "no")
    ok = sum(1 for l in logins if l[1])
    times = [l[3] for l in logins if l[1]]
    rep.info(s, "login time p50 / max (successful)",
             f"{percentile(times, 50):.2f} / {max(times):.2f} s" if times else "-")
    if late:
        rep.info(s, "logins started after the flood ended", f"{late}")
    failed = [l for l in logins if not l[1]]
    if failed:
        l = failed[0]
        rep.info(s, "a failed login", f"exit {l[2]} after {l[3]:.1f} s: {l[4][:100]!r}")
    need = -(-9 * args.logins // 10)
    rep.check(s, "ssh -T logins from 127.0.0.50 during the flood",
              f"{ok}/{args.logins}", f">= {need}/{args.logins}", ok >= need)
    rep.check(s, "server stderr lines, flood start to 1 s after its end",
              f"{len(lines)}", "< 100", len(lines) < 100)


# --------------------------------------------------------------------------


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--flood-worker":
        flood_worker(json.loads(sys.argv[2]))
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "termfolio"),
                   help="the termfolio binary (never built here)")
    p.add_argument("--only", action="append", default=[],
                   help=f"run only these scenarios ({', '.join(SCENARIOS)}); "
                        "repeat or separate with commas")
    p.add_argument("--visits", type=int, default=400, help="drop: visits per way of leaving")
    p.add_argument("--drop-ways", default="kill,hup,quit",
                   help="drop: ways of leaving, from kill, hup, quit, escape (ssh's ~.), "
                        "eof (stdin closed: the channel's EOF), idle (--idle-timeout 1), "
                        "limit (--max-session-time 1); default kill,hup,quit")
    p.add_argument("--lockout-extras", default="tt,N",
                   help="lockout: kinds of extra logins, from tt (ssh -tt) and N (ssh -N)")
    p.add_argument("--keys", type=int, default=50, help="yflood: j/k presses per phase")
    p.add_argument("--y-bytes", type=int, default=1 << 20, help="yflood: bytes of y")
    p.add_argument("--flood-rate", type=float, default=3000, help="flood: connects per second")
    p.add_argument("--flood-seconds", type=float, default=6.0)
    p.add_argument("--flood-procs", type=int, default=2, help="flood: worker processes")
    p.add_argument("--flood-hold", type=float, default=0.1,
                   help="flood: seconds each connection is held open")
    p.add_argument("--flood-at-once", type=float, default=0.0,
                   help="flood: the fraction of connections closed at once (the rest are held)")
    p.add_argument("--logins", type=int, default=10, help="flood: ssh -T logins")
    p.add_argument("--login-timeout", type=float, default=10.0)
    p.add_argument("--timeout", type=float, default=10.0,
                   help="longest wait for any one frame or exit")
    p.add_argument("--rss-cap-mb", type=int, default=3072,
                   help="stop the abuse when the server's RSS passes this")
    args = p.parse_args()
    only = [x.strip() for o in args.only for x in o.split(",") if x.strip()] or list(SCENARIOS)
    bad = [x for x in only if x not in SCENARIOS]
    if bad:
        p.error(f"unknown scenario {', '.join(bad)}; choose from {', '.join(SCENARIOS)}")
    args.drop_ways = [w.strip() for w in args.drop_ways.split(",") if w.strip()]
    ways = ("kill", "hup", "quit", "escape", "eof", "idle", "limit")
    if not args.drop_ways or any(w not in ways for w in args.drop_ways):
        p.error("--drop-ways: a list from " + ", ".join(ways))
    args.lockout_extras = [w.strip() for w in args.lockout_extras.split(",") if w.strip()]
    if not args.lockout_extras or any(w not in ("tt", "N") for w in args.lockout_extras):
        p.error("--lockout-extras: a list from tt, N")
    args.bin = os.path.abspath(args.bin)
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"no binary at {args.bin} (pass one with --bin)")
    if shutil.which("ssh") is None:
        sys.exit("ssh (openssh-client) is needed")
    nofile = raise_nofile()
    help_text = subprocess.run([args.bin, "serve", "--help"], capture_output=True,
                               timeout=10, env={"PATH": "/usr/bin:/bin"}).stdout.decode()
    args.rate_flags = "--rate-per-ip" in help_text and "--burst-per-ip" in help_text

    tmp = tempfile.mkdtemp(prefix="termfolio-serve-abuse-")
    kids = Children(tmp)

    def on_term(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    rep = Report()
    t0 = time.monotonic()
    log(f"binary {args.bin}; rate flags {'supported' if args.rate_flags else 'absent'}; "
        f"RLIMIT_NOFILE {nofile}; scenarios {', '.join(only)}")
    runners = {"drop": scenario_drop, "yflood": scenario_yflood,
               "lockout": scenario_lockout, "flood": scenario_flood}
    try:
        for name in only:
            log(f"--- {name}")
            try:
                runners[name](kids, args, rep)
            except (RuntimeError, OSError) as e:
                log(f"{name}: {e}")
                rep.error(name, str(e).splitlines()[0][:200])
            kids.kill_all()
    except KeyboardInterrupt:
        log("interrupted")
        kids.kill_all()
        shutil.rmtree(tmp, ignore_errors=True)
        return 130
    finally:
        kids.kill_all()
        shutil.rmtree(tmp, ignore_errors=True)
    rep.print(f"termfolio serve abuse bench: {args.bin} "
              f"(rate flags {'passed' if args.rate_flags else 'not supported'}), "
              f"{time.monotonic() - t0:.0f} s, {os.cpu_count()} CPUs")
    return 0 if rep.all_pass() else 1


if __name__ == "__main__":
    sys.exit(main())
