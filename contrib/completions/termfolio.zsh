#compdef termfolio

autoload -U is-at-least

_termfolio() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_termfolio_commands" \
"*::: :->termfolio" \
&& ret=0
    case $state in
    (termfolio)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:termfolio-command-$line[1]:"
        case $line[1] in
            (banner)
_arguments "${_arguments_options[@]}" : \
'--width=[Columns to fit \[default\: the terminal'\''s, else \$COLUMNS, else 80; at most 100\]]:N:_default' \
'--news=[How many of the latest news items to show]:N:_default' \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'--photo[A small portrait left of the card (with colour on and room for it)]' \
'--ascii[ASCII decorations and punctuation whatever the locale, for a card written in advance (sshd'\''s pre-login Banner file); names and CJK text as written, and no portrait]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(snapshot)
_arguments "${_arguments_options[@]}" : \
'--tab=[The tab to open\: a name (bio, research, news, publications, or an extra section'\''s title) or a 1-based number]:T:_default' \
'--size=[The screen size]:WxH:_default' \
'--keys=[Keys to press first\: characters stand for themselves; named keys in angle brackets (<Enter> <Esc> <Tab> <BackTab> <Up> <Down> <Left> <Right> <PageUp> <PageDown> <Home> <End> <Space> <Backspace> <C-x>, <lt> for <)]:K:_default' \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'--ansi[Keep colours and attributes as SGR escape sequences]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'--strict[Treat warnings (what is shown degraded, such as a refused link) as errors]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(import-bib)
_arguments "${_arguments_options[@]}" : \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'--quiet[Report only errors (entries that could not be read), not the fields left out]' \
'-h[Print help]' \
'--help[Print help]' \
':file -- The BibTeX file:_files' \
&& ret=0
;;
(import-site)
_arguments "${_arguments_options[@]}" : \
'-o+[Write the profile to FILE, and the site'\''s photo beside it, instead of printing it]:FILE:_files' \
'--output=[Write the profile to FILE, and the site'\''s photo beside it, instead of printing it]:FILE:_files' \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'--force[Overwrite FILE, and a different photo of the same name beside it]' \
'--quiet[Report only errors, not what was left out or reduced]' \
'-h[Print help]' \
'--help[Print help]' \
':dir -- The site'\''s directory (the one that holds _config.yml):_files -/' \
&& ret=0
;;
(export-bib)
_arguments "${_arguments_options[@]}" : \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(serve)
_arguments "${_arguments_options[@]}" : \
'--listen=[Address to listen on (use 0.0.0.0\:2222 to accept connections from other machines)]:ADDR:_default' \
'--host-key=[The ed25519 host key, made on first start \[default\: \$XDG_DATA_HOME/termfolio/ssh_host_ed25519_key or ~/.local/share/...\]]:PATH:_files' \
'--max-sessions=[Most visitors at once (and, separately, most connections still logging in)]:N:_default' \
'--max-per-ip=[Most connections from one address at once]:N:_default' \
'--rate-per-ip=[New connections a second from one address, refilling steadily (a burst of --burst-per-ip may come at once)]:R:_default' \
'--burst-per-ip=[New connections from one address allowed at once after a quiet spell]:N:_default' \
'--rate-per-64=[New connections a second from one IPv6 /64 (all its addresses together)]:R:_default' \
'--burst-per-64=[New connections from one IPv6 /64 allowed at once after a quiet spell]:N:_default' \
'--idle-timeout=[Seconds without input before a visitor is disconnected]:SECS:_default' \
'--max-session-time=[Longest a visit may last, in seconds]:SECS:_default' \
'*--trusted-proxy=[A load balancer (an IPv4 or IPv6 network, or one address) whose connections start with a PROXY protocol v1/v2 header, read for the client'\''s address; repeatable. Nobody else'\''s header is read]:CIDR:_default' \
'--profiles=[A lab'\''s profiles\: \`ssh NAME@host\` shows DIR/NAME.toml (NAME is \[a-z0-9\]\[a-z0-9._-\]{0,63}); any other name gets the lab'\''s directory. Each profile is read again when it changes; a broken one is listed as unavailable]:DIR:_files' \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(init)
_arguments "${_arguments_options[@]}" : \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'-h[Print help]' \
'--help[Print help]' \
'::path -- The file to write (never overwritten; missing directories are made):_files' \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'-h[Print help]' \
'--help[Print help]' \
':shell -- The shell:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
'--profile=[The profile to show \[default\: \$TERMFOLIO_PROFILE, then ./profile.toml, then \$XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one\]]:PATH:_files' \
'--color=[When to use colour]:WHEN:(auto always never)' \
'--hyperlinks=[When to make links clickable (OSC 8 hyperlinks); auto\: on terminals known to take them]:WHEN:(auto always never)' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_termfolio__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:termfolio-help-command-$line[1]:"
        case $line[1] in
            (banner)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(snapshot)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(import-bib)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(import-site)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(export-bib)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(serve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(init)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(man)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_termfolio_commands] )) ||
_termfolio_commands() {
    local commands; commands=(
'banner:Print the login card and exit' \
'snapshot:Print one screen of the viewer and exit' \
'check:Validate the profile; exit 0 when it is fine, 1 when not' \
'import-bib:Print a BibTeX file'\''s entries (al-folio \`papers.bib\`) as profile.toml publications' \
'import-site:Print an al-folio (Jekyll) site as a whole profile.toml' \
'export-bib:Print the profile'\''s publications as BibTeX' \
'serve:Serve the viewer over SSH to anyone (\`ssh -p 2222 host\`)' \
'init:Write a commented starter profile\: every part of the format, one example each' \
'completions:Print the completion script for a shell (README says where it goes)' \
'man:Print the man page (roff)\: \`termfolio man | man -l -\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'termfolio commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__banner_commands] )) ||
_termfolio__subcmd__banner_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio banner commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__check_commands] )) ||
_termfolio__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio check commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__completions_commands] )) ||
_termfolio__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio completions commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__export-bib_commands] )) ||
_termfolio__subcmd__export-bib_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio export-bib commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help_commands] )) ||
_termfolio__subcmd__help_commands() {
    local commands; commands=(
'banner:Print the login card and exit' \
'snapshot:Print one screen of the viewer and exit' \
'check:Validate the profile; exit 0 when it is fine, 1 when not' \
'import-bib:Print a BibTeX file'\''s entries (al-folio \`papers.bib\`) as profile.toml publications' \
'import-site:Print an al-folio (Jekyll) site as a whole profile.toml' \
'export-bib:Print the profile'\''s publications as BibTeX' \
'serve:Serve the viewer over SSH to anyone (\`ssh -p 2222 host\`)' \
'init:Write a commented starter profile\: every part of the format, one example each' \
'completions:Print the completion script for a shell (README says where it goes)' \
'man:Print the man page (roff)\: \`termfolio man | man -l -\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'termfolio help commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__banner_commands] )) ||
_termfolio__subcmd__help__subcmd__banner_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help banner commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__check_commands] )) ||
_termfolio__subcmd__help__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help check commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__completions_commands] )) ||
_termfolio__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help completions commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__export-bib_commands] )) ||
_termfolio__subcmd__help__subcmd__export-bib_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help export-bib commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__help_commands] )) ||
_termfolio__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help help commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__import-bib_commands] )) ||
_termfolio__subcmd__help__subcmd__import-bib_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help import-bib commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__import-site_commands] )) ||
_termfolio__subcmd__help__subcmd__import-site_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help import-site commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__init_commands] )) ||
_termfolio__subcmd__help__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help init commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__man_commands] )) ||
_termfolio__subcmd__help__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help man commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__serve_commands] )) ||
_termfolio__subcmd__help__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help serve commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__help__subcmd__snapshot_commands] )) ||
_termfolio__subcmd__help__subcmd__snapshot_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio help snapshot commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__import-bib_commands] )) ||
_termfolio__subcmd__import-bib_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio import-bib commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__import-site_commands] )) ||
_termfolio__subcmd__import-site_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio import-site commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__init_commands] )) ||
_termfolio__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio init commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__man_commands] )) ||
_termfolio__subcmd__man_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio man commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__serve_commands] )) ||
_termfolio__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio serve commands' commands "$@"
}
(( $+functions[_termfolio__subcmd__snapshot_commands] )) ||
_termfolio__subcmd__snapshot_commands() {
    local commands; commands=()
    _describe -t commands 'termfolio snapshot commands' commands "$@"
}

if [ "$funcstack[1]" = "_termfolio" ]; then
    _termfolio "$@"
else
    compdef _termfolio termfolio
fi
