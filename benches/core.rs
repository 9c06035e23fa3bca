//! Criterion benchmarks of the core: validate, normalize, suggest and batch checks.
//!
//! `cargo bench --bench core` runs them all in about a minute; `cargo bench --bench core --
//! validate` runs one group.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use usernorm::{BatchTracker, EmptyRegistry, MemoryRegistry, Policy};

/// Valid names: the fast path, which allocates nothing.
const VALID: &[&str] = &[
    "jdoe",
    "jane-doe",
    "Maria-Garcia",
    "wei-zhang-2",
    "a1b2c3d4e5",
];
/// One name per kind of violation.
const INVALID: &[&str] = &["john_doe", "-jd--x-", "104233", "josé.garcía", "x"];
/// Display names that are ASCII already: no transliteration table is touched.
const DISPLAY_ASCII: &[&str] = &[
    "John Doe",
    "john.doe@contoso.com",
    "Anne-Marie O'Neil",
    "Maximilian Alexander von und zu Liechtenstein-Habsburg",
];
/// Display names in other scripts and with diacritics, symbols and emoji.
const DISPLAY_OTHER: &[&str] = &[
    "José García-Núñez",
    "Łukasz Żółć",
    "Ærøskøbing Straße",
    "王小明",
    "Дмитрий Щукин",
    "Zoë 🎉 O'Brien",
    "김민준",
    "محمد علي",
];

fn elements(names: &[&str]) -> Throughput {
    Throughput::Elements(names.len() as u64)
}

fn validate(c: &mut Criterion) {
    let policy = Policy::huggingface();
    let mut group = c.benchmark_group("validate");
    group.throughput(elements(VALID));
    group.bench_function("valid", |b| {
        b.iter(|| {
            for name in VALID {
                black_box(policy.validate(black_box(name)));
            }
        });
    });
    group.throughput(elements(INVALID));
    group.bench_function("invalid", |b| {
        b.iter(|| {
            for name in INVALID {
                black_box(policy.validate(black_box(name)));
            }
        });
    });
    // What `usernorm check --failing` asks: the codes, without messages.
    group.bench_function("invalid-codes-only", |b| {
        b.iter(|| {
            for name in INVALID {
                black_box(policy.validate_codes(black_box(name)));
            }
        });
    });
    group.finish();
}

fn normalize(c: &mut Criterion) {
    let policy = Policy::huggingface();
    let mut group = c.benchmark_group("normalize");
    for (label, names) in [("ascii", DISPLAY_ASCII), ("non-ascii", DISPLAY_OTHER)] {
        group.throughput(elements(names));
        group.bench_function(label, |b| {
            b.iter(|| {
                for name in names {
                    let _ = black_box(policy.normalize(black_box(name)));
                }
            });
        });
    }
    group.finish();
}

fn suggest(c: &mut Criterion) {
    let policy = Policy::huggingface();
    let taken: Vec<String> = (2..1000)
        .map(|i| format!("jdoe-{i}"))
        .chain(["jdoe".to_owned()])
        .collect();
    let registry = MemoryRegistry::from_names(&policy, &taken);
    let mut group = c.benchmark_group("suggest");
    group.bench_function("3-free", |b| {
        b.iter(|| black_box(policy.suggest(black_box("Jane Roe"), &registry, 3)));
    });
    // A crowded registry: `jdoe` and `jdoe-2` to `jdoe-999` are taken.
    group.bench_function("after-1000-taken", |b| {
        b.iter(|| black_box(policy.suggest(black_box("jdoe"), &registry, 1)));
    });
    group.finish();
}

fn batch(c: &mut Criterion) {
    let policy = Policy::huggingface();
    let names: Vec<String> = (0..10_000)
        .map(|i| match i % 10 {
            0 => format!("user_{i}"),
            1 => format!("jdoe{}", i / 2),
            _ => format!("user-{i}"),
        })
        .collect();
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(names.len() as u64));
    // `usernorm check --failing`: every row claims its key, later repeats are duplicates.
    group.bench_function("check-codes-10k", |b| {
        b.iter(|| {
            let mut batch = BatchTracker::new(&policy, &EmptyRegistry);
            for name in &names {
                let _ = black_box(batch.check_codes(black_box(name)));
            }
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = validate, normalize, suggest, batch
}
criterion_main!(benches);
