//! The profile: parse, validate, sanitize. Knows nothing of screens.

pub(crate) mod fields;
pub(crate) mod links;
mod load;
pub mod sanitize;
mod schema;

pub use load::{
    BUNDLED, MAX_BYTES, ProfileError, Source, load, parse, read_file, resolve, xdg_dir,
};
pub use schema::{
    Bio, Date, Experience, Headings, NewsItem, Person, Profile, Publication, Research, Section,
};

/// Makes every string of `profile` inert (see [`sanitize`]); runs once, at load.
pub(crate) fn sanitize_profile(profile: &mut Profile) {
    use sanitize::{line_in_place as line, text_in_place as text};
    let lines = |v: &mut Vec<String>| v.iter_mut().for_each(line);
    let opt = |o: &mut Option<String>| {
        if let Some(s) = o {
            line(s)
        }
    };

    let p = &mut profile.person;
    line(&mut p.name);
    lines(&mut p.aliases);
    lines(&mut p.supervisors);
    for o in [
        &mut p.pronunciation,
        &mut p.motto,
        &mut p.photo_caption,
        &mut p.position,
        &mut p.department,
        &mut p.institution,
        &mut p.contact,
        &mut p.email,
        &mut p.website,
    ] {
        opt(o);
    }
    for e in &mut profile.experience {
        line(&mut e.role);
        line(&mut e.organization);
        opt(&mut e.topic);
        opt(&mut e.when);
        lines(&mut e.mentors);
    }
    opt(&mut profile.bio.heading);
    text(&mut profile.bio.text);
    let r = &mut profile.research;
    opt(&mut r.heading);
    opt(&mut r.quote);
    text(&mut r.text);
    opt(&mut r.focus_heading);
    lines(&mut r.focus);
    opt(&mut profile.headings.news);
    opt(&mut profile.headings.publications);
    for n in &mut profile.news {
        line(&mut n.text);
    }
    profile
        .publications
        .iter_mut()
        .for_each(sanitize_publication);
    for s in &mut profile.sections {
        line(&mut s.title);
        opt(&mut s.heading);
        text(&mut s.text);
        lines(&mut s.items);
    }
}

/// Makes every string of one publication inert (see [`sanitize`]).
pub(crate) fn sanitize_publication(pb: &mut Publication) {
    use sanitize::{line_in_place as line, text_in_place as text};
    line(&mut pb.title);
    pb.authors.iter_mut().for_each(line);
    for s in [&mut pb.key, &mut pb.entry_type].into_iter().flatten() {
        line(s);
    }
    for f in fields::FIELDS {
        if let Some(s) = (f.get_mut)(pb) {
            if f.multiline { text(s) } else { line(s) }
        }
    }
}
