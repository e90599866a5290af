//! The shape of a profile as schema.rs declares it: which keys each table
//! takes, what kind of value each holds, and which are required. Learned
//! once, by running the structs' own `Deserialize` (serde's derive) against
//! a deserializer that only watches what it is asked for, so that the names
//! stay written once, in schema.rs. `check` walks a document against it to
//! report every schema problem in one run, where serde stops at the first.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::Profile;

/// What a value must be.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    String,
    Bool,
    Integer {
        min: i64,
        max: i64,
    },
    Float,
    /// An array whose elements are all of one kind.
    List(Box<Expected>),
    /// A table with known keys (a struct).
    Table(Table),
    /// A table of any keys, each value of one kind (`[person.links]`).
    Map(Box<Expected>),
    /// A string naming one of these (an enum).
    Choice(&'static [&'static str]),
    /// Anything: only the type itself can say (a date).
    Any,
}

/// What serde says a value of this kind is expected to be: "a string", "u16".
#[derive(Debug, Clone)]
pub(crate) struct Expected {
    pub kind: Kind,
    pub expecting: String,
}

/// A table's keys, in the order the struct declares them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    pub name: &'static str,
    pub keys: Vec<Key>,
    index: HashMap<&'static str, usize>,
}

/// One key of a table.
#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub name: &'static str,
    pub value: Expected,
    pub required: bool,
}

impl Table {
    /// The key called `name`, if the table takes it.
    pub(crate) fn key(&self, name: &str) -> Option<&Key> {
        self.index.get(name).map(|&i| &self.keys[i])
    }

    /// The names of its keys, as serde lists them.
    pub(crate) fn names(&self) -> Vec<&'static str> {
        self.keys.iter().map(|k| k.name).collect()
    }
}

/// The whole profile's shape, learned at the first call.
pub(crate) fn profile() -> &'static Expected {
    static SHAPE: OnceLock<Expected> = OnceLock::new();
    SHAPE.get_or_init(|| {
        let mut shape = probe(None).unwrap_or_else(|_| anything());
        let mut required = Vec::new();
        collect_keys(&shape.kind, &mut |table, key| {
            // Left out, does serde miss it? Then it is required.
            if let Err(Probe::Missing(name)) = probe(Some((table, key))) {
                required.push((table, name));
            }
        });
        mark_required(&mut shape.kind, &required);
        shape
    })
}

/// Calls `f(table, key)` for every key of every table in `kind`.
fn collect_keys(kind: &Kind, f: &mut dyn FnMut(&'static str, &'static str)) {
    match kind {
        Kind::Table(t) => {
            for k in &t.keys {
                f(t.name, k.name);
                collect_keys(&k.value.kind, f);
            }
        }
        Kind::List(k) | Kind::Map(k) => collect_keys(&k.kind, f),
        _ => {}
    }
}

fn mark_required(kind: &mut Kind, required: &[(&'static str, &'static str)]) {
    match kind {
        Kind::Table(t) => {
            for k in &mut t.keys {
                k.required = required.contains(&(t.name, k.name));
                mark_required(&mut k.value.kind, required);
            }
        }
        Kind::List(k) | Kind::Map(k) => mark_required(&mut k.kind, required),
        _ => {}
    }
}

/// Runs `Profile`'s `Deserialize` against the watcher, leaving out the key
/// `omit` (table, key) if given.
fn probe(omit: Option<(&'static str, &'static str)>) -> Result<Expected, Probe> {
    let mut out = None;
    Profile::deserialize(Watcher {
        out: &mut out,
        omit,
    })?;
    out.ok_or(Probe::Other)
}

/// Why a probe stopped: a required key was left out, or anything else.
#[derive(Debug)]
enum Probe {
    Missing(&'static str),
    Other,
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Probe {}

impl de::Error for Probe {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Probe::Other
    }
    fn missing_field(field: &'static str) -> Self {
        Probe::Missing(field)
    }
}

/// A deserializer that records what it is asked for and answers with the
/// plainest value of that kind.
struct Watcher<'a> {
    out: &'a mut Option<Expected>,
    omit: Option<(&'static str, &'static str)>,
}

impl Watcher<'_> {
    fn record(&mut self, kind: Kind, visitor: &dyn de::Expected) {
        *self.out = Some(Expected {
            kind,
            expecting: visitor.to_string(),
        });
    }
}

