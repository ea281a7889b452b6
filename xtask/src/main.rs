//! Developer tasks, run as `cargo xtask TASK [ARGS]` (an alias in .cargo/config.toml):
//!
//! - `gen-tzdata`: regenerates the zone table `crates/siren-engine/src/tz/tzdata.bin` from chrono-tz.
//! - `engine OPERATION`: one of the engine's JSON operations natively, stdin to stdout, as the
//!   wasm build's JS surface answers it (the tests compare the two byte for byte).
//! - `bench EVENTS TRANSACTIONS REPS [TOP]`: the native side of `bench/run.mjs` (run it with
//!   `--release`).

mod bench;
mod engine;
mod gen_tzdata;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    match task.as_str() {
        "gen-tzdata" => gen_tzdata::run(),
        "engine" => engine::run(&rest),
        "bench" => bench::run(&rest),
        other => {
            eprintln!("unknown task {other:?}; expected gen-tzdata, engine or bench");
            ExitCode::from(2)
        }
    }
}
