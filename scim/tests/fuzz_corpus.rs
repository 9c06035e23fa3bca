//! Replays every committed input of the `scim_page` fuzz target (`fuzz/corpus/scim_page/*`,
//! `fuzz/regressions/scim_page/*`) through the target's own body, on stable Rust, as
//! `tests/fuzz_corpus.rs` does for the core's targets. `fuzz/README.md` says how to fuzz.

#![allow(clippy::unwrap_used)]

#[path = "../../fuzz/bodies/scim.rs"]
mod scim;

use std::path::Path;

#[test]
fn every_committed_scim_page_input_passes_its_target() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut replayed = 0;
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(kind).join("scim_page")) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let run = std::panic::catch_unwind(|| scim::scim_page(&data));
            assert!(run.is_ok(), "{} fails its target", file.display());
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no corpus for scim_page");
}
