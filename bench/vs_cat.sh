#!/usr/bin/env bash
# Times `termfolio ARGS...` against `cat` of its own output in ONE hyperfine
# run (the floor for any process that prints those bytes) and prints the ratio.
# It times the binary README's "Ship it" builds: static, release profile.
# (`BENCH_DYNAMIC=1` times plain `cargo build --release` instead; the dynamic
# loader adds about 0.2 ms to every start.)
#
# Usage: bench/vs_cat.sh NAME ARGS...   e.g. bench/vs_cat.sh banner banner --width 80
# Needs cargo, hyperfine (apt-get install hyperfine) and python3. Results go to
# $BENCH_OUT (default target/bench/NAME/).
set -euo pipefail

name=$1
shift
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

for tool in cargo python3 hyperfine; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool is not installed" >&2
        [ "$tool" = hyperfine ] && echo "  install it with: apt-get install hyperfine" >&2
        exit 1
    fi
done

out=${BENCH_OUT:-$repo/target/bench/$name}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ "${BENCH_DYNAMIC:-0}" = 1 ]; then
    cargo build --release --quiet
    bin=$repo/target/release/termfolio
else
    RUSTFLAGS='-C target-feature=+crt-static -C relocation-model=static' \
        cargo build --release --quiet --target x86_64-unknown-linux-gnu
    bin=$repo/target/x86_64-unknown-linux-gnu/release/termfolio
fi

# No ./profile.toml and an empty config dir: the built-in profile is used.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/run" "$work/config"
unset TERMFOLIO_PROFILE
export XDG_CONFIG_HOME=$work/config
cd "$work/run"

expected=$work/output.txt
"$bin" "$@" >"$expected"
echo "==> termfolio $*: $(wc -l <"$expected") lines, $(wc -c <"$expected") bytes"

hyperfine --warmup 50 --min-runs 300 -N --style basic \
    --export-markdown "$out/$name.md" \
    --export-json "$out/$name.json" \
    --command-name cat "cat $expected" \
    --command-name "termfolio $*" "$bin $*"

python3 - "$out/$name.json" <<'PY'
import json, sys
cat, ours = json.load(open(sys.argv[1]))["results"]
ms = lambda s: f"{s * 1e3:.3f} ms"
print(f"cat        mean {ms(cat['mean'])} ± {ms(cat['stddev'])}  median {ms(cat['median'])}")
print(f"termfolio  mean {ms(ours['mean'])} ± {ms(ours['stddev'])}  median {ms(ours['median'])}")
print(f"ratio (termfolio / cat): mean {ours['mean'] / cat['mean']:.2f}, median {ours['median'] / cat['median']:.2f}")
PY
