use super::{Code, Violation};
use crate::text::concat;

declare_rule! {
    /// `taken`: the name is already used in the org.
    ///
    /// ## What it checks
    /// The uniqueness registry (an `--existing` file of members, or a SCIM endpoint) already
    /// holds the name's canonical key. Under `huggingface`, `JDoe` and `jdoe` are the same name.
    ///
    /// ## Why
    /// Usernames are unique within the org; the service rejects the new user, or worse, the
    /// provisioning run links them to the wrong account.
    ///
    /// ## Example
    /// ```text
    /// JDoe   taken (jdoe is a member already)
    /// ```
    ///
    /// ## Fix
    /// Choose a free name: `usernorm check` suggests one, such as `jdoe-2` or `john-doe`.
    pub struct Taken;
}

pub(crate) fn violation(name: &str) -> Violation {
    Violation {
        code: Code::Taken,
        span: 0..name.len(),
        message: concat(&[
            "`",
            name,
            "` is already taken in the org; choose another name",
        ]),
    }
}

#[cfg(test)]
mod tests {
    use crate::{Code, MemoryRegistry, Policy};

    #[test]
    fn fires_when_the_registry_holds_the_key() {
        let p = Policy::huggingface();
        let reg = MemoryRegistry::from_names(&p, ["jdoe"]);
        assert!(p.check("JDoe", &reg).expect("check").has(Code::Taken));
        assert!(!p.check("jdoe2", &reg).expect("check").has(Code::Taken));
    }
}
