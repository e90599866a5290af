#!/usr/bin/env python3
"""Live preview bench: how long from a save of the profile file to the
viewer's frame that shows it (issue 16's target: 200 ms).

    bench/preview.py                       # cargo build --release, then 2, 1000 and 10000 publications
    bench/preview.py --no-build --sizes 2 --saves 10

The release viewer runs in a pseudo-terminal of 100x30 (`termfolio --profile
FILE`, TERM=xterm-256color) on a generated profile (bench/gen_profile.py N;
N = 2 is the repository's own profile). Each save writes the same profile
with another name in the header, as editors do (a new file renamed over the
old), and the time is taken from the rename to the arrival of the frame
that holds the new name (a run of one letter, another each save, so that
every cell of it is written again) (read from the pseudo-terminal master). Saves are
half a second apart. The baseline in the same run is `cat` of the profile
to /dev/null (reading the bytes), and the viewer's own start on it.

Python 3 standard library only.
"""

import argparse
import os
import pty
import select
import struct
import fcntl
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def percentile(values, p):
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def profile_text(n):
    if n <= 2:
        with open(os.path.join(ROOT, "profile.toml")) as f:
            return f.read()
    return subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_profile.py"), str(n)],
                          check=True, capture_output=True, text=True).stdout


def read_until(master, needle, out, deadline):
    """Reads the pseudo-terminal until `needle` has come after len(out) at
    the call; the time it came, or None at the deadline."""
    start = len(out)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if not ready:
            continue
        try:
            data = os.read(master, 1 << 16)
        except OSError:
            return None
        if not data:
            return None
        out.extend(data)
        if out.find(needle, max(0, start - len(needle))) >= 0:
            return time.monotonic()
    return None


def bench(binary, n, saves, tmp):
    text = profile_text(n)
    name = 'name = "Tongtian Zhu"'
    if name not in text:
        sys.exit("the generated profile has no name line to change")
    path = os.path.join(tmp, f"p{n}.toml")
    with open(path, "w") as f:
        f.write(text)
    t0 = time.monotonic()
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)
    cat_ms = (time.monotonic() - t0) * 1000
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    started = time.monotonic()
    proc = subprocess.Popen([binary, "--profile", path], stdin=slave, stdout=slave,
                            stderr=slave, env=env, cwd=tmp, start_new_session=True)
    os.close(slave)
    out = bytearray()
    first = read_until(master, b"Publications", out, time.monotonic() + 60)
    if first is None:
        proc.kill()
        sys.exit(f"{n}: the viewer did not start: {bytes(out[-300:])!r}")
    start_ms = (first - started) * 1000
    times = []
    try:
        for i in range(saves):
            time.sleep(0.5)
            # Every cell of the name changes (the screen writes only the
            # cells that change): AAAAAAAAAA, then BBBBBBBBBB, ...
            new = chr(ord("A") + i % 26) * 10
            part = path + ".swp"
            with open(part, "w") as f:
                f.write(text.replace(name, f'name = "{new}"', 1))
            t = time.monotonic()
            os.replace(part, path)
            shown = read_until(master, new.encode(), out, t + 10)
            if shown is None:
                sys.exit(f"{n}: save {i} never shown")
            times.append((shown - t) * 1000)
    finally:
        os.write(master, b"q")
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.close(master)
    return {"n": n, "bytes": len(text.encode()), "cat_ms": cat_ms, "start_ms": start_ms,
            "saves": times}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="2,1000,10000", help="publication counts, comma-separated")
    p.add_argument("--saves", type=int, default=20)
    p.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "termfolio"))
    p.add_argument("--no-build", action="store_true")
    args = p.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    tmp = tempfile.mkdtemp(prefix="termfolio-preview-")
    print(f"{'publications':>12} {'file':>9} {'cat':>7} {'start':>8} "
          f"{'save→frame p50':>15} {'p95':>7} {'max':>7}")
    for n in (int(x) for x in args.sizes.split(",")):
        r = bench(os.path.abspath(args.binary), n, args.saves, tmp)
        s = r["saves"]
        print(f"{r['n']:>12} {r['bytes'] / 1e6:>7.2f}MB {r['cat_ms']:>5.1f}ms "
              f"{r['start_ms']:>6.1f}ms {percentile(s, 50):>13.1f}ms "
              f"{percentile(s, 95):>5.1f}ms {max(s):>5.1f}ms")


if __name__ == "__main__":
    main()
