//! The profile: parse, validate, sanitize. Knows nothing of screens.

pub mod check;
pub(crate) mod fields;
pub(crate) mod links;
mod load;
pub mod markup;
pub mod sanitize;
mod schema;
mod shape;

pub use load::{
    BUNDLED, MAX_BYTES, ProfileError, Source, Stamp, bundled_photo, error_line, load, load_checked,
    one_line, parse, read_file, resolve, stamp, xdg_dir,
};
pub use schema::{
    Bio, Date, Display, Experience, Headings, Links, NewsItem, Order, Person, Profile, Publication,
    Research, Section,
};

pub use sanitize::{sanitize_profile, sanitize_publication};
