//! Criterion benchmarks of the core: validate, normalize and suggest.

// `criterion_group!` defines a public function that cannot carry a doc comment.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use usernorm::{MemoryRegistry, Policy};

const VALID: &[&str] = &[
    "jdoe",
    "jane-doe",
    "Maria-Garcia",
    "wei-zhang-2",
    "a1b2c3d4e5",
];
const INVALID: &[&str] = &["john_doe", "-jd--x-", "104233", "josé.garcía", "x"];
const DISPLAY: &[&str] = &[
    "John Doe",
    "José García-Núñez",
    "Łukasz Żółć",
    "Ærøskøbing Straße",
    "王小明",
    "Дмитрий Щукин",
    "john.doe@contoso.com",
    "Zoë 🎉 O'Brien",
];

fn validate(c: &mut Criterion) {
    let policy = Policy::huggingface();
    let mut group = c.benchmark_group("validate");
    group.throughput(Throughput::Elements(VALID.len() as u64));
    group.bench_function("valid", |b| {
        b.iter(|| {
            for name in VALID {
                black_box(policy.validate(black_box(name)));
            }
        });
    });
    group.throughput(Throughput::Elements(INVALID.len() as u64));
    group.bench_function("invalid", |b| {
        b.iter(|| {
            for name in INVALID {
                black_box(policy.validate(black_box(name)));
            }
        });
    });
    group.finish();
}

fn normalize(c: &mut Criterion) {
    let policy = Policy::huggingface();
    let mut group = c.benchmark_group("normalize");
    group.throughput(Throughput::Elements(DISPLAY.len() as u64));
    group.bench_function("display-names", |b| {
        b.iter(|| {
            for name in DISPLAY {
                let _ = black_box(policy.normalize(black_box(name)));
            }
        });
    });
    group.finish();
}

fn suggest(c: &mut Criterion) {
    let policy = Policy::huggingface();
    let taken: Vec<String> = (0..1000)
        .map(|i| format!("jdoe-{i}"))
        .chain(["jdoe".to_owned()])
        .collect();
    let registry = MemoryRegistry::from_names(&policy, &taken);
    c.bench_function("suggest/3-free", |b| {
        b.iter(|| black_box(policy.suggest(black_box("Jane Roe"), &registry, 3)));
    });
    c.bench_function("suggest/after-1000-taken", |b| {
        b.iter(|| black_box(policy.suggest(black_box("jdoe"), &registry, 1)));
    });
}

criterion_group!(benches, validate, normalize, suggest);
criterion_main!(benches);
