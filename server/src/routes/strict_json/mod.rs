//! Request JSON read strictly, by one deserializer for every body: a struct is a JSON object only
//! (serde's sequence form, `[null]` for `{"worker_id": null}`, is refused), every string — values
//! and keys — holds only what `xunjian_shared::text` allows, and an integer may be written as an
//! integral number (`0.0`, `1e3`), as JSON Schema counts them. Errors carry the path of the value
//! (`ops[2].body.payload.description`), so a client is told which field to fix.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use std::fmt;
use xunjian_shared::text;

/// Why a value was refused.
#[derive(Debug, PartialEq)]
pub enum Kind {
    /// Wrong shape or type (400 `invalid_json`).
    Shape,
    /// A string holds a character no text may hold (422 `validation_failed`).
    Text,
}

/// A refusal with the path of the value it concerns.
#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    pub path: Option<String>,
    pub message: String,
}

impl Error {
    fn at(mut self, path: &Path<'_>) -> Self {
        if self.path.is_none() {
            self.path = Some(path.to_string());
        }
        self
    }
}

impl Error {
    /// The error of a value read on its own, placed under `prefix` of the whole document.
    pub fn within(mut self, prefix: &str) -> Self {
        self.path = Some(match self.path.as_deref() {
            None | Some("") => prefix.to_owned(),
            Some(p) if p.starts_with('[') => format!("{prefix}{p}"),
            Some(p) => format!("{prefix}.{p}"),
        });
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path.as_deref() {
            Some("") | None => write!(f, "{}", self.message),
            Some(p) => write!(f, "{p}: {}", self.message),
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error { kind: Kind::Shape, path: None, message: msg.to_string() }
    }
}

/// Where a value sits in the document, as a chain of borrowed frames (nothing is allocated
/// unless an error is reported).
#[derive(Clone, Copy)]
pub enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, k) => write!(f, "{k}"),
            Path::Key(p, k) => write!(f, "{p}.{k}"),
            Path::Index(p, i) => write!(f, "{p}[{i}]"),
        }
    }
}

/// Deserializes `T` from a parsed document by the rules above.
pub fn from_value<'de, T: Deserialize<'de>>(value: &'de Value) -> Result<T, Error> {
    T::deserialize(Strict { value, path: &Path::Root })
}

/// The document with every string (value or key) the text rule refuses written escaped
/// (`xunjian_shared::text::escaped`), so that it reads by the strict rules.
pub fn escaped_text(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(text::escaped(s).into_owned()),
        Value::Array(items) => Value::Array(items.iter().map(escaped_text).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (text::escaped(k).into_owned(), escaped_text(v))).collect())
        }
        other => other.clone(),
    }
}

/// The first string (value or key) of a document that breaks the text rule, with its path.
pub fn bad_text(value: &Value) -> Option<Error> {
    fn walk(v: &Value, path: &Path<'_>) -> Result<(), Error> {
        match v {
            Value::String(s) => text_ok(s, path),
            Value::Array(items) => items.iter().enumerate().try_for_each(|(i, v)| walk(v, &Path::Index(path, i))),
            Value::Object(map) => map.iter().try_for_each(|(k, v)| {
                let here = Path::Key(path, k);
                text_ok(k, &here)?;
                walk(v, &here)
            }),
            _ => Ok(()),
        }
    }
    walk(value, &Path::Root).err()
}

fn text_ok(s: &str, path: &Path<'_>) -> Result<(), Error> {
    text::check(s).map_err(|message| Error { kind: Kind::Text, path: Some(path.to_string()), message })
}

/// One value of the document and where it is.
struct Strict<'de, 'p> {
    value: &'de Value,
    path: &'p Path<'p>,
}

impl<'de> Strict<'de, '_> {
    fn integer<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if let Value::Number(n) = self.value {
            if let Some(f) = integral_float(n) {
                if f.abs() >= EXACT_FLOAT_LIMIT {
                    let message = "integer out of range, or too large to be read exactly from a number with a \
                                   fraction or exponent (write it as digits only)";
                    return Err(<Error as de::Error>::custom(message).at(self.path));
                }
                return if f < 0.0 { visitor.visit_i64(f as i64) } else { visitor.visit_u64(f as u64) };
            }
        }
        self.any(visitor)
    }

    fn any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let path = self.path;
        let r = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (_, Some(i), _) => visitor.visit_i64(i),
                (_, _, Some(f)) => visitor.visit_f64(f),
                _ => Err(de::Error::custom("number out of range")),
            },
            Value::String(s) => {
                text_ok(s, path)?;
                visitor.visit_borrowed_str(s)
            }
            Value::Array(items) => visitor.visit_seq(Seq { items: items.iter(), index: 0, path }),
            Value::Object(map) => visitor.visit_map(Obj::new(map, path)),
        };
        r.map_err(|e| e.at(path))
    }
}

