#!/bin/sh
# /etc/update-motd.d/50-termfolio: the card in the message of the day.
# pam_motd runs this as root with no terminal: plain text, 80 columns.
TERMFOLIO=${TERMFOLIO:-/usr/local/bin/termfolio}
[ -x "$TERMFOLIO" ] || exit 0
"$TERMFOLIO" banner --color never --width 80 2>/dev/null || true
