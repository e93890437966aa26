//! Serving the built web app: long caching for hashed assets, none for the shell, the
//! single-page fallback, and the security headers on every response.

use actix_files::{Files, NamedFile};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The security headers, computed once at start.
#[derive(Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    hsts: bool,
}

impl SecurityHeaders {
    /// Builds the CSP for the app in `web_dir`: scripts only from this origin, plus the inline
    /// loaders trunk writes into the two builds' index.html (the phones' at the root, the office
    /// build's in `office/`), allowed by their SHA-256 rather than 'unsafe-inline'.
    pub fn new(web_dir: &Path, hsts: bool) -> SecurityHeaders {
        let pages = [web_dir.join("index.html"), web_dir.join("office").join("index.html")];
        let html: Vec<String> = pages.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
        let hashes: String = html
            .iter()
            .flat_map(|h| inline_scripts(h))
            .map(|s| format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(s.as_bytes()))))
            .collect();
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
             object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
        );
        SecurityHeaders {
            csp: HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            hsts,
        }
    }
}

/// The bodies of `<script>` elements without a `src` attribute.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    out
}

/// Whether a file name carries trunk's content hash (`name-0123456789abcdef.ext`): a 64-bit number
/// in hex without leading zeros, so 12 to 16 digits in practice (`initializer-36578023ce7de73.js`);
/// sw.js's `HASHED` is the same rule.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, h)| (12..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Middleware: security headers everywhere, and a cache policy by kind of path.
pub async fn headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let sec = req.app_data::<web::Data<SecurityHeaders>>().cloned();
    let path = req.path().to_owned();
    let mut res = next.call(req).await?;
    let h = res.headers_mut();
    if let Some(sec) = sec {
        h.insert(header::CONTENT_SECURITY_POLICY, sec.csp.clone());
        if sec.hsts {
            h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
        }
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(
        header::HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("geolocation=(self), camera=(self), microphone=()"),
    );
    h.insert(header::HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    let cache = if path.starts_with("/api/") || path == "/healthz" {
        "no-store"
    } else if is_hashed_asset(&path) {
        "public, max-age=31536000, immutable"
    } else {
        // index.html, sw.js, the manifest: always revalidate so a new version is seen.
        "no-cache"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(res)
}

/// The static file service for the built app, falling back to index.html for client routes.
pub fn files(web_dir: &Path) -> Files {
    let index: PathBuf = web_dir.join("index.html");
    Files::new("/", web_dir).index_file("index.html").default_handler(web::to(move |req: HttpRequest| {
        let index = index.clone();
        async move { spa_fallback(req, &index).await }
    }))
}

async fn spa_fallback(req: HttpRequest, index: &Path) -> actix_web::HttpResponse {
    use actix_web::Responder;
    match NamedFile::open_async(index).await {
        Ok(f) => f.respond_to(&req).map_into_boxed_body(),
        Err(_) => crate::error::AppError::with_detail(
            xunjian_shared::ErrorCode::NotFound,
            "the web app is not built: run scripts/build-web",
        )
        .error_response(),
    }
}

use actix_web::ResponseError;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_inline_scripts() {
        let html = r#"<head><script src="/a.js"></script><script type="module">import x from '/b.js';</script></head>"#;
        assert_eq!(inline_scripts(html), vec!["import x from '/b.js';"]);
    }

    #[test]
    fn recognises_trunk_hashes() {
        assert!(is_hashed_asset("/xunjian-web-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/xunjian-web-0123456789abcdef.js"));
        assert!(is_hashed_asset("/styles-0123456789abcdef.css"));
        assert!(is_hashed_asset("/initializer-36578023ce7de73.js"));
        assert!(!is_hashed_asset("/icon-maskable-512.png"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/index.html"));
    }
}
