//! A serde `Serializer` that writes a value as the Rust expression that
//! builds it: the build script turns the bundled profile into code, so that
//! the binary does not parse TOML at every start.
//!
//! Strings become `String::from("…")`, options `Some(…)`/`None`, sequences
//! `vec![…]`, newtypes `Name(…)`, structs `Name { field: …, .. }` (with `..Default::default()`
//! when serde skipped a field). Serde names that are Rust keywords are mapped
//! back to the field names (`type` → `entry_type`, `abstract` → `abstract_`);
//! a field renamed otherwise fails to compile, loudly.

use std::fmt::{self, Write as _};

use serde::ser::{self, Serialize};

#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// `value` as a Rust expression.
pub fn to_rust<T: Serialize>(value: &T) -> Result<String, Error> {
    let mut out = Rust(String::new());
    value.serialize(&mut out)?;
    Ok(out.0)
}

struct Rust(String);

fn unsupported(what: &str) -> Error {
    Error(format!(
        "the bundled profile holds a {what}, which the code writer does not know"
    ))
}

/// The Rust field for a serde name.
fn field_name(key: &str) -> &str {
    match key {
        "type" => "entry_type",
        "abstract" => "abstract_",
        other => other,
    }
}

macro_rules! number {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), Error> {
            write!(self.0, "{v}").map_err(|e| Error(e.to_string()))
        })*
    };
}

impl<'a> ser::Serializer for &'a mut Rust {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    number!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
            serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(unsupported("float"))
    }
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(unsupported("float"))
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write!(self.0, "{v:?}").map_err(|e| Error(e.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        // Debug escapes exactly what a Rust string literal needs.
        write!(self.0, "String::from({v:?})").map_err(|e| Error(e.to_string()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(unsupported("byte string"))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.0.push_str("None");
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        self.0.push_str("Some(");
        value.serialize(&mut *self)?;
        self.0.push(')');
        Ok(())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.0.push_str("()");
        Ok(())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Error> {
        self.0.push_str(name);
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        Err(unsupported("enum"))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        write!(self.0, "{name}(").map_err(|e| Error(e.to_string()))?;
        value.serialize(&mut *self)?;
        self.0.push(')');
        Ok(())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(unsupported("enum"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Error> {
        self.0.push_str("vec![");
        Ok(Seq(self))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(unsupported("tuple"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(unsupported("tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(unsupported("enum"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        self.0.push('[');
        Ok(Map(self))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'a>, Error> {
        write!(self.0, "{name} {{ ").map_err(|e| Error(e.to_string()))?;
        Ok(Struct {
            out: self,
            skipped: false,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(unsupported("enum"))
    }
}

pub struct Seq<'a>(&'a mut Rust);

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.0)?;
        self.0.0.push_str(", ");
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        self.0.0.push(']');
        Ok(())
    }
}

/// A map as `[(key, value), ...].into_iter().collect()`, which builds any
/// map type and a `Vec` of pairs alike.
pub struct Map<'a>(&'a mut Rust);

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.0.0.push('(');
        key.serialize(&mut *self.0)?;
        self.0.0.push_str(", ");
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.0)?;
        self.0.0.push_str("), ");
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        self.0.0.push_str("].into_iter().collect()");
        Ok(())
    }
}

pub struct Struct<'a> {
    out: &'a mut Rust,
    skipped: bool,
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        write!(self.out.0, "{}: ", field_name(key)).map_err(|e| Error(e.to_string()))?;
        value.serialize(&mut *self.out)?;
        self.out.0.push_str(", ");
        Ok(())
    }
    fn skip_field(&mut self, _: &'static str) -> Result<(), Error> {
        self.skipped = true;
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        if self.skipped {
            self.out.0.push_str("..Default::default() ");
        }
        self.out.0.push('}');
        Ok(())
    }
}
