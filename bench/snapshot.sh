#!/usr/bin/env bash
# How long `termfolio snapshot --size 120x40` takes end to end (process start,
# loading the built-in profile, one frame, printing), next to `cat` of the same
# output: the floor for any process that prints that many bytes.
#
# Usage: bench/snapshot.sh            (from anywhere; needs cargo, hyperfine, python3)
# Results (markdown and JSON) go to $BENCH_OUT, default target/bench/snapshot/.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

for tool in cargo python3 hyperfine; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool is not installed" >&2
        case $tool in
            hyperfine)
                echo "  install it with: apt-get install hyperfine   (or: cargo install --locked hyperfine)" >&2 ;;
        esac
        exit 1
    fi
done

out=${BENCH_OUT:-$repo/target/bench/snapshot}
mkdir -p "$out"
out=$(cd "$out" && pwd)

echo "==> cargo build --release"
cargo build --release
bin=$repo/target/release/termfolio

# Run where no ./profile.toml exists and with an empty config dir, so that
# the profile really is the built-in one (compiled from this repo's profile.toml).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/run" "$work/config"
unset TERMFOLIO_PROFILE
export XDG_CONFIG_HOME=$work/config
cd "$work/run"

snap=$work/snapshot.txt
"$bin" snapshot --size 120x40 >"$snap"
echo "==> snapshot: $(wc -l <"$snap") lines, $(wc -c <"$snap") bytes (written to $snap)"

echo "==> hyperfine"
hyperfine --warmup 20 -N \
    --export-markdown "$out/snapshot.md" \
    --export-json "$out/snapshot.json" \
    --command-name cat "cat $snap" \
    --command-name "termfolio snapshot" "$bin snapshot --size 120x40"

echo
cat "$out/snapshot.md"
echo
python3 - "$out/snapshot.json" <<'EOF'
import json, sys
# In the order given to hyperfine: cat first, then termfolio.
cat, snap = json.load(open(sys.argv[1]))["results"]
ms = lambda s: f"{s * 1e3:.3f} ms"
print(f"cat                 mean {ms(cat['mean'])} ± {ms(cat['stddev'])}  (median {ms(cat['median'])}, {len(cat['times'])} runs)")
print(f"termfolio snapshot  mean {ms(snap['mean'])} ± {ms(snap['stddev'])}  (median {ms(snap['median'])}, {len(snap['times'])} runs)")
print(f"ratio (mean termfolio / mean cat): {snap['mean'] / cat['mean']:.2f}")
EOF
echo "(results in $out/snapshot.md and $out/snapshot.json)"
