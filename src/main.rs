//! termfolio: parse the command line, pick a front end, map errors to exit codes.
//!
//! `main` is the C entry point (`no_main`): std's start-up (a guard-page
//! probe that reads `/proc/self/maps`, an alternate signal stack, a check of
//! fds 0-2) costs a dozen system calls at every start, a large share of a
//! login card's time. What of it matters is done here: SIGPIPE is ignored
//! (so a closed pipe is an EPIPE error, ended quietly), a panic is caught
//! and exits 101, and the exit goes through `process::exit`, which flushes
//! stdout.

#![no_main]

use std::io::IsTerminal;
use std::sync::Arc;

use clap::Parser;

use termfolio::cli::{BannerArgs, Cli, ColorChoice, Command, HyperlinkChoice, SnapshotArgs};
use termfolio::frontend::{self, ColorEnv, TerminalEnv};
use termfolio::profile::{self, Profile};
use termfolio::{app, banner, bibtex, plain, snapshot, tui};

/// An error and the exit status it ends with.
struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    fn usage(message: String) -> Self {
        Failure { message, code: 2 }
    }
    fn other(message: String) -> Self {
        Failure { message, code: 1 }
    }
}

#[unsafe(no_mangle)]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    // SAFETY: setting a signal's disposition to SIG_IGN, before any thread.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    let code = std::panic::catch_unwind(|| {
        let cli = Cli::parse();
        match run(cli) {
            Ok(()) => 0,
            Err(f) => {
                eprintln!("{}", f.message);
                i32::from(f.code)
            }
        }
    })
    .unwrap_or(101);
    std::process::exit(code)
}

/// Writes `text` to stdout; a closed pipe is not an error.
fn write_out(text: &str) -> Result<(), Failure> {
    frontend::write_stdout(text).map_err(|e| Failure::other(format!("error: {e}")))
}

#[cfg(feature = "import")]
/// `import-bib FILE`: publications on stdout, problems on stderr; exit 1 if
/// any entry could not be imported.
fn import_bib(path: &std::path::Path, quiet: bool) -> Result<(), Failure> {
    let text =
        profile::read_file(path, "bibliography").map_err(|e| Failure::other(e.to_string()))?;
    let import = bibtex::import(&text);
    #[derive(serde::Serialize)]
    struct Tables<'a> {
        publications: &'a [termfolio::profile::Publication],
    }
    let mut toml = format!(
        "# {} imported from {} by termfolio import-bib\n\n",
        frontend::count(import.publications.len(), "publication", "publications"),
        profile::sanitize::line(&path.display().to_string())
    );
    if !import.publications.is_empty() {
        let tables = toml::to_string(&Tables {
            publications: &import.publications,
        })
        .map_err(|e| Failure::other(format!("error: {e}")))?;
        toml.push_str(&tables);
    }
    write_out(&toml)?;
    for problem in &import.problems {
        // --quiet keeps what is an error: an entry (or block) not read.
        if !quiet || problem.is_error() {
            eprintln!("warning: {problem}");
        }
    }
    let skipped = import
        .problems
        .iter()
        .filter(|p| matches!(p, bibtex::Problem::Skipped { .. }))
        .count();
    if skipped > 0 {
        return Err(Failure::other(format!(
            "error: {skipped} of the entries could not be imported (see the warnings above)"
        )));
    }
    Ok(())
}

#[cfg(feature = "import")]
/// `import-site DIR [-o FILE]`: a whole profile.toml on stdout, or in FILE
/// with the site's photo copied beside it; what could not be placed on
/// stderr. Exit 1 when DIR is not a site, the output cannot be written, or
/// a part (a news file, a bibliography entry) could not be imported.
fn import_site(
    dir: &std::path::Path,
    output: Option<&std::path::Path>,
    force: bool,
    quiet: bool,
) -> Result<(), Failure> {
    use termfolio::site;
    let fail = |e: site::SiteError| Failure::other(e.to_string());
    // Refused before the site is read: nothing to do for a file kept.
    if let Some(out) = output
        && !force
    {
        site::refuse_to_overwrite(out).map_err(fail)?;
    }
    let imported = site::import(dir, output).map_err(fail)?;
    match output {
        Some(out) => site::write(&imported, out, force).map_err(fail)?,
        None => write_out(&imported.toml)?,
    }
    for note in &imported.notes {
        if !quiet || note.level == site::Level::Error {
            eprintln!("{note}");
        }
    }
    let errors = imported.errors();
    if errors > 0 {
        return Err(Failure::other(format!(
            "error: {} of the site could not be imported (see above)",
            frontend::count(errors, "part", "parts")
        )));
    }
    Ok(())
}

