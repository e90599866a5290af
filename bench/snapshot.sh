#!/usr/bin/env bash
# `termfolio snapshot --size 120x40` (start, load the built-in profile, one
# frame, print) against `cat` of its own output, in one hyperfine run.
exec "$(dirname "${BASH_SOURCE[0]}")/vs_cat.sh" snapshot snapshot --size 120x40