/// Below 2^53 a float that is an integer stands for that integer alone; from 2^53 on it stands for
/// several (`9007199254740993.0` reads as 2^53). A JSON number that serde_json read as a float —
/// written with a fraction or exponent, or digits beyond the 64-bit integers
/// (`-9223372036854775809` reads as -2^63) — is an integer only below this bound in magnitude;
/// from it on, it is refused rather than read as a neighbour.
const EXACT_FLOAT_LIMIT: f64 = 9_007_199_254_740_992.0;

/// An integral number that serde_json read as a float (`2.0`, `1e3`, `1e300`).
fn integral_float(n: &Number) -> Option<f64> {
    let f = n.as_f64().filter(|_| n.is_f64())?;
    (f.fract() == 0.0).then_some(f)
}

macro_rules! integers {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> { self.integer(visitor) }
    )*};
}

impl<'de> de::Deserializer<'de> for Strict<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.any(visitor)
    }

    integers!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128);

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(map) => visitor.visit_map(Obj::new(map, self.path)).map_err(|e| e.at(self.path)),
            other => Err(Error {
                kind: Kind::Shape,
                path: Some(self.path.to_string()),
                message: format!("expected a JSON object, found {}", type_name(other)),
            }),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let path = self.path;
        let r = match self.value {
            Value::String(s) => {
                text_ok(s, path)?;
                visitor.visit_enum(Variant { name: s, value: None, path })
            }
            Value::Object(map) if map.len() == 1 => {
                let (name, value) = map.iter().next().expect("one entry");
                text_ok(name, path)?;
                visitor.visit_enum(Variant { name, value: Some(value), path })
            }
            other => Err(de::Error::custom(format!("expected a variant name, found {}", type_name(other)))),
        };
        r.map_err(|e| e.at(path))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool f32 f64 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

/// How a value is named in a refusal (`an array`).
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

struct Seq<'de, 'p> {
    items: std::slice::Iter<'de, Value>,
    index: usize,
    path: &'p Path<'p>,
}

impl<'de> de::SeqAccess<'de> for Seq<'de, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.items.next() else { return Ok(None) };
        let path = Path::Index(self.path, self.index);
        self.index += 1;
        seed.deserialize(Strict { value, path: &path }).map(Some).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Obj<'de, 'p> {
    entries: serde_json::map::Iter<'de>,
    current: Option<(&'de str, &'de Value)>,
    path: &'p Path<'p>,
}

impl<'de, 'p> Obj<'de, 'p> {
    fn new(map: &'de Map<String, Value>, path: &'p Path<'p>) -> Self {
        Obj { entries: map.iter(), current: None, path }
    }
}

impl<'de> de::MapAccess<'de> for Obj<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((k, v)) = self.entries.next() else { return Ok(None) };
        let path = Path::Key(self.path, k);
        text_ok(k, &path)?;
        self.current = Some((k, v));
        seed.deserialize(BorrowedStrDeserializer::new(k)).map(Some).map_err(|e: Error| e.at(&path))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let (k, value) = self.current.take().ok_or_else(|| de::Error::custom("value before key"))?;
        let path = Path::Key(self.path, k);
        seed.deserialize(Strict { value, path: &path }).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Variant<'de, 'p> {
    name: &'de str,
    value: Option<&'de Value>,
    path: &'p Path<'p>,
}

impl<'de, 'p> de::EnumAccess<'de> for Variant<'de, 'p> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let name = BorrowedStrDeserializer::<Error>::new(self.name);
        Ok((seed.deserialize(name)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'de, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(de::Error::custom(format!("expected no content, found {}", type_name(other)))),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let path = Path::Key(self.path, self.name);
        match self.value {
            Some(value) => seed.deserialize(Strict { value, path: &path }),
            None => Err(de::Error::custom("expected content")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        let path = Path::Key(self.path, self.name);
        match self.value {
            Some(value) => de::Deserializer::deserialize_seq(Strict { value, path: &path }, visitor),
            None => Err(de::Error::custom("expected content")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        let path = Path::Key(self.path, self.name);
        match self.value {
            Some(value) => de::Deserializer::deserialize_struct(Strict { value, path: &path }, "", fields, visitor),
            None => Err(de::Error::custom("expected content")),
        }
    }
}

#[cfg(test)]
mod tests;