/// `init PATH`: the starter profile written (never over anything), and
/// what to do next, on stderr.
fn init(path: &std::path::Path) -> Result<(), Failure> {
    termfolio::starter::write(path).map_err(|e| Failure::other(e.to_string()))?;
    eprintln!("{}", termfolio::starter::next_steps(path));
    Ok(())
}

/// Whether diagnostics on stderr are in colour: `--color`, then the
/// environment, for stderr.
fn stderr_color(choice: ColorChoice) -> bool {
    frontend::color(
        choice,
        ColorEnv::of_process(std::io::stderr().is_terminal()),
    )
}

fn run(cli: Cli) -> Result<(), Failure> {
    // These read no profile: they write one, or describe the program.
    match &cli.command {
        Some(Command::Init { path }) => return init(path),
        Some(Command::Completions { shell }) => {
            return write_out(&termfolio::generate::completions(*shell));
        }
        Some(Command::Man) => return write_out(&termfolio::generate::man_page()),
        _ => {}
    }
    // Importing reads a bibliography or a site, not the profile.
    #[cfg(feature = "import")]
    if let Some(Command::ImportBib { file, quiet }) = &cli.command {
        return import_bib(file, *quiet);
    }
    #[cfg(feature = "import")]
    if let Some(Command::ImportSite {
        dir,
        output,
        force,
        quiet,
    }) = &cli.command
    {
        return import_site(dir, output.as_deref(), *force, *quiet);
    }
    // An empty TERMFOLIO_PROFILE counts as unset, like NO_COLOR.
    let explicit = cli.profile.clone().or_else(|| {
        std::env::var_os("TERMFOLIO_PROFILE")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    });
    // A lab's server reads its profiles from its directory, not this one.
    #[cfg(feature = "ssh")]
    if let Some(Command::Serve(args)) = &cli.command
        && args.profiles.is_some()
    {
        if cli.profile.is_some() {
            return Err(Failure::other(
                "error: serve takes --profile or --profiles DIR, not both".into(),
            ));
        }
        let bundled = profile::Source::Bundled;
        let profile = profile::load(&bundled).map_err(|e| Failure::other(e.to_string()))?;
        return serve(profile, &bundled, cli.hyperlinks, args);
    }
    let source = profile::resolve(explicit.as_deref());
    // check reads the text itself, to report every problem and not only
    // the first, which is where loading stops.
    if let Some(Command::Check { strict }) = cli.command {
        return check(&source, strict, stderr_color(cli.color));
    }
    let profile =
        profile::load(&source).map_err(|e| Failure::other(e.render(stderr_color(cli.color))))?;
    match cli.command {
        None => view(profile, &source, cli.color, cli.hyperlinks),
        Some(Command::Check { strict }) => check(&source, strict, stderr_color(cli.color)),
        Some(Command::Snapshot(args)) => snap(profile, &source, cli.color, cli.hyperlinks, &args),
        Some(Command::Banner(args)) => card(&profile, &source, cli.color, cli.hyperlinks, &args),
        Some(Command::ExportBib) => write_out(&bibtex::export(&profile.publications)),
        #[cfg(feature = "import")]
        Some(Command::ImportBib { file, quiet }) => import_bib(&file, quiet),
        #[cfg(feature = "import")]
        Some(Command::ImportSite {
            dir,
            output,
            force,
            quiet,
        }) => import_site(&dir, output.as_deref(), force, quiet),
        #[cfg(feature = "ssh")]
        Some(Command::Serve(args)) => serve(profile, &source, cli.hyperlinks, &args),
        Some(Command::Init { path }) => init(&path),
        Some(Command::Completions { shell }) => write_out(&termfolio::generate::completions(shell)),
        Some(Command::Man) => write_out(&termfolio::generate::man_page()),
    }
}

