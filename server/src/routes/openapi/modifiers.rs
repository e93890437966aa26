//! Passes over utoipa's document: the bearer scheme, the path ids, and the problem documents.

use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, KnownFormat, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, SchemaFormat, Type,
};
use utoipa::Modify;

pub struct Bearer;

impl Modify for Bearer {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let c = api.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// Every operation of the document, with its method and path.
fn operations(api: &mut utoipa::openapi::OpenApi) -> impl Iterator<Item = (&'static str, &String, &mut Operation)> {
    api.paths.paths.iter_mut().flat_map(|(path, item)| {
        [
            ("get", item.get.as_mut()),
            ("post", item.post.as_mut()),
            ("put", item.put.as_mut()),
            ("patch", item.patch.as_mut()),
            ("delete", item.delete.as_mut()),
        ]
        .into_iter()
        .filter_map(move |(m, op)| op.map(|op| (m, path, op)))
    })
}

/// Declares the path's `{…id}` segments that a handler did not declare itself: every one is a
/// UUID (a record's id). Any other undeclared segment is a defect the document test finds.
pub struct PathIds;

impl Modify for PathIds {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        for (_, path, op) in operations(api) {
            let names: Vec<String> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .map(str::to_owned)
                .collect();
            let params = op.parameters.get_or_insert_with(Vec::new);
            for name in names.into_iter().rev() {
                let declared = params.iter().any(|p| p.name == name && p.parameter_in == ParameterIn::Path);
                if declared || !(name == "id" || name.ends_with("_id")) {
                    continue;
                }
                let schema = ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)));
                let what = if name == "id" {
                    "The record's id".to_owned()
                } else {
                    format!("The {}'s id", name.trim_end_matches("_id"))
                };
                let p = ParameterBuilder::new()
                    .name(&name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .description(Some(what))
                    .schema(Some(schema))
                    .build();
                params.insert(0, p);
            }
        }
    }
}

/// Every error answer is `application/problem+json` (docs/errors.md): declared so, with the
/// errors every operation can answer — 400 for a query or path the text rule refuses, 401 and 403
/// (an ended session, a disabled account) where a token is needed, 413, 415 and 422 where a JSON
/// body is read — and `default` for the rest (a database that is down answers 503).
pub struct Problems;

impl Modify for Problems {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let problem = || ContentBuilder::new().schema(Some(RefOr::Ref(Ref::from_schema_name("Problem")))).build();
        for (_, path, op) in operations(api) {
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let json_body = op.request_body.as_ref().is_some_and(|b| b.content.contains_key("application/json"));
            let mut standard: Vec<(&str, &str)> =
                vec![("400", "invalid_parameter: a query or path parameter is invalid")];
            if secured {
                standard.push(("401", "unauthenticated, invalid_token: no token, or its session has ended"));
                standard.push(("403", "account_disabled, forbidden, out_of_scope"));
            }
            if json_body {
                standard[0] = ("400", "invalid_json, invalid_parameter: the body or a parameter cannot be read");
                standard.push(("413", "payload_too_large"));
                standard.push(("415", "unsupported_media_type: send application/json"));
                standard.push(("422", "validation_failed: a field breaks a rule (`detail` names it)"));
            }
            if !path.starts_with("/api/") {
                standard.clear();
            }
            standard.push(("default", "Any other error (e.g. 503 service_unavailable): a problem document"));
            for (status, why) in standard {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| ResponseBuilder::new().description(why).build().into());
            }
            for (status, response) in op.responses.responses.iter_mut() {
                let error = status == "default" || status.as_bytes().first().is_some_and(|c| *c == b'4' || *c == b'5');
                if let (true, RefOr::T(r)) = (error, response) {
                    r.content.shift_remove("application/json");
                    r.content.insert("application/problem+json".into(), problem());
                }
            }
        }
    }
}
