# termfolio login card: only in interactive shells writing to a terminal,
# never for scp/rsync/`ssh host cmd`, and silenced by ~/.hushlogin.
case $- in
  *i*)
    if [ -t 1 ] && [ ! -e "$HOME/.hushlogin" ] && command -v termfolio >/dev/null 2>&1; then
      termfolio banner
    fi
    ;;
esac
