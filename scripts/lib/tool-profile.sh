# Sourced by scripts that `cargo install` a tool (setup-web-tools, setup-api-tools).
#
# Tools are built once per machine and run for seconds: build them fast, not small or fastest.
# Their own manifests ask for fat LTO and one codegen unit (trunk: 36 minutes on 2 cores); the
# environment overrides a manifest's profile (cargo's config precedence).
# Usage: tool_profile cargo install NAME ...
tool_profile() {
  env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=64 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=true \
    CARGO_PROFILE_RELEASE_INCREMENTAL=false "$@"
}
