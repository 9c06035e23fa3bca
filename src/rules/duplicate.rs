use super::{Code, Violation};

declare_rule! {
    /// `duplicate`: an earlier row of the same batch produced the same name.
    ///
    /// ## What it checks
    /// In a batch (an audit, a list given to `usernorm check`), the name's canonical key equals
    /// that of an earlier row. The first row keeps the name, as in real provisioning.
    ///
    /// ## Why
    /// Entra's recommended mapping deletes `.`, so `john.doe` and `johndoe` both become
    /// `johndoe`; the second person silently fails to provision.
    ///
    /// ## Example
    /// ```text
    /// row 1  john.doe -> johndoe   ok
    /// row 2  johndoe  -> johndoe   duplicate of row 1
    /// ```
    ///
    /// ## Fix
    /// Give the later person another name: `usernorm audit` suggests one that is free across
    /// the org and the batch, such as `johndoe-2`.
    pub struct Duplicate;
}

pub(crate) fn violation(name: &str, first: usize) -> Violation {
    Violation {
        code: Code::Duplicate,
        span: 0..name.len(),
        message: format!("`{name}` was already produced by row {first}; choose another name"),
    }
}

#[cfg(test)]
mod tests {
    use crate::{BatchTracker, Code, MemoryRegistry, Policy};

    #[test]
    fn later_rows_are_duplicates_case_insensitively() {
        let p = Policy::huggingface();
        let reg = MemoryRegistry::new();
        let mut batch = BatchTracker::new(&p, &reg);
        assert!(batch.check("johndoe").expect("check").is_valid());
        let r = batch.check("JohnDoe").expect("check");
        assert!(r.has(Code::Duplicate));
        assert!(r.violations[0].message.contains("row 1"));
    }
}