/// `check`: every problem of the profile's text in one run (see
/// `profile::check::examine`), and the photo's; each on stderr (in colour
/// when `color`), then a count. Errors fail it, and warnings do with
/// `--strict`.
fn check(source: &profile::Source, strict: bool, color: bool) -> Result<(), Failure> {
    let name = source.display_name();
    let text = match source {
        profile::Source::Bundled => profile::BUNDLED.to_string(),
        profile::Source::File(path) => {
            profile::read_file(path, "profile").map_err(|e| Failure::other(e.render(color)))?
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let examined = profile::check::examine(text, &name);
    let mut problems = examined.problems;
    if let Some(profile) = &examined.profile {
        problems.extend(photo_warning(profile, source, text));
        profile::check::in_file_order(&mut problems);
    }
    for p in &problems {
        // Under --strict a warning is an error, and says so.
        if strict && !p.is_error() {
            eprintln!("{}", p.clone().into_error().render(color));
        } else {
            eprintln!("{}", p.render(color));
        }
    }
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems.len() - errors;
    let warned = frontend::count(warnings, "warning", "warnings");
    if errors > 0 {
        let mut line = format!("{name}: {}", frontend::count(errors, "error", "errors"));
        if warnings > 0 {
            line.push_str(&format!(", {warned}"));
            if strict {
                line.push_str(", and --strict makes the warnings errors");
            }
        }
        return Err(Failure::other(profile::error_line(&line, color)));
    }
    if warnings > 0 && strict {
        return Err(Failure::other(profile::error_line(
            &format!("{name}: {warned}, and --strict makes them errors"),
            color,
        )));
    }
    let summary = examined
        .profile
        .as_ref()
        .map_or_else(String::new, |profile| {
            format!(
                " ({} news, {}, {})",
                profile.news.len(),
                frontend::count(profile.publications.len(), "publication", "publications"),
                frontend::count(profile.sections.len(), "extra section", "extra sections"),
            )
        });
    // Said plainly: no file was found, so the copy compiled in was checked.
    let built_in = if *source == profile::Source::Bundled {
        "(no profile.toml here or in $XDG_CONFIG_HOME/termfolio: this is the one \
         built into termfolio; --profile PATH checks a file)\n"
    } else {
        ""
    };
    if warnings == 0 {
        return write_out(&format!("{name}: ok{summary}\n{built_in}"));
    }
    write_out(&format!("{name}: ok{summary}, {warned}\n{built_in}"))
}

/// The warning about the profile's photo, if it names one that cannot be
/// shown: read and decoded whole here, as the viewer would.
fn photo_warning(
    profile: &Profile,
    source: &profile::Source,
    text: &str,
) -> Option<profile::check::Warning> {
    let photo = termfolio::photo::locate(profile, source)?;
    let problem = photo.and_then(|p| p.verify()).err()?;
    let written = profile.person.photo.as_deref().unwrap_or_default();
    Some(profile::check::warning_at(
        text,
        &source.display_name(),
        &format!("\"{written}\""),
        problem.to_string(),
        Some("the viewer shows no photo; use a JPEG or PNG file beside the profile".into()),
    ))
}

#[cfg(feature = "ssh")]
fn serve(
    profile: Profile,
    source: &profile::Source,
    hyperlinks: HyperlinkChoice,
    args: &termfolio::cli::ServeArgs,
) -> Result<(), Failure> {
    use std::time::Duration;
    let host_key = args
        .host_key
        .clone()
        .or_else(termfolio::serve::hostkey::default_path)
        .ok_or_else(|| {
            Failure::other(
                "error: no place for the host key: set --host-key, XDG_DATA_HOME or HOME".into(),
            )
        })?;
    let options = termfolio::serve::Options {
        listen: args.listen.clone(),
        host_key,
        limits: termfolio::serve::Limits {
            max_sessions: args.max_sessions as usize,
            max_per_ip: args.max_per_ip as usize,
            per_ip: termfolio::serve::Rate {
                per_second: args.rate_per_ip,
                burst: args.burst_per_ip,
            },
            per_64: termfolio::serve::Rate {
                per_second: args.rate_per_64,
                burst: args.burst_per_64,
            },
        },
        idle_timeout: Duration::from_secs(args.idle_timeout),
        max_session_time: Duration::from_secs(args.max_session_time),
        hyperlinks,
        source: source.clone(),
        trusted_proxies: args.trusted_proxy.clone(),
        profiles: args.profiles.clone(),
    };
    termfolio::serve::run(profile, options).map_err(|e| Failure::other(format!("error: {e}")))
}

fn card(
    profile: &Profile,
    source: &profile::Source,
    color: ColorChoice,
    hyperlinks: HyperlinkChoice,
    args: &BannerArgs,
) -> Result<(), Failure> {
    let color = frontend::color(color, ColorEnv::of_process(std::io::stdout().is_terminal()));
    let options = banner::Options {
        width: banner::pick_width(args.width.map(|w| usize::try_from(w).unwrap_or(usize::MAX))),
        news: args.news,
        color,
        unicode: banner::locale_is_utf8(),
        hint: banner::Hint::Local,
        // A login card shows link text; hyperlinks only when asked for.
        hyperlinks: hyperlinks == HyperlinkChoice::Always,
    };
    if args.ascii {
        // Written in advance for any terminal: no portrait (half blocks).
        return write_out(&banner::render_ascii(profile, &options));
    }
    // The photo is read (and decoded) only when asked for.
    let photo = args.photo.then(|| photo_of(profile, source)).flatten();
    write_out(&banner::render_with_photo(
        profile,
        &options,
        photo.as_deref(),
    ))
}

/// The profile's photo, when it has one that can be shown (what is wrong
/// with it is for `check` to say; the viewer just shows none).
fn photo_of(profile: &Profile, source: &profile::Source) -> Option<Arc<termfolio::photo::Photo>> {
    termfolio::photo::locate(profile, source)?
        .ok()
        .map(Arc::new)
}

fn view(
    profile: Profile,
    source: &profile::Source,
    color: ColorChoice,
    hyperlinks: HyperlinkChoice,
) -> Result<(), Failure> {
    let stdout_tty = std::io::stdout().is_terminal();
    if !stdout_tty {
        let written = frontend::stream_stdout(|out| plain::write(&profile, plain::WIDTH, out));
        // The process ends next: freeing 100,000 publications one string
        // at a time would cost more than writing them (the OS takes it all).
        std::mem::forget(profile);
        return written.map_err(|e| Failure::other(format!("error: {e}")));
    }
    let color = frontend::color(color, ColorEnv::of_process(true));
    let photo = photo_of(&profile, source);
    tui::run(
        Arc::new(profile),
        color,
        frontend::hyperlinks(hyperlinks, &TerminalEnv::of_process(true)),
        photo,
        frontend::photo_look(color),
        match source {
            profile::Source::File(path) => Some(path.clone()),
            profile::Source::Bundled => None,
        },
    )
    .map_err(|e| Failure::other(format!("error: terminal: {e}")))
}

fn snap(
    profile: Profile,
    source: &profile::Source,
    color: ColorChoice,
    hyperlinks: HyperlinkChoice,
    args: &SnapshotArgs,
) -> Result<(), Failure> {
    let profile = Arc::new(profile);
    let tab = match &args.tab {
        None => None,
        Some(name) => Some(app::find_tab(&profile, name).ok_or_else(|| {
            let names: Vec<String> = app::tabs_of(&profile)
                .into_iter()
                .map(|t| app::tab_title(&profile, t).to_lowercase())
                .collect();
            Failure::usage(format!(
                "error: no tab `{}`; the tabs are {} (or their numbers)",
                profile::sanitize::line(name),
                names.join(", ")
            ))
        })?),
    };
    // `--ansi` asks for a terminal's bytes, wherever they go.
    let color = args.ansi && frontend::color(color, ColorEnv::of_process(true));
    // The photo: drawn under --ansi (half blocks), its room left blank in
    // plain text, which never decodes it.
    let look = if color {
        app::PhotoLook::Drawn { truecolor: true }
    } else {
        app::PhotoLook::Blank
    };
    let photo = photo_of(&profile, source).map(|p| (p, look));
    let (buf, links) = snapshot::render_screen(profile, color, photo, args.size, tab, &args.keys)
        .map_err(|e| {
        Failure::usage(format!("error: --keys: {}", profile::sanitize::line(&e)))
    })?;
    let text = if args.ansi {
        // A snapshot is a file: hyperlinks only when asked for.
        let links = (hyperlinks == HyperlinkChoice::Always).then_some(&links);
        snapshot::to_ansi_with_links(&buf, links)
    } else {
        snapshot::to_text(&buf)
    };
    write_out(&text)
}
