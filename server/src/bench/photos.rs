//! Part 4, photos: unique ~200 KB JPEG-like photos uploaded by several devices at once through
//! `PUT /api/v1/attachments/{sha256}`, then the same photos again (a phone retrying after a lost
//! answer), which must cost next to nothing.

use super::env::{Env, InProcess};
use super::fixture::Fixture;
use super::payload;
use super::report::{Report, Target};
use super::{BenchError, Sizes};
use actix_web::web::Bytes;
use std::time::Instant;
use xunjian_shared::PhotoRef;

/// Each device uploads its share of the photos one after another; the devices run at once.
/// Returns the seconds it took and the status codes seen.
async fn upload_all(
    http: &reqwest::Client,
    base: &str,
    shares: &[(String, Vec<(PhotoRef, Bytes)>)],
) -> Result<(f64, Vec<u16>), BenchError> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (token, photos) in shares {
        let (http, base, token, photos) = (http.clone(), base.to_owned(), token.clone(), photos.clone());
        tasks.push(actix_web::rt::spawn(async move {
            let mut codes = Vec::new();
            for (sha, bytes) in photos {
                let res = http
                    .put(format!("{base}/api/v1/attachments/{}", sha.as_str()))
                    .bearer_auth(&token)
                    .header(reqwest::header::CONTENT_TYPE, "image/jpeg")
                    .body(bytes)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                codes.push(res.status().as_u16());
            }
            Ok::<_, String>(codes)
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.extend(t.await??);
    }
    Ok((started.elapsed().as_secs_f64(), codes))
}

pub async fn run(env: &Env, fx: &Fixture, sizes: &Sizes, report: &mut Report) -> Result<(), BenchError> {
    let photos = payload::photos(sizes.photos, sizes.photo_bytes);
    let total: usize = photos.iter().map(|(_, b)| b.len()).sum();
    let devices = sizes.photo_devices.min(fx.phones.len()).max(1);
    let mut shares: Vec<(String, Vec<(PhotoRef, Bytes)>)> =
        fx.phones.iter().take(devices).map(|w| (w.token.clone(), Vec::new())).collect();
    for (i, (sha, bytes)) in photos.into_iter().enumerate() {
        shares[i % devices].1.push((sha, Bytes::from(bytes)));
    }
    let server = InProcess::start(env)?;
    let http = reqwest::Client::new();
    let (first, codes) = upload_all(&http, &server.base, &shares).await?;
    if let Some(bad) = codes.iter().find(|c| **c != 201) {
        return Err(format!("a first upload answered {bad}, not 201").into());
    }
    let commits = crate::db::commits();
    let (again, codes) = upload_all(&http, &server.base, &shares).await?;
    let again_commits = crate::db::commits() - commits;
    if let Some(bad) = codes.iter().find(|c| **c != 200) {
        return Err(format!("a repeated upload answered {bad}, not 200").into());
    }
    server.stop().await;

    let mb = total as f64 / 1e6;
    report.add("photos", &format!("{} photos by {devices} devices", sizes.photos), mb / first, "MB/s", Target::None);
    report.add("photos", "re-upload of the same photos", mb / again, "MB/s", Target::None);
    report.add("photos", "re-upload time / first upload", again / first, "×", Target::None);
    // "Near-free": the bytes still travel and are hashed, but nothing is written.
    report.add("photos", "write transactions in the re-upload", again_commits as f64, "commits", Target::Exactly(0.0));
    report.note(
        "photos",
        format!(
            "{} unique photos of {} KB (a JPEG header and random bytes, {mb:.1} MB) uploaded by {devices} devices \
             at once; the first upload writes each file through a temp file, fsync and rename, and a row; the \
             re-upload still sends the bytes and the server hashes them, finds the file and the row, and writes \
             nothing ('near-free' is read as: no write transaction, no fsync).",
            sizes.photos,
            sizes.photo_bytes / 1024,
        ),
    );
    report.detail(
        "photos",
        serde_json::json!({"photos": sizes.photos, "bytes": total, "devices": devices, "first_secs": first, "again_secs": again, "again_write_commits": again_commits}),
    );
    Ok(())
}
