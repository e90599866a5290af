
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'termfolio' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'termfolio'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'termfolio' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('banner', 'banner', [CompletionResultType]::ParameterValue, 'Print the login card and exit')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Print one screen of the viewer and exit')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the profile; exit 0 when it is fine, 1 when not')
            [CompletionResult]::new('import-bib', 'import-bib', [CompletionResultType]::ParameterValue, 'Print a BibTeX file''s entries (al-folio `papers.bib`) as profile.toml publications')
            [CompletionResult]::new('import-site', 'import-site', [CompletionResultType]::ParameterValue, 'Print an al-folio (Jekyll) site as a whole profile.toml')
            [CompletionResult]::new('export-bib', 'export-bib', [CompletionResultType]::ParameterValue, 'Print the profile''s publications as BibTeX')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the viewer over SSH to anyone (`ssh -p 2222 host`)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starter profile: every part of the format, one example each')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell (README says where it goes)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff): `termfolio man | man -l -`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'termfolio;banner' {
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Columns to fit [default: the terminal''s, else $COLUMNS, else 80; at most 100]')
            [CompletionResult]::new('--news', '--news', [CompletionResultType]::ParameterName, 'How many of the latest news items to show')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('--photo', '--photo', [CompletionResultType]::ParameterName, 'A small portrait left of the card (with colour on and room for it)')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'ASCII decorations and punctuation whatever the locale, for a card written in advance (sshd''s pre-login Banner file); names and CJK text as written, and no portrait')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'termfolio;snapshot' {
            [CompletionResult]::new('--tab', '--tab', [CompletionResultType]::ParameterName, 'The tab to open: a name (bio, research, news, publications, or an extra section''s title) or a 1-based number')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'The screen size')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Keys to press first: characters stand for themselves; named keys in angle brackets (<Enter> <Esc> <Tab> <BackTab> <Up> <Down> <Left> <Right> <PageUp> <PageDown> <Home> <End> <Space> <Backspace> <C-x>, <lt> for <)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('--ansi', '--ansi', [CompletionResultType]::ParameterName, 'Keep colours and attributes as SGR escape sequences')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'termfolio;check' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings (what is shown degraded, such as a refused link) as errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'termfolio;import-bib' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Report only errors (entries that could not be read), not the fields left out')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'termfolio;import-site' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the profile to FILE, and the site''s photo beside it, instead of printing it')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the profile to FILE, and the site''s photo beside it, instead of printing it')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite FILE, and a different photo of the same name beside it')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Report only errors, not what was left out or reduced')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'termfolio;export-bib' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'termfolio;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (use 0.0.0.0:2222 to accept connections from other machines)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'The ed25519 host key, made on first start [default: $XDG_DATA_HOME/termfolio/ssh_host_ed25519_key or ~/.local/share/...]')
            [CompletionResult]::new('--max-sessions', '--max-sessions', [CompletionResultType]::ParameterName, 'Most visitors at once (and, separately, most connections still logging in)')
            [CompletionResult]::new('--max-per-ip', '--max-per-ip', [CompletionResultType]::ParameterName, 'Most connections from one address at once')
            [CompletionResult]::new('--rate-per-ip', '--rate-per-ip', [CompletionResultType]::ParameterName, 'New connections a second from one address, refilling steadily (a burst of --burst-per-ip may come at once)')
            [CompletionResult]::new('--burst-per-ip', '--burst-per-ip', [CompletionResultType]::ParameterName, 'New connections from one address allowed at once after a quiet spell')
            [CompletionResult]::new('--rate-per-64', '--rate-per-64', [CompletionResultType]::ParameterName, 'New connections a second from one IPv6 /64 (all its addresses together)')
            [CompletionResult]::new('--burst-per-64', '--burst-per-64', [CompletionResultType]::ParameterName, 'New connections from one IPv6 /64 allowed at once after a quiet spell')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Seconds without input before a visitor is disconnected')
            [CompletionResult]::new('--max-session-time', '--max-session-time', [CompletionResultType]::ParameterName, 'Longest a visit may last, in seconds')
            [CompletionResult]::new('--trusted-proxy', '--trusted-proxy', [CompletionResultType]::ParameterName, 'A load balancer (an IPv4 or IPv6 network, or one address) whose connections start with a PROXY protocol v1/v2 header, read for the client''s address; repeatable. Nobody else''s header is read')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'A lab''s profiles: `ssh NAME@host` shows DIR/NAME.toml (NAME is [a-z0-9][a-z0-9._-]{0,63}); any other name gets the lab''s directory. Each profile is read again when it changes; a broken one is listed as unavailable')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'termfolio;init' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'termfolio;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'termfolio;man' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--hyperlinks', '--hyperlinks', [CompletionResultType]::ParameterName, 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'termfolio;help' {
            [CompletionResult]::new('banner', 'banner', [CompletionResultType]::ParameterValue, 'Print the login card and exit')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Print one screen of the viewer and exit')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the profile; exit 0 when it is fine, 1 when not')
            [CompletionResult]::new('import-bib', 'import-bib', [CompletionResultType]::ParameterValue, 'Print a BibTeX file''s entries (al-folio `papers.bib`) as profile.toml publications')
            [CompletionResult]::new('import-site', 'import-site', [CompletionResultType]::ParameterValue, 'Print an al-folio (Jekyll) site as a whole profile.toml')
            [CompletionResult]::new('export-bib', 'export-bib', [CompletionResultType]::ParameterValue, 'Print the profile''s publications as BibTeX')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the viewer over SSH to anyone (`ssh -p 2222 host`)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starter profile: every part of the format, one example each')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell (README says where it goes)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff): `termfolio man | man -l -`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'termfolio;help;banner' {
            break
        }
        'termfolio;help;snapshot' {
            break
        }
        'termfolio;help;check' {
            break
        }
        'termfolio;help;import-bib' {
            break
        }
        'termfolio;help;import-site' {
            break
        }
        'termfolio;help;export-bib' {
            break
        }
        'termfolio;help;serve' {
            break
        }
        'termfolio;help;init' {
            break
        }
        'termfolio;help;completions' {
            break
        }
        'termfolio;help;man' {
            break
        }
        'termfolio;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
