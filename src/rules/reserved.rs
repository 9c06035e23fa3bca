use super::{Code, Findings, Subject};
use crate::text::concat;

declare_rule! {
    /// `reserved`: the name is on the policy's list of reserved names.
    ///
    /// ## What it checks
    /// The name's canonical key (ASCII lowercase, unless the policy is case-sensitive) is one of
    /// the policy's reserved names. The built-in presets reserve nothing; a policy file lists
    /// them under `reserved`.
    ///
    /// ## Why
    /// Some names are kept for the service itself (`admin`, `support`, route names); a user
    /// cannot be given one.
    ///
    /// ## Example
    /// ```text
    /// Admin   reserved (with reserved = ["admin"])
    /// ```
    ///
    /// ## Fix
    /// Choose another name, such as the person's own name; `usernorm normalize` appends a
    /// number.
    pub struct Reserved;
}

pub(super) fn check(s: &Subject<'_>, out: &mut impl Findings) {
    if s.policy.is_reserved(s.name) {
        out.add(Code::Reserved, 0..s.name.len(), || {
            concat(&["`", s.name, "` is a reserved name; choose another name"])
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::{Code, Policy};

    #[test]
    fn compares_canonical_keys() {
        let p = Policy::from_toml("reserved = [\"admin\"]").expect("policy");
        assert!(p.validate("Admin").has(Code::Reserved));
        assert!(!p.validate("admins").has(Code::Reserved));
        assert!(!Policy::huggingface().validate("admin").has(Code::Reserved));
    }
}
