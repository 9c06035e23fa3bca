//! Replays every committed fuzz input (`fuzz/corpus/TARGET/*` and `fuzz/regressions/TARGET/*`)
//! through the fuzz targets' own bodies, on stable Rust: what the fuzzer found stays fixed,
//! and CI needs no nightly compiler. `fuzz/README.md` says how to fuzz.

#![allow(clippy::unwrap_used)]

#[path = "../fuzz/bodies/core.rs"]
mod bodies;

use std::path::Path;

/// A fuzz target's body.
type Body = fn(&[u8]);

/// Each target's name (its directory) and body.
const TARGETS: [(&str, Body); 7] = [
    ("validate", bodies::validate),
    ("normalize", bodies::normalize),
    ("suggest", bodies::suggest),
    ("entra_parse", bodies::entra_parse),
    ("entra_eval", bodies::entra_eval),
    ("audit", bodies::audit),
    ("policy_file", bodies::policy_file),
];

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_committed_fuzz_input_passes_its_target() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for (target, body) in TARGETS {
        let mut count = 0;
        for kind in ["corpus", "regressions"] {
            for file in files(&fuzz.join(kind).join(target)) {
                let data = std::fs::read(&file).unwrap();
                let run = std::panic::catch_unwind(|| body(&data));
                assert!(run.is_ok(), "{} fails its target", file.display());
                count += 1;
            }
        }
        assert!(count > 0, "no corpus for {target}");
        replayed += count;
    }
    assert!(replayed > 0);
}

/// The bodies hold on a few hand-picked inputs too, whatever the corpus holds.
#[test]
fn the_bodies_take_edge_cases() {
    let inputs: [&[u8]; 8] = [
        b"",
        b"\x00",
        b"\xffjdoe",
        b"\x01id,userName,mailNickname,givenName,surname\n1,jdoe,jdoe,J,Doe\n2,jdoe,jdoe,J,Doe\n",
        b"\x13mailNickname\njdoe\njdoe\n\"unterminated\n",
        b"\x02extra_chars = \"\xe2\x80\xae\"",
        b"\x03{\"extra_chars\": \"._\"}",
        b"ToLower(Replace([a], , \"(\", , \"\", , ))\na=b",
    ];
    for (_, body) in TARGETS {
        for data in inputs {
            body(data);
        }
    }
}
