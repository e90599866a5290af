
use builtin;
use str;

set edit:completion:arg-completer[termfolio] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'termfolio'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'termfolio'= {
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand banner 'Print the login card and exit'
            cand snapshot 'Print one screen of the viewer and exit'
            cand check 'Validate the profile; exit 0 when it is fine, 1 when not'
            cand import-bib 'Print a BibTeX file''s entries (al-folio `papers.bib`) as profile.toml publications'
            cand import-site 'Print an al-folio (Jekyll) site as a whole profile.toml'
            cand export-bib 'Print the profile''s publications as BibTeX'
            cand serve 'Serve the viewer over SSH to anyone (`ssh -p 2222 host`)'
            cand init 'Write a commented starter profile: every part of the format, one example each'
            cand completions 'Print the completion script for a shell (README says where it goes)'
            cand man 'Print the man page (roff): `termfolio man | man -l -`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'termfolio;banner'= {
            cand --width 'Columns to fit [default: the terminal''s, else $COLUMNS, else 80; at most 100]'
            cand --news 'How many of the latest news items to show'
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand --photo 'A small portrait left of the card (with colour on and room for it)'
            cand --ascii 'ASCII decorations and punctuation whatever the locale, for a card written in advance (sshd''s pre-login Banner file); names and CJK text as written, and no portrait'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'termfolio;snapshot'= {
            cand --tab 'The tab to open: a name (bio, research, news, publications, or an extra section''s title) or a 1-based number'
            cand --size 'The screen size'
            cand --keys 'Keys to press first: characters stand for themselves; named keys in angle brackets (<Enter> <Esc> <Tab> <BackTab> <Up> <Down> <Left> <Right> <PageUp> <PageDown> <Home> <End> <Space> <Backspace> <C-x>, <lt> for <)'
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand --ansi 'Keep colours and attributes as SGR escape sequences'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'termfolio;check'= {
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand --strict 'Treat warnings (what is shown degraded, such as a refused link) as errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'termfolio;import-bib'= {
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand --quiet 'Report only errors (entries that could not be read), not the fields left out'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'termfolio;import-site'= {
            cand -o 'Write the profile to FILE, and the site''s photo beside it, instead of printing it'
            cand --output 'Write the profile to FILE, and the site''s photo beside it, instead of printing it'
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand --force 'Overwrite FILE, and a different photo of the same name beside it'
            cand --quiet 'Report only errors, not what was left out or reduced'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'termfolio;export-bib'= {
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'termfolio;serve'= {
            cand --listen 'Address to listen on (use 0.0.0.0:2222 to accept connections from other machines)'
            cand --host-key 'The ed25519 host key, made on first start [default: $XDG_DATA_HOME/termfolio/ssh_host_ed25519_key or ~/.local/share/...]'
            cand --max-sessions 'Most visitors at once (and, separately, most connections still logging in)'
            cand --max-per-ip 'Most connections from one address at once'
            cand --rate-per-ip 'New connections a second from one address, refilling steadily (a burst of --burst-per-ip may come at once)'
            cand --burst-per-ip 'New connections from one address allowed at once after a quiet spell'
            cand --rate-per-64 'New connections a second from one IPv6 /64 (all its addresses together)'
            cand --burst-per-64 'New connections from one IPv6 /64 allowed at once after a quiet spell'
            cand --idle-timeout 'Seconds without input before a visitor is disconnected'
            cand --max-session-time 'Longest a visit may last, in seconds'
            cand --trusted-proxy 'A load balancer (an IPv4 or IPv6 network, or one address) whose connections start with a PROXY protocol v1/v2 header, read for the client''s address; repeatable. Nobody else''s header is read'
            cand --profiles 'A lab''s profiles: `ssh NAME@host` shows DIR/NAME.toml (NAME is [a-z0-9][a-z0-9._-]{0,63}); any other name gets the lab''s directory. Each profile is read again when it changes; a broken one is listed as unavailable'
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'termfolio;init'= {
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'termfolio;completions'= {
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'termfolio;man'= {
            cand --profile 'The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml, then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]'
            cand --color 'When to use colour'
            cand --hyperlinks 'When to make links clickable (OSC 8 hyperlinks); auto: on terminals known to take them'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'termfolio;help'= {
            cand banner 'Print the login card and exit'
            cand snapshot 'Print one screen of the viewer and exit'
            cand check 'Validate the profile; exit 0 when it is fine, 1 when not'
            cand import-bib 'Print a BibTeX file''s entries (al-folio `papers.bib`) as profile.toml publications'
            cand import-site 'Print an al-folio (Jekyll) site as a whole profile.toml'
            cand export-bib 'Print the profile''s publications as BibTeX'
            cand serve 'Serve the viewer over SSH to anyone (`ssh -p 2222 host`)'
            cand init 'Write a commented starter profile: every part of the format, one example each'
            cand completions 'Print the completion script for a shell (README says where it goes)'
            cand man 'Print the man page (roff): `termfolio man | man -l -`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'termfolio;help;banner'= {
        }
        &'termfolio;help;snapshot'= {
        }
        &'termfolio;help;check'= {
        }
        &'termfolio;help;import-bib'= {
        }
        &'termfolio;help;import-site'= {
        }
        &'termfolio;help;export-bib'= {
        }
        &'termfolio;help;serve'= {
        }
        &'termfolio;help;init'= {
        }
        &'termfolio;help;completions'= {
        }
        &'termfolio;help;man'= {
        }
        &'termfolio;help;help'= {
        }
    ]
    $completions[$command]
}
