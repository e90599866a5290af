#!/usr/bin/env bash
# The login card against `cat` of its own output, in one hyperfine run.
exec "$(dirname "${BASH_SOURCE[0]}")/vs_cat.sh" banner banner --width 80
