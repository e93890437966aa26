//! The `xunjian` binary: parse the command line, set up logging, run.

use clap::Parser;
use tracing_subscriber::EnvFilter;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
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
