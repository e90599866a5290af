#!/bin/sh
# sshd's pre-login banner: writes the login card to /etc/ssh/termfolio-banner
# (or the file named as the first argument) for sshd_config's
#   Banner /etc/ssh/termfolio-banner
# Written in advance for whatever terminal will show it: ASCII, no colour,
# 80 columns. The profile is $TERMFOLIO_PROFILE, else
# /etc/termfolio/profile.toml when there is one, else termfolio's own lookup.
# The new card replaces the old one whole (a rename), so sshd never sends
# half of one; when the profile does not load, the old card stays and this
# exits 1 with termfolio's error.
set -eu
TERMFOLIO=${TERMFOLIO:-/usr/local/bin/termfolio}
PROFILE=${TERMFOLIO_PROFILE:-/etc/termfolio/profile.toml}
BANNER=${1:-/etc/ssh/termfolio-banner}
set --
if [ -e "$PROFILE" ]; then set -- --profile "$PROFILE"; fi
new=$(mktemp "$BANNER.XXXXXX")
trap 'rm -f "$new"' EXIT
"$TERMFOLIO" "$@" banner --ascii --color never --width 80 >"$new"
chmod 644 "$new"
mv -f "$new" "$BANNER"
trap - EXIT
