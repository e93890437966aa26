//! The strict reader's unit tests.
use super::*;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Inner {
    name: String,
    note: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
enum Op {
    Make(Inner),
    Edit { id: u32, inner: Inner },
    Drop,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Outer {
    version: i64,
    items: Vec<Inner>,
    ops: Vec<Op>,
    #[serde(default)]
    free: Option<serde_json::Value>,
}

fn read<T: for<'de> Deserialize<'de>>(v: serde_json::Value) -> Result<T, Error> {
    from_value(&v)
}

#[test]
fn reads_what_serde_json_reads() {
    let v = json!({"version": 3, "items": [{"name": "a", "note": null}],
        "ops": [{"kind": "make", "payload": {"name": "b"}}, {"kind": "edit", "payload": {"id": 1, "inner": {"name": "c"}}}, {"kind": "drop"}],
        "free": {"x": [1, "y"]}});
    let strict: Outer = read(v.clone()).unwrap();
    let plain: Outer = serde_json::from_value(v).unwrap();
    assert_eq!(strict, plain);
}

#[test]
fn structs_are_objects_only_at_every_depth() {
    let e = read::<Inner>(json!(["a", null])).unwrap_err();
    assert_eq!((e.kind, e.path.as_deref()), (Kind::Shape, Some("")));
    let e = read::<Outer>(json!({"version": 1, "items": [["a", null]], "ops": []})).unwrap_err();
    assert_eq!(e.to_string(), "items[0]: expected a JSON object, found an array");
    let e = read::<Outer>(json!({"version": 1, "items": [], "ops": [{"kind": "edit", "payload": [1, ["x", null]]}]}))
        .unwrap_err();
    assert_eq!(e.path.as_deref(), Some("ops[0].payload"), "{e}");
}

#[test]
fn control_characters_are_refused_with_their_path() {
    let e =
        read::<Outer>(json!({"version": 1, "items": [{"name": "ok"}, {"name": "a\u{0}b"}], "ops": []})).unwrap_err();
    assert_eq!(e.kind, Kind::Text);
    assert_eq!(e.to_string(), "items[1].name: control character U+0000 is not allowed");
    let e =
        read::<Outer>(json!({"version": 1, "items": [], "ops": [{"kind": "make", "payload": {"name": "\u{1b}[31m"}}]}))
            .unwrap_err();
    assert_eq!(e.path.as_deref(), Some("ops[0].payload.name"));
    // Inside free-form values and in keys too.
    let e = read::<Outer>(json!({"version": 1, "items": [], "ops": [], "free": {"k\u{7f}": 1}})).unwrap_err();
    assert_eq!(e.kind, Kind::Text);
    let ok: Inner = read(json!({"name": "two\nlines\tand\r\n"})).unwrap();
    assert_eq!(ok.name, "two\nlines\tand\r\n");
}

#[test]
fn bad_text_finds_the_first_and_within_places_it() {
    let v = json!({"a": [{"b": "ok"}, {"b": "x\u{0}"}], "c": "\u{1b}"});
    let e = bad_text(&v).unwrap();
    assert_eq!(e.to_string(), "a[1].b: control character U+0000 is not allowed");
    assert_eq!(e.within("ops[3]").to_string(), "ops[3].a[1].b: control character U+0000 is not allowed");
    assert!(bad_text(&json!({"a": ["fine\n", 1, null]})).is_none());
}

#[test]
fn integral_numbers_are_integers() {
    let v: Outer = read(json!({"version": 0.0, "items": [], "ops": []})).unwrap();
    assert_eq!(v.version, 0);
    let v: Outer = read(json!({"version": -2.0, "items": [], "ops": []})).unwrap();
    assert_eq!(v.version, -2);
    let v: Outer = read(json!({"version": 1e3, "items": [], "ops": []})).unwrap();
    assert_eq!(v.version, 1000);
    let v: Outer = read(json!({"version": -9.007199254740991e15, "items": [], "ops": []})).unwrap();
    assert_eq!(v.version, -9_007_199_254_740_991);
    // Beyond 2^53 a float stands for many integers: refused, not read as a neighbour.
    assert!(read::<Outer>(json!({"version": 3.8e18, "items": [], "ops": []})).is_err());
    for digits in ["-9223372036854775809", "18446744073709551616", "9007199254740993.0", "9.007199254740992e15"] {
        let body = serde_json::from_str(&format!(r#"{{"version": {digits}, "items": [], "ops": []}}"#)).unwrap();
        let e = from_value::<Outer>(&body).unwrap_err();
        assert!(e.to_string().starts_with("version: integer out of range"), "{digits}: {e}");
    }
    assert!(read::<Outer>(json!({"version": 0.5, "items": [], "ops": []})).is_err());
    #[derive(Deserialize)]
    struct Sizes {
        n: Option<usize>,
        m: u32,
    }
    let s: Sizes = read(json!({"n": 1.0, "m": 2.0})).unwrap();
    assert_eq!((s.n, s.m), (Some(1), 2));
    let body =
        serde_json::from_str(r#"{"action": {"action": "complete"}, "expected_version": -3627253656053558.0}"#).unwrap();
    let act: xunjian_shared::road::works::ActOnWorks = from_value(&body).unwrap();
    assert_eq!(act.expected_version, -3_627_253_656_053_558);
    assert!(read::<Outer>(json!({"version": 1e300, "items": [], "ops": []})).is_err());
}

#[test]
fn unknown_fields_and_missing_fields_name_their_place() {
    let e = read::<Outer>(json!({"version": 1, "items": [{"name": "a", "extra": 1}], "ops": []})).unwrap_err();
    assert!(e.to_string().starts_with("items[0].extra: unknown field `extra`"), "{e}");
    let e = read::<Outer>(json!({"version": 1, "items": [{}], "ops": []})).unwrap_err();
    assert_eq!(e.to_string(), "items[0]: missing field `name`");
}
