//! The command line: the product's contract, as README's "Commands" lists it.

use std::path::PathBuf;
use std::sync::OnceLock;

use clap::{Parser, Subcommand, ValueEnum, ValueHint};

/// An academic profile in the terminal.
#[derive(Debug, Parser)]
#[command(name = "termfolio", version = version_line(), about, long_about = None)]
#[command(after_help = examples_help())]
pub struct Cli {
    /// The profile to show [default: $TERMFOLIO_PROFILE, then ./profile.toml,
    /// then $XDG_CONFIG_HOME/termfolio/profile.toml, then the built-in one]
    #[arg(long, global = true, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub profile: Option<PathBuf>,

    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// When to make links clickable (OSC 8 hyperlinks); auto: on terminals
    /// known to take them
    #[arg(long, global = true, value_enum, default_value_t = HyperlinkChoice::Auto, value_name = "WHEN")]
    pub hyperlinks: HyperlinkChoice,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--hyperlinks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HyperlinkChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the login card and exit
    Banner(BannerArgs),
    /// Print one screen of the viewer and exit
    Snapshot(SnapshotArgs),
    /// Validate the profile; exit 0 when it is fine, 1 when not
    Check {
        /// Treat warnings (what is shown degraded, such as a refused link) as errors
        #[arg(long)]
        strict: bool,
    },
    /// Print a BibTeX file's entries (al-folio `papers.bib`) as profile.toml publications
    #[cfg(feature = "import")]
    ImportBib {
        /// The BibTeX file
        #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
        file: std::path::PathBuf,
        /// Report only errors (entries that could not be read), not the
        /// fields left out
        #[arg(long)]
        quiet: bool,
    },
    /// Print an al-folio (Jekyll) site as a whole profile.toml
    #[cfg(feature = "import")]
    ImportSite {
        /// The site's directory (the one that holds _config.yml)
        #[arg(value_name = "DIR", value_hint = ValueHint::DirPath)]
        dir: std::path::PathBuf,
        /// Write the profile to FILE, and the site's photo beside it,
        /// instead of printing it
        #[arg(short = 'o', long = "output", value_name = "FILE", value_hint = ValueHint::FilePath)]
        output: Option<std::path::PathBuf>,
        /// Overwrite FILE, and a different photo of the same name beside it
        #[arg(long)]
        force: bool,
        /// Report only errors, not what was left out or reduced
        #[arg(long)]
        quiet: bool,
    },
    /// Print the profile's publications as BibTeX
    ExportBib,
    /// Serve the viewer over SSH to anyone (`ssh -p 2222 host`)
    #[cfg(feature = "ssh")]
    Serve(ServeArgs),
    /// Write a commented starter profile: every part of the format, one example each
    Init {
        /// The file to write (never overwritten; missing directories are made)
        #[arg(value_name = "PATH", default_value = crate::starter::DEFAULT_PATH, value_hint = ValueHint::FilePath)]
        path: PathBuf,
    },
    /// Print the completion script for a shell (README says where it goes)
    Completions {
        /// The shell
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `termfolio man | man -l -`
    Man,
}

/// The cargo features that change what the binary can do, and whether
/// this one was built with each.
pub const FEATURES: &[(&str, bool)] = &[
    ("ssh", cfg!(feature = "ssh")),
    ("import", cfg!(feature = "import")),
    ("photo", cfg!(feature = "photo")),
];

/// `--version` after the name: `0.1.0 (features: ssh, import, photo)`.
fn version_line() -> &'static str {
    static LINE: OnceLock<String> = OnceLock::new();
    LINE.get_or_init(|| {
        let on: Vec<&str> = FEATURES
            .iter()
            .filter(|(_, built)| *built)
            .map(|(name, _)| *name)
            .collect();
        let features = if on.is_empty() {
            "none".to_string()
        } else {
            on.join(", ")
        };
        format!("{} (features: {features})", env!("CARGO_PKG_VERSION"))
    })
}

/// The examples of `--help` and the man page: a command line, what it
/// does, and the feature it needs.
const EXAMPLES: &[(&str, &str, Option<&str>)] = &[
    (
        "termfolio",
        "Browse your profile (--profile says where it is looked for)",
        None,
    ),
    (
        "termfolio init && termfolio check",
        "Start a profile of your own (./profile.toml) and check it",
        None,
    ),
    (
        "termfolio import-site ~/src/me.github.io -o profile.toml",
        "Make a profile of an al-folio site instead",
        Some("import"),
    ),
    (
        "termfolio --profile lab/ada.toml banner --width 60",
        "Print another profile's login card, 60 columns wide",
        None,
    ),
    (
        "termfolio snapshot --tab publications --keys '<Down><Enter>'",
        "Print the screen the viewer shows after those keys",
        None,
    ),
    (
        "termfolio serve --listen 0.0.0.0:2222",
        "Let anyone browse it with ssh -p 2222 HOST",
        Some("ssh"),
    ),
    (
        "termfolio completions fish > ~/.config/fish/completions/termfolio.fish",
        "Install completions for fish (README: bash, zsh, elvish, powershell)",
        None,
    ),
];