impl<'de> de::Deserializer<'de> for Watcher<'_> {
    type Error = Probe;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Probe> {
        self.record(Kind::Any, &visitor);
        // A date, the one kind here that asks for anything, reads this.
        visitor.visit_borrowed_str("2000-01-01")
    }

    fn deserialize_bool<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Probe> {
        self.record(Kind::Bool, &visitor);
        visitor.visit_bool(false)
    }

    fn deserialize_u8<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Probe> {
        self.record(integer(u8::MIN, u8::MAX), &visitor);
        visitor.visit_u8(0)
    }

    fn deserialize_u16<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Probe> {
        self.record(integer(u16::MIN, u16::MAX), &visitor);
        visitor.visit_u16(0)
    }

    fn deserialize_u32<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Probe> {
        self.record(integer(u32::MIN, u32::MAX), &visitor);
        visitor.visit_u32(0)
    }

    fn deserialize_i64<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Probe> {
        self.record(integer(i64::MIN, i64::MAX), &visitor);
        visitor.visit_i64(0)
    }

    fn deserialize_f64<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Probe> {
        self.record(Kind::Float, &visitor);
        visitor.visit_f64(0.0)
    }

    fn deserialize_str<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Probe> {
        self.record(Kind::String, &visitor);
        visitor.visit_borrowed_str("")
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Probe> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Probe> {
        // TOML has no null: an optional key is one that may be left out.
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Probe> {
        let expecting = (&visitor as &dyn de::Expected).to_string();
        let mut element = None;
        let value = visitor.visit_seq(OneElement {
            out: Some(&mut element),
            omit: self.omit,
        })?;
        let element = element.unwrap_or_else(anything);
        self.record_kind(Kind::List(Box::new(element)), expecting);
        Ok(value)
    }

    fn deserialize_map<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Probe> {
        let expecting = (&visitor as &dyn de::Expected).to_string();
        let mut entry = None;
        let value = visitor.visit_map(OneEntry {
            out: Some(&mut entry),
            omit: self.omit,
        })?;
        let entry = entry.unwrap_or_else(anything);
        self.record_kind(Kind::Map(Box::new(entry)), expecting);
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        mut self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Probe> {
        let expecting = (&visitor as &dyn de::Expected).to_string();
        let mut found: Vec<Option<Expected>> = vec![None; fields.len()];
        let value = visitor.visit_map(EveryField {
            name,
            fields,
            next: 0,
            found: &mut found,
            omit: self.omit,
        })?;
        let mut table = Table {
            name,
            ..Table::default()
        };
        for (field, value) in fields.iter().zip(found) {
            table.index.insert(field, table.keys.len());
            table.keys.push(Key {
                name: field,
                value: value.unwrap_or_else(anything),
                required: false,
            });
        }
        self.record_kind(Kind::Table(table), expecting);
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Probe> {
        self.record(Kind::Choice(variants), &visitor);
        visitor.visit_enum(
            variants
                .first()
                .copied()
                .unwrap_or_default()
                .into_deserializer(),
        )
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u64 u128 f32 char bytes byte_buf unit unit_struct
        newtype_struct tuple tuple_struct identifier ignored_any
    }
}

impl Watcher<'_> {
    fn record_kind(&mut self, kind: Kind, expecting: String) {
        *self.out = Some(Expected { kind, expecting });
    }
}

/// What a probe that learnt nothing says: anything goes (serde decides).
fn anything() -> Expected {
    Expected {
        kind: Kind::Any,
        expecting: String::new(),
    }
}

fn integer<T: Into<i64>>(min: T, max: T) -> Kind {
    Kind::Integer {
        min: min.into(),
        max: max.into(),
    }
}

/// A sequence of one element, watched.
struct OneElement<'a> {
    out: Option<&'a mut Option<Expected>>,
    omit: Option<(&'static str, &'static str)>,
}

impl<'de> de::SeqAccess<'de> for OneElement<'_> {
    type Error = Probe;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Probe> {
        match self.out.take() {
            Some(out) => seed
                .deserialize(Watcher {
                    out,
                    omit: self.omit,
                })
                .map(Some),
            None => Ok(None),
        }
    }
}

/// A map of one entry (key `key`), its value watched.
struct OneEntry<'a> {
    out: Option<&'a mut Option<Expected>>,
    omit: Option<(&'static str, &'static str)>,
}

impl<'de> de::MapAccess<'de> for OneEntry<'_> {
    type Error = Probe;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Probe> {
        if self.out.is_none() {
            return Ok(None);
        }
        seed.deserialize("key".into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Probe> {
        let mut none = None;
        let out = self.out.take().unwrap_or(&mut none);
        seed.deserialize(Watcher {
            out,
            omit: self.omit,
        })
    }
}

/// A struct's every field in turn (but the one left out), each watched.
struct EveryField<'a> {
    name: &'static str,
    fields: &'static [&'static str],
    next: usize,
    found: &'a mut [Option<Expected>],
    omit: Option<(&'static str, &'static str)>,
}

impl<'de> de::MapAccess<'de> for EveryField<'_> {
    type Error = Probe;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Probe> {
        while let Some(&field) = self.fields.get(self.next) {
            if self.omit == Some((self.name, field)) {
                self.next += 1;
                continue;
            }
            return seed.deserialize(field.into_deserializer()).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Probe> {
        let i = self.next;
        self.next += 1;
        let mut none = None;
        let out = self.found.get_mut(i).unwrap_or(&mut none);
        seed.deserialize(Watcher {
            out,
            omit: self.omit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(kind: &Kind) -> &Table {
        match kind {
            Kind::Table(t) => t,
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn the_profile_shape_is_what_schema_rs_declares() {
        let root = table(&profile().kind);
        assert!(root.key("person").is_some_and(|k| k.required));
        assert!(root.key("news").is_some_and(|k| !k.required));
        let Some(Kind::List(publication)) = root.key("publications").map(|k| &k.value.kind) else {
            panic!("publications is not a list");
        };
        let publication = table(&publication.kind);
        for required in ["title", "authors", "year"] {
            assert!(publication.key(required).unwrap().required, "{required}");
        }
        assert!(!publication.key("award").unwrap().required);
        assert!(matches!(
            publication.key("year").unwrap().value.kind,
            Kind::Integer { min: 0, max: 65535 }
        ));
        let person = table(&root.key("person").unwrap().value.kind);
        assert!(matches!(
            person.key("links").unwrap().value.kind,
            Kind::Map(_)
        ));
        assert_eq!(person.key("name").unwrap().value.expecting, "a string");
        let Some(Kind::Table(display)) = root.key("display").map(|k| &k.value.kind) else {
            panic!("display is not a table");
        };
        assert!(matches!(
            display.key("publications").unwrap().value.kind,
            Kind::Choice(["file", "newest"])
        ));
    }
}
