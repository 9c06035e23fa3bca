//! Why `deunicode`: the two transliteration tables the issue named, on the same characters.
//!
//! Both give ASCII for every script we test; `deunicode` keeps `Æ` as `AE` (the spec's
//! `Ærøskøbing` -> `AEroskobing`), where `any_ascii` gives `Ae`. This benchmark compares their
//! speed per character on a multilingual sample.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SAMPLE: &str = "Ærøskøbing Straße Łukasz Żółć Đặng Thị Hương Ελένη Παπαδοπούλου \
                      Дмитрий Щукин 王小明 김민준 محمد ガラス İsmail Işık Þór";

fn translit(c: &mut Criterion) {
    let chars: Vec<char> = SAMPLE.chars().filter(|c| !c.is_ascii()).collect();
    let mut group = c.benchmark_group("translit");
    group.throughput(Throughput::Elements(chars.len() as u64));
    group.bench_function("deunicode", |b| {
        b.iter(|| {
            for &ch in &chars {
                black_box(deunicode::deunicode_char(black_box(ch)));
            }
        });
    });
    group.bench_function("any_ascii", |b| {
        b.iter(|| {
            for &ch in &chars {
                black_box(any_ascii::any_ascii_char(black_box(ch)));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, translit);
criterion_main!(benches);
