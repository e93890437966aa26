//! HTTPS with rustls: service workers, installation and geolocation need a secure origin.

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::BufReader;
use std::path::Path;

/// A rustls server configuration from PEM files.
pub fn server_config(cert: &Path, key: &Path) -> std::io::Result<rustls::ServerConfig> {
    let certs: Vec<CertificateDer<'static>> =
        rustls_pemfile::certs(&mut BufReader::new(std::fs::File::open(cert)?)).collect::<Result<_, _>>()?;
    if certs.is_empty() {
        return Err(std::io::Error::other(format!("no certificate in {}", cert.display())));
    }
    let key: PrivateKeyDer<'static> = rustls_pemfile::private_key(&mut BufReader::new(std::fs::File::open(key)?))?
        .ok_or_else(|| std::io::Error::other(format!("no private key in {}", key.display())))?;
    rustls::ServerConfig::builder_with_provider(rustls::crypto::ring::default_provider().into())
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(std::io::Error::other)
}
