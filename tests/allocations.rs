//! Validation of a valid ASCII name allocates nothing; an invalid one allocates only its report.

use usernorm::Policy;

#[test]
fn validating_valid_ascii_names_allocates_nothing() {
    let reserved = Policy::from_toml("reserved = [\"admin\"]").expect("policy");
    let policies = [Policy::huggingface(), Policy::github(), reserved];
    for policy in &policies {
        for name in ["jdoe", "Jane-Doe", "maria-garcia-2", "A1", &"x".repeat(39)] {
            let info = allocation_counter::measure(|| {
                let report = policy.validate(std::hint::black_box(name));
                assert!(report.is_valid());
                std::hint::black_box(report);
            });
            assert_eq!(
                info.count_total,
                0,
                "{name} under {} allocated",
                policy.name()
            );
        }
    }
}

#[test]
fn the_counter_does_count() {
    // Guards the test above: an invalid name allocates its violations and messages.
    let policy = Policy::huggingface();
    let info = allocation_counter::measure(|| {
        std::hint::black_box(policy.validate(std::hint::black_box("john_doe")));
    });
    assert!(info.count_total > 0);
}
