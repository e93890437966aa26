//! Serde for the domain's unit enums by their wire names (`as_str`, `ALL`). serde's derive
//! compiles a visitor per enum for each format it is read from, with every name twice (as text
//! and as bytes) — about 30 kB of the WebAssembly app for ten enums; this is one small generic
//! visitor. The wire form is the same: the name as a JSON string (the tests below hold `as_str`
//! to serde's `rename_all = "snake_case"` of each variant). The OpenAPI schemas still come from
//! the `serde(rename_all)` attribute, kept for utoipa under the `openapi` feature.

use serde::de::{self, Unexpected, Visitor};
use std::fmt;

/// Implements `Serialize` and `Deserialize` for a unit enum through its `as_str` and a list of
/// every variant (`wire_names!(Role, &Role::ALL)`).
macro_rules! wire_names {
    ($t:ty, $all:expr) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str($crate::wire_name::ByName { all: $all, name: <$t>::as_str })
            }
        }
    };
}
pub(crate) use wire_names;

/// Reads one of an enum's wire names.
pub(crate) struct ByName<T: 'static> {
    pub all: &'static [T],
    pub name: fn(T) -> &'static str,
}

impl<'de, T: Copy> Visitor<'de> for ByName<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("one of")?;
        for (i, v) in self.all.iter().enumerate() {
            f.write_str(if i == 0 { " `" } else { ", `" })?;
            f.write_str((self.name)(*v))?;
            f.write_str("`")?;
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
        match self.all.iter().copied().find(|v| (self.name)(*v) == s) {
            Some(v) => Ok(v),
            None => Err(E::invalid_value(Unexpected::Str(s), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checklist::HazardCategory;
    use crate::hazard::HazardStatus;
    use crate::premise::PremiseType;
    use crate::road::issue::FindingCategory;
    use crate::road::register::{ResponsibleUnit, RoadLevel};
    use crate::sync::RecordKind;
    use crate::{ErrorCode, OrgLevel, Role};
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use std::fmt::Debug;

    /// What `#[serde(rename_all = "snake_case")]` makes of a variant's name.
    fn snake(variant: &str) -> String {
        let mut out = String::new();
        for (i, c) in variant.chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        }
        out
    }

    fn check<T: Copy + Debug + PartialEq + Serialize + DeserializeOwned>(all: &[T], name: fn(T) -> &'static str) {
        for &v in all {
            let wire = serde_json::to_string(&v).unwrap();
            assert_eq!(wire, format!("\"{}\"", snake(&format!("{v:?}"))), "the name serde's derive wrote");
            assert_eq!(wire, format!("\"{}\"", name(v)));
            assert_eq!(serde_json::from_str::<T>(&wire).unwrap(), v);
            assert_eq!(serde_json::from_value::<T>(serde_json::Value::String(name(v).into())).unwrap(), v);
        }
        let err = serde_json::from_str::<T>("\"no_such_name\"").unwrap_err().to_string();
        assert!(err.contains("no_such_name") && err.contains(name(all[0])), "{err}");
        assert!(serde_json::from_str::<T>("3").is_err());
    }

    #[test]
    fn every_name_round_trips_as_serde_derived_it_and_others_are_refused() {
        check(&HazardCategory::ALL, HazardCategory::as_str);
        check(&Role::ALL, Role::as_str);
        check(&HazardStatus::ALL, HazardStatus::as_str);
        check(&OrgLevel::ALL, OrgLevel::as_str);
        check(&RecordKind::ALL, RecordKind::as_str);
        check(&FindingCategory::ALL, FindingCategory::as_str);
        check(&RoadLevel::ALL, RoadLevel::as_str);
        check(&ResponsibleUnit::ALL, ResponsibleUnit::as_str);
        check(&PremiseType::ALL, PremiseType::as_str);
        check(ErrorCode::ALL, ErrorCode::as_str);
    }

    #[test]
    fn names_read_inside_tagged_and_flattened_shapes() {
        // serde's internally tagged and flattened forms read through its buffered Content.
        #[derive(serde::Deserialize, Debug, PartialEq)]
        #[serde(tag = "t")]
        enum Tagged {
            A { role: Role },
        }
        assert_eq!(
            serde_json::from_str::<Tagged>(r#"{"role":"grid_worker","t":"A"}"#).unwrap(),
            Tagged::A { role: Role::GridWorker }
        );
    }
}
