#!/bin/sh
# /etc/update-motd.d/50-termfolio: the card in the message of the day.
# pam_motd runs this as root with no terminal and an empty environment (no
# locale, no HOME): ASCII, plain text, 80 columns. The profile is
# /etc/termfolio/profile.toml when there is one, else the built-in one.
TERMFOLIO=${TERMFOLIO:-/usr/local/bin/termfolio}
PROFILE=${TERMFOLIO_PROFILE:-/etc/termfolio/profile.toml}
[ -x "$TERMFOLIO" ] || exit 0
if [ -e "$PROFILE" ]; then set -- --profile "$PROFILE"; fi
"$TERMFOLIO" "$@" banner --ascii --color never --width 80 2>/dev/null || true
