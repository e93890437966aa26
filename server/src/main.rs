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
/// blocking pool grows to dozens of threads (most waiting for the database), and their arenas keep
/// tens of MB that are mostly free; two arenas serve this server as fast (docs/benchmarks.md: RSS at
/// 50 phones 70 → 57 MiB). An explicit `MALLOC_ARENA_MAX` is left to glibc.
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; no other thread runs yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}
