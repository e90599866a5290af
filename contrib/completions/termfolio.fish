# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_termfolio_global_optspecs
    string join \n profile= color= hyperlinks= h/help V/version
end

function __fish_termfolio_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_termfolio_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_termfolio_using_subcommand
    set -l cmd (__fish_termfolio_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c termfolio -n "__fish_termfolio_needs_command" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_needs_command" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_needs_command" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_needs_command" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_needs_command" -s V -l version -d 'Print version'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "banner" -d 'Print the login card and exit'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "snapshot" -d 'Print one screen of the viewer and exit'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "check" -d 'Validate the profile; exit 0 when it is fine, 1 when not'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "import-bib" -d 'Print a BibTeX file\'s entries (al-folio `papers.bib`) as profile.toml publications'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "import-site" -d 'Print an al-folio (Jekyll) site as a whole profile.toml'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "export-bib" -d 'Print the profile\'s publications as BibTeX'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "serve" -d 'Serve the viewer over SSH to anyone (`ssh -p 2222 host`)'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "init" -d 'Write a commented starter profile: every part of the format, one example each'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "completions" -d 'Print the completion script for a shell (README says where it goes)'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "man" -d 'Print the man page (roff): `termfolio man | man -l -`'
complete -c termfolio -n "__fish_termfolio_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c termfolio -n "__fish_termfolio_using_subcommand banner" -l width -d 'Columns to fit [default: the terminal\'s, else $COLUMNS, else 80; at most 100]' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand banner" -l news -d 'How many of the latest news items to show' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand banner" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand banner" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand banner" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand banner" -l photo -d 'A small portrait left of the card (with colour on and room for it)'
complete -c termfolio -n "__fish_termfolio_using_subcommand banner" -l ascii -d 'ASCII decorations and punctuation whatever the locale, for a card written in advance (sshd\'s pre-login Banner file); names and CJK text as written, and no portrait'
complete -c termfolio -n "__fish_termfolio_using_subcommand banner" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_using_subcommand snapshot" -l tab -d 'The tab to open: a name (bio, research, news, publications, or an extra section\'s title) or a 1-based number' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand snapshot" -l size -d 'The screen size' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand snapshot" -l keys -d 'Keys to press first: characters stand for themselves; named keys in angle brackets (<Enter> <Esc> <Tab> <BackTab> <Up> <Down> <Left> <Right> <PageUp> <PageDown> <Home> <End> <Space> <Backspace> <C-x>, <lt> for <)' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand snapshot" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand snapshot" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand snapshot" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand snapshot" -l ansi -d 'Keep colours and attributes as SGR escape sequences'
complete -c termfolio -n "__fish_termfolio_using_subcommand snapshot" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_using_subcommand check" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand check" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand check" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand check" -l strict -d 'Treat warnings (what is shown degraded, such as a refused link) as errors'
complete -c termfolio -n "__fish_termfolio_using_subcommand check" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_using_subcommand import-bib" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand import-bib" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand import-bib" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand import-bib" -l quiet -d 'Report only errors (entries that could not be read), not the fields left out'
complete -c termfolio -n "__fish_termfolio_using_subcommand import-bib" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_using_subcommand import-site" -s o -l output -d 'Write the profile to FILE, and the site\'s photo beside it, instead of printing it' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand import-site" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand import-site" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand import-site" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand import-site" -l force -d 'Overwrite FILE, and a different photo of the same name beside it'
complete -c termfolio -n "__fish_termfolio_using_subcommand import-site" -l quiet -d 'Report only errors, not what was left out or reduced'
complete -c termfolio -n "__fish_termfolio_using_subcommand import-site" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_using_subcommand export-bib" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand export-bib" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand export-bib" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand export-bib" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l listen -d 'Address to listen on (use 0.0.0.0:2222 to accept connections from other machines)' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l host-key -d 'The ed25519 host key, made on first start [default: $XDG_DATA_HOME/termfolio/ssh_host_ed25519_key or ~/.local/share/...]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l max-sessions -d 'Most visitors at once (and, separately, most connections still logging in)' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l max-per-ip -d 'Most connections from one address at once' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l rate-per-ip -d 'New connections a second from one address, refilling steadily (a burst of --burst-per-ip may come at once)' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l burst-per-ip -d 'New connections from one address allowed at once after a quiet spell' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l rate-per-64 -d 'New connections a second from one IPv6 /64 (all its addresses together)' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l burst-per-64 -d 'New connections from one IPv6 /64 allowed at once after a quiet spell' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l idle-timeout -d 'Seconds without input before a visitor is disconnected' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l max-session-time -d 'Longest a visit may last, in seconds' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l trusted-proxy -d 'A load balancer (an IPv4 or IPv6 network, or one address) whose connections start with a PROXY protocol v1/v2 header, read for the client\'s address; repeatable. Nobody else\'s header is read' -r
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l profiles -d 'A lab\'s profiles: `ssh NAME@host` shows DIR/NAME.toml (NAME is [a-z0-9][a-z0-9._-]{0,63}); any other name gets the lab\'s directory. Each profile is read again when it changes; a broken one is listed as unavailable' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand serve" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_using_subcommand init" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand init" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand init" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand init" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_using_subcommand completions" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand completions" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand completions" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand completions" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_using_subcommand man" -l profile -d 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]' -r -F
complete -c termfolio -n "__fish_termfolio_using_subcommand man" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand man" -l hyperlinks -d 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them' -r -f -a "auto\t''
always\t''
never\t''"
complete -c termfolio -n "__fish_termfolio_using_subcommand man" -s h -l help -d 'Print help'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "banner" -d 'Print the login card and exit'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "snapshot" -d 'Print one screen of the viewer and exit'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "check" -d 'Validate the profile; exit 0 when it is fine, 1 when not'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "import-bib" -d 'Print a BibTeX file\'s entries (al-folio `papers.bib`) as profile.toml publications'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "import-site" -d 'Print an al-folio (Jekyll) site as a whole profile.toml'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "export-bib" -d 'Print the profile\'s publications as BibTeX'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "serve" -d 'Serve the viewer over SSH to anyone (`ssh -p 2222 host`)'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "init" -d 'Write a commented starter profile: every part of the format, one example each'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "completions" -d 'Print the completion script for a shell (README says where it goes)'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "man" -d 'Print the man page (roff): `termfolio man | man -l -`'
complete -c termfolio -n "__fish_termfolio_using_subcommand help; and not __fish_seen_subcommand_from banner snapshot check import-bib import-site export-bib serve init completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