/// The examples this binary can run (those whose feature it was built with).
pub fn examples() -> impl Iterator<Item = (&'static str, &'static str)> {
    let built = |feature: &str| FEATURES.iter().any(|&(name, on)| name == feature && on);
    EXAMPLES
        .iter()
        .filter(move |(_, _, needs)| needs.is_none_or(built))
        .map(|&(command, does, _)| (command, does))
}

/// The `Examples:` section at the end of `--help`.
fn examples_help() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut text = String::from("Examples:");
        for (command, does) in examples() {
            text.push_str(&format!("\n  {does}:\n      {command}"));
        }
        text
    })
}

/// `termfolio serve`.
#[cfg(feature = "ssh")]
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (use 0.0.0.0:2222 to accept connections from other machines)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:2222")]
    pub listen: String,

    /// The ed25519 host key, made on first start [default:
    /// $XDG_DATA_HOME/termfolio/ssh_host_ed25519_key or ~/.local/share/...]
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub host_key: Option<std::path::PathBuf>,

    /// Most visitors at once (and, separately, most connections still logging in)
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_sessions: u32,

    /// Most connections from one address at once
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_per_ip: u32,

    /// New connections a second from one address, refilling steadily (a
    /// burst of --burst-per-ip may come at once)
    #[arg(long, value_name = "R", default_value_t = 4.0, value_parser = positive)]
    pub rate_per_ip: f64,

    /// New connections from one address allowed at once after a quiet spell
    #[arg(long, value_name = "N", default_value_t = 12.0, value_parser = at_least_one)]
    pub burst_per_ip: f64,

    /// New connections a second from one IPv6 /64 (all its addresses together)
    #[arg(long = "rate-per-64", value_name = "R", default_value_t = 16.0, value_parser = positive)]
    pub rate_per_64: f64,

    /// New connections from one IPv6 /64 allowed at once after a quiet spell
    #[arg(long = "burst-per-64", value_name = "N", default_value_t = 48.0, value_parser = at_least_one)]
    pub burst_per_64: f64,

    /// Seconds without input before a visitor is disconnected
    #[arg(long, value_name = "SECS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,

    /// Longest a visit may last, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_session_time: u64,

    /// A load balancer (an IPv4 or IPv6 network, or one address) whose
    /// connections start with a PROXY protocol v1/v2 header, read for the
    /// client's address; repeatable. Nobody else's header is read
    #[arg(long = "trusted-proxy", value_name = "CIDR", value_parser = trusted_proxy)]
    pub trusted_proxy: Vec<crate::serve::Cidr>,

    /// A lab's profiles: `ssh NAME@host` shows DIR/NAME.toml (NAME is
    /// [a-z0-9][a-z0-9._-]{0,63}); any other name gets the lab's directory.
    /// Each profile is read again when it changes; a broken one is listed
    /// as unavailable
    #[arg(long, value_name = "DIR")]
    pub profiles: Option<std::path::PathBuf>,
}

/// `--trusted-proxy`: a network, or a bare address for just that one.
#[cfg(feature = "ssh")]
fn trusted_proxy(text: &str) -> Result<crate::serve::Cidr, String> {
    text.parse()
}

/// A finite number above zero.
#[cfg(feature = "ssh")]
fn positive(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("expected a number above 0, not {text:?}")),
    }
}

/// A finite number of at least one.
#[cfg(feature = "ssh")]
fn at_least_one(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 1.0 => Ok(v),
        _ => Err(format!("expected a number of at least 1, not {text:?}")),
    }
}

#[derive(Debug, clap::Args)]
pub struct SnapshotArgs {
    /// The tab to open: a name (bio, research, news, publications, or an extra
    /// section's title) or a 1-based number
    #[arg(long, value_name = "T")]
    pub tab: Option<String>,

    /// The screen size
    #[arg(long, value_name = "WxH", default_value = "80x24", value_parser = crate::snapshot::parse_size)]
    pub size: (u16, u16),

    /// Keys to press first: characters stand for themselves; named keys in
    /// angle brackets (<Enter> <Esc> <Tab> <BackTab> <Up> <Down> <Left> <Right>
    /// <PageUp> <PageDown> <Home> <End> <Space> <Backspace> <C-x>, <lt> for <)
    #[arg(long, value_name = "K", default_value = "", allow_hyphen_values = true)]
    pub keys: String,

    /// Keep colours and attributes as SGR escape sequences
    #[arg(long)]
    pub ansi: bool,
}

/// `termfolio banner`.
#[derive(Debug, clap::Args)]
pub struct BannerArgs {
    /// Columns to fit [default: the terminal's, else $COLUMNS, else 80; at most 100]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub width: Option<u64>,

    /// How many of the latest news items to show
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub news: usize,

    /// A small portrait left of the card (with colour on and room for it)
    #[arg(long)]
    pub photo: bool,

    /// ASCII decorations and punctuation whatever the locale, for a card
    /// written in advance (sshd's pre-login Banner file); names and CJK text
    /// as written, and no portrait
    #[arg(long)]
    pub ascii: bool,
}
