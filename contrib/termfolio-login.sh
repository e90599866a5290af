#!/bin/sh
# sshd ForceCommand wrapper: the card on interactive logins, then the user's
# shell; commands (scp, rsync, sftp, `ssh host cmd`) run untouched, with no
# card, so their byte streams stay clean.
TERMFOLIO=${TERMFOLIO:-/usr/local/bin/termfolio}
case ${SSH_ORIGINAL_COMMAND-} in
  "")
    if [ -t 1 ] && [ -x "$TERMFOLIO" ]; then
      "$TERMFOLIO" banner || true
    fi
    exec "${SHELL:-/bin/sh}" -l
    ;;
  internal-sftp)
    exec /usr/lib/openssh/sftp-server
    ;;
  *)
    exec "${SHELL:-/bin/sh}" -c "$SSH_ORIGINAL_COMMAND"
    ;;
esac
