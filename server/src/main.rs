//! The `xunjian` binary: parse the command line, set up logging, run.

use clap::Parser;
use tracing_subscriber::EnvFilter;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    cap_malloc_arenas();
    let cli = xunjian_server::cli::Cli::parse();
    // The bench runs the server in this process: its request log would bury the figures.
    let bench = matches!(cli.command, Some(xunjian_server::cli::Command::Bench(_)));
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(if bench { "warn" } else { "info" })),
        )
        .with_writer(std::io::stderr)
        .init();
    match xunjian_server::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// glibc's malloc gives threads arenas of their own, up to eight per core. Under many phones the
/// threads' arenas kept tens of MB that were mostly free; two arenas serve this server as fast
/// (docs/benchmarks.md: RSS at 50 phones 70 → 57 MiB). And glibc raises its mmap threshold each time
/// a large block is freed, so after a few first syncs (MB-sized pull answers) such blocks come from
/// the heap and stay there; a fixed 256 KiB threshold gives them back when freed. Explicit
/// `MALLOC_ARENA_MAX` / `MALLOC_MMAP_THRESHOLD_` settings are left to glibc.
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only sets allocator parameters; no other thread runs yet.
        if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, 2);
            }
        }
        if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
            unsafe {
                libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
            }
        }
    }
}
