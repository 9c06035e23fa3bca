//! Username policies: the built-in presets and custom policies loaded from TOML or JSON.

use crate::text::{concat, decimal};
use std::borrow::Cow;
use std::collections::BinaryHeap;

use crate::registry::{Registry, RegistryError};
use crate::rules::{self, Code, CodeSet, Report, Subject};

mod config;

use config::invalid;
pub use config::{PolicyConfig, PolicyError};

/// A username policy: which characters, how long, which names are reserved, and how names are
/// compared for uniqueness.
///
/// ```
/// use usernorm::{Code, Policy};
///
/// let hf = Policy::huggingface();
/// assert!(hf.validate("jane-doe").is_valid());
/// assert!(hf.validate("jane_doe").has(Code::InvalidChar));
/// assert_eq!(hf.canonical_key("Jane-Doe"), "jane-doe");
///
/// let custom = Policy::from_toml(r#"
///     name = "acme"
///     max_length = 20
///     extra_chars = "."
///     reserved = ["admin"]
/// "#)?;
/// assert!(custom.validate("jane.doe").is_valid());
/// # Ok::<(), usernorm::PolicyError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Policy {
    name: String,
    min_length: usize,
    max_length: usize,
    allowed: [bool; 128],
    extra_chars: Vec<char>,
    /// Canonical keys, sorted and without repeats: a binary search finds a name in as few
    /// comparisons as a hash would take to compute, and the browser build carries no hash table.
    reserved: Vec<String>,
    longest_reserved: usize,
    case_sensitive: bool,
    allow_digits_only: bool,
    suffix: Option<String>,
}

/// The longest name a policy may allow.
pub const MAX_POLICY_LENGTH: usize = 1024;

/// The ASCII characters every policy allows: letters, digits and `-`.
const BASE_ALLOWED: [bool; 128] = {
    let mut allowed = [false; 128];
    let mut b: u8 = 0;
    while b < 128 {
        allowed[b as usize] = b.is_ascii_alphanumeric() || b == b'-';
        b += 1;
    }
    allowed
};

/// The names of the built-in presets.
pub const PRESETS: [&str; 3] = ["huggingface", "github", "github-emu"];

impl Default for Policy {
    fn default() -> Self {
        Policy::huggingface()
    }
}

impl Policy {
    /// The Hugging Face organization policy, the default: ASCII letters, digits and `-`; no
    /// `--`; no leading or trailing `-`; not digits alone; 2 to 42 characters; unique
    /// case-insensitively.
    pub fn huggingface() -> Policy {
        Policy::base("huggingface", 2, 42, false)
    }

    /// GitHub's username rules: ASCII letters, digits and single hyphens, no leading or
    /// trailing hyphen, 1 to 39 characters, case-insensitive. Numeric names are allowed.
    pub fn github() -> Policy {
        Policy::base("github", 1, 39, true)
    }

    /// GitHub Enterprise Managed Users: GitHub's rules, where the name plus `_SHORTCODE` must
    /// fit 39 characters.
    ///
    /// ```
    /// use usernorm::Policy;
    ///
    /// let emu = Policy::github_emu("acme")?;
    /// assert_eq!(emu.max_length(), 34);
    /// assert_eq!(emu.suffix(), Some("_acme"));
    /// # Ok::<(), usernorm::PolicyError>(())
    /// ```
    ///
    /// # Errors
    /// The shortcode must be 1 to 20 ASCII letters or digits.
    pub fn github_emu(shortcode: &str) -> Result<Policy, PolicyError> {
        let len = shortcode.len();
        if len == 0 || len > 20 || !shortcode.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(PolicyError::Invalid {
                field: "shortcode",
                message: concat(&[
                    "the enterprise shortcode must be 1 to 20 ASCII letters or digits, not `",
                    shortcode,
                    "`",
                ]),
            });
        }
        let mut policy = Policy::base("github-emu", 1, 39 - 1 - len, true);
        policy.suffix = Some(concat(&["_", shortcode]));
        Ok(policy)
    }

    /// A preset by name: `huggingface`, `github`, or `github-emu` (which needs `shortcode`).
    ///
    /// # Errors
    /// An unknown name, or `github-emu` without a valid shortcode.
    pub fn preset(name: &str, shortcode: Option<&str>) -> Result<Policy, PolicyError> {
        match (name, shortcode) {
            ("huggingface", _) => Ok(Policy::huggingface()),
            ("github", _) => Ok(Policy::github()),
            ("github-emu", Some(code)) => Policy::github_emu(code),
            ("github-emu", None) => Err(PolicyError::Invalid {
                field: "shortcode",
                message: "the github-emu policy needs the enterprise shortcode".to_owned(),
            }),
            _ => Err(PolicyError::UnknownPreset(name.to_owned())),
        }
    }

    fn base(name: &str, min: usize, max: usize, allow_digits_only: bool) -> Policy {
        Policy {
            name: name.to_owned(),
            min_length: min,
            max_length: max,
            allowed: BASE_ALLOWED,
            extra_chars: Vec::new(),
            reserved: Vec::new(),
            longest_reserved: 0,
            case_sensitive: false,
            allow_digits_only,
            suffix: None,
        }
    }

    /// Loads a policy from TOML; see [`PolicyConfig`] for the fields.
    ///
    /// # Errors
    /// A syntax error, an unknown field or a value out of range, with the field named.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let config: PolicyConfig = toml::from_str(text).map_err(|e| PolicyError::Parse {
            format: "TOML",
            message: e.to_string(),
        })?;
        Policy::from_config(config)
    }

    /// Loads a policy from JSON; see [`PolicyConfig`] for the fields.
    ///
    /// ```
    /// let p = usernorm::Policy::from_json(r#"{"base": "github", "min_length": 3}"#)?;
    /// assert_eq!((p.min_length(), p.max_length()), (3, 39));
    /// assert!(usernorm::Policy::from_json(r#"{"max_lenght": 3}"#).is_err());
    /// # Ok::<(), usernorm::PolicyError>(())
    /// ```
    ///
    /// # Errors
    /// A syntax error, an unknown field or a value out of range, with the field named.
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let config: PolicyConfig = serde_json::from_str(text).map_err(|e| PolicyError::Parse {
            format: "JSON",
            message: e.to_string(),
        })?;
        Policy::from_config(config)
    }

    /// Builds a policy from a parsed configuration.
    ///
    /// # Errors
    /// A value out of range, with the field named.
    pub fn from_config(config: PolicyConfig) -> Result<Policy, PolicyError> {
        let base = config.base.as_deref().unwrap_or("huggingface");
        let mut policy =
            Policy::preset(base, config.shortcode.as_deref()).map_err(|e| match e {
                PolicyError::UnknownPreset(name) => PolicyError::Invalid {
                    field: "base",
                    message: concat(&[
                        "unknown preset `",
                        &name,
                        "`; the presets are ",
                        crate::text::PRESET_LIST,
                    ]),
                },
                other => other,
            })?;
        if let Some(name) = config.name {
            policy.name = name;
        }
        if let Some(min) = config.min_length {
            policy.min_length = min;
        }
        if let Some(max) = config.max_length {
            policy.max_length = max;
        }
        if policy.min_length == 0 {
            return Err(invalid("min_length", "must be at least 1".to_owned()));
        }
        if policy.max_length > MAX_POLICY_LENGTH {
            return Err(invalid(
                "max_length",
                concat(&["must be at most ", &decimal(MAX_POLICY_LENGTH)]),
            ));
        }
        if policy.max_length < policy.min_length {
            return Err(invalid(
                "max_length",
                concat(&[
                    "is ",
                    &decimal(policy.max_length),
                    " but min_length is ",
                    &decimal(policy.min_length),
                    "; it must be at least min_length",
                ]),
            ));
        }
        if let Some(extra) = config.extra_chars {
            for c in extra.chars() {
                if crate::extra_chars::refuses(c) {
                    return Err(invalid("extra_chars", {
                        let mut message = "cannot allow ".to_owned();
                        rules::push_code_point(&mut message, c);
                        message.push_str(": allow only printable ASCII, letters and digits");
                        message
                    }));
                }
                match u8::try_from(c) {
                    Ok(b) if b < 128 => policy.allowed[usize::from(b)] = true,
                    _ => {
                        if !policy.extra_chars.contains(&c) {
                            policy.extra_chars.push(c);
                        }
                    }
                }
            }
        }
        if let Some(case_sensitive) = config.case_sensitive {
            policy.case_sensitive = case_sensitive;
        }
        if let Some(allow) = config.allow_digits_only {
            policy.allow_digits_only = allow;
        }
        for (i, name) in config.reserved.unwrap_or_default().into_iter().enumerate() {
            if name.is_empty() {
                let message = concat(&["entry ", &decimal(i + 1), " is empty"]);
                return Err(invalid("reserved", message));
            }
            let key = policy.canonical_key(&name).into_owned();
            policy.longest_reserved = policy.longest_reserved.max(key.len());
            policy.reserved.push(key);
        }
        // A heap sort: a fraction of the code of `sort_unstable`, which the browser build
        // carries, and O(n log n) however long a list of reserved names a policy brings (keeping
        // the list sorted by insertion was 158 bytes smaller, but quadratic: 0.2 s for 50 000).
        policy.reserved = BinaryHeap::from(std::mem::take(&mut policy.reserved)).into_sorted_vec();
        policy.reserved.dedup();
        Ok(policy)
    }

    /// The policy's name (`huggingface`, `github`, `github-emu`, or a custom policy's `name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The minimum length in characters.
    pub fn min_length(&self) -> usize {
        self.min_length
    }

    /// The maximum length in characters.
    pub fn max_length(&self) -> usize {
        self.max_length
    }

    /// Whether uniqueness compares names exactly rather than ASCII case-insensitively.
    pub fn is_case_sensitive(&self) -> bool {
        self.case_sensitive
    }

    /// Whether names made of digits alone are allowed.
    pub fn allows_digits_only(&self) -> bool {
        self.allow_digits_only
    }

    /// The suffix the service appends (`_shortcode` under `github-emu`).
    pub fn suffix(&self) -> Option<&str> {
        self.suffix.as_deref()
    }

    /// Whether the policy allows this character anywhere in a name.
    pub fn allows_char(&self, c: char) -> bool {
        if c.is_ascii() {
            self.allowed[c as usize]
        } else {
            self.extra_chars.contains(&c)
        }
    }

    /// Whether the policy allows this byte as a one-byte (ASCII) character.
    #[inline]
    pub fn allows_byte(&self, b: u8) -> bool {
        self.allowed.get(usize::from(b)).copied().unwrap_or(false)
    }

    /// The allowed characters in words, for messages.
    pub fn allowed_description(&self) -> String {
        let mut out = String::new();
        self.push_allowed_description(&mut out);
        out
    }

    /// [`Policy::allowed_description`], written at the end of `out`.
    pub(crate) fn push_allowed_description(&self, out: &mut String) {
        // The presets' case, without scanning the table (every invalid-char message asks).
        if self.allowed == BASE_ALLOWED && self.extra_chars.is_empty() {
            out.push_str("ASCII letters, digits and `-`");
            return;
        }
        let mut extra: Vec<char> = (0..128u8)
            .filter(|&b| self.allowed[usize::from(b)] && !b.is_ascii_alphanumeric() && b != b'-')
            .map(char::from)
            .collect();
        extra.extend(self.extra_chars.iter().copied());
        if extra.is_empty() {
            out.push_str("ASCII letters, digits and `-`");
        } else {
            out.push_str("ASCII letters, digits, `-` and");
            for c in extra {
                out.push_str(" `");
                out.push(c);
                out.push('`');
            }
        }
    }

    /// The key names are compared by for uniqueness: the name in ASCII lowercase, unless the
    /// policy is case-sensitive. Borrows when nothing changes.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// let hf = usernorm::Policy::huggingface();
    /// assert_eq!(hf.canonical_key("JDoe"), "jdoe");
    /// assert!(matches!(hf.canonical_key("jdoe"), Cow::Borrowed("jdoe")));
    /// ```
    pub fn canonical_key<'a>(&self, name: &'a str) -> Cow<'a, str> {
        if self.case_sensitive || !name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Borrowed(name)
        } else {
            Cow::Owned(name.to_ascii_lowercase())
        }
    }

    /// Whether the name's canonical key is reserved. Allocates nothing: the name's bytes are
    /// lowercased as they are compared (the keys are sorted by their bytes, as `str` orders).
    pub fn is_reserved(&self, name: &str) -> bool {
        if self.reserved.is_empty() || name.len() > self.longest_reserved {
            return false;
        }
        let key = name.bytes().map(|b| {
            if self.case_sensitive {
                b
            } else {
                b.to_ascii_lowercase()
            }
        });
        (self.reserved)
            .binary_search_by(|r| r.bytes().cmp(key.clone()))
            .is_ok()
    }

    /// Calls `f` with the name's canonical key, lowercased in a stack buffer when the name is
    /// short, so that a registry lookup allocates nothing.
    pub(crate) fn with_canonical_key<T>(&self, name: &str, f: impl FnOnce(&str) -> T) -> T {
        if self.case_sensitive || !name.bytes().any(|b| b.is_ascii_uppercase()) {
            return f(name);
        }
        let mut buf = [0u8; 64];
        let Some(slot) = buf.get_mut(..name.len()) else {
            return f(&name.to_ascii_lowercase());
        };
        slot.copy_from_slice(name.as_bytes());
        slot.make_ascii_lowercase();
        // Lowercasing ASCII bytes keeps UTF-8 valid, so the second arm never runs.
        match std::str::from_utf8(slot) {
            Ok(key) => f(key),
            Err(_) => f(&name.to_ascii_lowercase()),
        }
    }

    /// Checks a name against every rule that needs only the policy (all but `taken` and
    /// `duplicate`). Never fails: an invalid name is a report with violations. A valid ASCII
    /// name allocates nothing.
    ///
    /// ```
    /// use usernorm::{Code, Policy};
    ///
    /// let report = Policy::huggingface().validate("-jean--luc_");
    /// let codes: Vec<&str> = report.violations.iter().map(|v| v.code.as_str()).collect();
    /// assert_eq!(codes, ["invalid-char", "double-dash", "leading-dash"]);
    /// assert_eq!(report.violations[0].span, 10..11);
    /// ```
    pub fn validate(&self, name: &str) -> Report {
        let mut violations = Vec::new();
        if !self.is_plainly_valid(name) {
            rules::check_all(&self.subject(name), &mut violations);
        }
        Report { violations }
    }

    /// Which rules a name breaks, like [`validate`](Self::validate) but without spans or
    /// messages, so it never allocates: for bulk checks that report only the codes.
    ///
    /// ```
    /// use usernorm::{Code, Policy};
    ///
    /// let hf = Policy::huggingface();
    /// assert!(hf.validate_codes("jane-doe").is_empty());
    /// let codes = hf.validate_codes("-jean--luc_");
    /// assert_eq!(codes, hf.validate("-jean--luc_").code_set());
    /// assert!(codes.contains(Code::LeadingDash));
    /// ```
    pub fn validate_codes(&self, name: &str) -> CodeSet {
        let mut codes = CodeSet::new();
        if !self.is_plainly_valid(name) {
            rules::check_all(&self.subject(name), &mut codes);
        }
        codes
    }

    /// The fast path of validation: whether `name` is ASCII and passes every rule of
    /// [`validate`](Self::validate), found in one pass over its bytes. `false` means only "not
    /// plainly valid": the rules then run one by one and say what is wrong.
    fn is_plainly_valid(&self, name: &str) -> bool {
        let bytes = name.as_bytes();
        let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
            return false;
        };
        // Lengths in bytes equal lengths in characters once every byte is ASCII (checked below).
        if bytes.len() < self.min_length
            || bytes.len() > self.max_length
            || first == b'-'
            || last == b'-'
        {
            return false;
        }
        let mut previous = 0;
        let mut digits = 0;
        for &b in bytes {
            if !self.allows_byte(b) || (b == b'-' && previous == b'-') {
                return false;
            }
            digits += usize::from(b.is_ascii_digit());
            previous = b;
        }
        (self.allow_digits_only || digits < bytes.len()) && !self.is_reserved(name)
    }

    fn subject<'a>(&'a self, name: &'a str) -> Subject<'a> {
        Subject {
            name,
            policy: self,
            chars: crate::normalize::char_len(name),
        }
    }

    /// Checks a name against every rule and against the org's existing names.
    ///
    /// ```
    /// use usernorm::{Code, MemoryRegistry, Policy};
    ///
    /// let hf = Policy::huggingface();
    /// let org = MemoryRegistry::from_names(&hf, ["jdoe"]);
    /// assert!(hf.check("JDoe", &org)?.has(Code::Taken));
    /// assert!(hf.check("jane", &org)?.is_valid());
    /// # Ok::<(), usernorm::RegistryError>(())
    /// ```
    ///
    /// # Errors
    /// When the registry cannot answer; a failed lookup never counts as free.
    pub fn check(&self, name: &str, registry: &dyn Registry) -> Result<Report, RegistryError> {
        let mut report = self.validate(name);
        // The key as `canonical_key` makes it, not in `with_canonical_key`'s stack buffer: what
        // turns the buffer back into a `str` is 700 bytes of the browser build, and a report
        // allocates anyway when the name is invalid. `check_codes`, for bulk checks, keeps it.
        if registry.is_taken(&self.canonical_key(name))? {
            report.violations.push(rules::taken_violation(name));
        }
        Ok(report)
    }

    /// Which rules a name breaks, the org's registry included: [`check`](Self::check) without
    /// spans or messages.
    ///
    /// # Errors
    /// When the registry cannot answer; a failed lookup never counts as free.
    pub fn check_codes(
        &self,
        name: &str,
        registry: &dyn Registry,
    ) -> Result<CodeSet, RegistryError> {
        let mut codes = self.validate_codes(name);
        if self.with_canonical_key(name, |key| registry.is_taken(key))? {
            codes.insert(Code::Taken);
        }
        Ok(codes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_fields_are_named() {
        let e = Policy::from_toml("max_length = 1\nmin_length = 2").expect_err("bad");
        assert!(e.to_string().contains("max_length"), "{e}");
        let e = Policy::from_toml("max_lenght = 1").expect_err("bad");
        assert!(e.to_string().contains("max_lenght"), "{e}");
        let e = Policy::from_json(r#"{"min_length": "two"}"#).expect_err("bad");
        assert!(e.to_string().contains("line 1"), "{e}");
        let e = Policy::from_toml("base = \"gitlab\"").expect_err("bad");
        assert!(e.to_string().contains("`base`"), "{e}");
        let e = Policy::from_toml("extra_chars = \" \"").expect_err("bad");
        assert!(e.to_string().contains("extra_chars"), "{e}");
        assert!(e.to_string().contains("U+0020"), "{e}");
        assert!(Policy::from_toml("base = \"github-emu\"").is_err());
        assert!(Policy::from_toml("base = \"github-emu\"\nshortcode = \"ac me\"").is_err());
    }

    #[test]
    fn case_sensitive_policies_keep_case() {
        let p = Policy::from_toml("case_sensitive = true\nreserved = [\"Admin\"]").expect("ok");
        assert_eq!(p.canonical_key("JDoe"), "JDoe");
        assert!(p.is_reserved("Admin"));
        assert!(!p.is_reserved("admin"));
    }

    /// Invisible, bidirectional and combining characters once made `admin` + U+202E a valid
    /// name that is not the reserved `admin`: a policy file cannot allow them.
    #[test]
    fn hidden_characters_are_refused_with_their_code_point() {
        for (c, code) in [
            ('\u{200B}', "U+200B"),
            ('\u{202E}', "U+202E"),
            ('\u{FEFF}', "U+FEFF"),
            ('\u{0301}', "U+0301"),
        ] {
            let toml = format!("reserved = [\"admin\"]\nextra_chars = \".{c}\"");
            let e = Policy::from_toml(&toml).expect_err("refused");
            let message = e.to_string();
            assert!(message.contains("`extra_chars`"), "{message}");
            assert!(message.contains(code), "{message}");
            let json = format!(r#"{{"extra_chars": "{c}"}}"#);
            let e = Policy::from_json(&json).expect_err("refused");
            assert!(e.to_string().contains(code), "{e}");
            assert!(matches!(
                e,
                PolicyError::Invalid {
                    field: "extra_chars",
                    ..
                }
            ));
        }
        let e = Policy::from_toml("extra_chars = \"\u{202E}\"").expect_err("refused");
        assert_eq!(
            e.to_string(),
            "policy field `extra_chars`: cannot allow U+202E: allow only printable ASCII, letters \
             and digits"
        );
    }

    #[test]
    fn non_ascii_extra_chars() {
        let p = Policy::from_toml("extra_chars = \"é\"").expect("ok");
        assert!(p.validate("josé").is_valid());
        assert!(p.allowed_description().contains("`é`"));
    }

    /// Policies that exercise every branch of the fast path.
    fn policies() -> Vec<Policy> {
        let custom = "min_length = 3\nmax_length = 12\nextra_chars = \"._é\"\n\
                      reserved = [\"admin\", \"root\"]\nallow_digits_only = true";
        vec![
            Policy::huggingface(),
            Policy::github(),
            Policy::github_emu("acme").expect("shortcode"),
            Policy::from_toml(custom).expect("policy"),
            Policy::from_toml("case_sensitive = true\nreserved = [\"Admin\"]").expect("policy"),
        ]
    }

    /// The fast path and the rules must agree: the fast path may only say "valid" when every
    /// rule finds nothing, and `validate`, `validate_codes` and the rules give the same codes.
    fn assert_paths_agree(policy: &Policy, name: &str) {
        let mut slow = Vec::new();
        rules::check_all(&policy.subject(name), &mut slow);
        if policy.is_plainly_valid(name) {
            assert!(
                slow.is_empty(),
                "{}: fast path passed {name:?}: {slow:?}",
                policy.name()
            );
        }
        let report = policy.validate(name);
        assert_eq!(report.violations, slow, "{}: {name:?}", policy.name());
        assert_eq!(policy.validate_codes(name), report.code_set(), "{name:?}");
    }

    #[test]
    fn fast_path_agrees_with_the_rules() {
        let names = [
            "",
            "a",
            "ab",
            "jd",
            "jdoe",
            "JDoe",
            "jane-doe",
            "-jdoe",
            "jdoe-",
            "-",
            "--",
            "a--b",
            "a-b-c",
            "104233",
            "1",
            "u-104233",
            "john_doe",
            "john.doe",
            "josé",
            "jo sé",
            " jdoe",
            "jdoe ",
            "admin",
            "Admin",
            "root",
            "a\u{0}b",
            "é",
            "éé",
            "王小明",
            "a\u{7f}b",
            &"a".repeat(12),
            &"a".repeat(13),
            &"a".repeat(34),
            &"a".repeat(35),
            &"a".repeat(39),
            &"a".repeat(40),
            &"a".repeat(42),
            &"a".repeat(43),
            &"é".repeat(21),
            &"é".repeat(22),
        ];
        for policy in policies() {
            for name in names {
                assert_paths_agree(&policy, name);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_on_name_like_strings(name in "[a-zA-Z0-9_. é-]{0,45}") {
            for policy in policies() {
                assert_paths_agree(&policy, &name);
            }
        }

        #[test]
        fn fast_path_agrees_on_any_string(name in proptest::prelude::any::<String>()) {
            for policy in policies() {
                assert_paths_agree(&policy, &name);
            }
        }
    }

    #[test]
    fn canonical_key_on_the_stack_matches_canonical_key() {
        let long = format!("{}X", "a".repeat(70));
        for policy in policies() {
            for name in ["jdoe", "JDoe", "JOSÉ", "", &long, &long.to_lowercase()] {
                let key = policy.with_canonical_key(name, str::to_owned);
                assert_eq!(key, policy.canonical_key(name), "{name}");
            }
        }
    }

    #[test]
    fn long_reserved_names_are_found() {
        let long = "a".repeat(80);
        let p =
            Policy::from_toml(&format!("max_length = 100\nreserved = [\"{long}\"]")).expect("ok");
        assert!(p.is_reserved(&long.to_uppercase()));
    }

    /// `is_reserved` compares the name's bytes, lowercased as it goes, with the sorted keys:
    /// the same answer as looking up its canonical key.
    #[test]
    fn reserved_names_are_found_by_canonical_key() {
        let reserved = r#"reserved = ["admin", "Root", "josé", "a-b", "ab", "abc", "zz"]"#;
        for sensitive in [false, true] {
            let toml = format!("{reserved}\ncase_sensitive = {sensitive}\nextra_chars = \"é\"");
            let p = Policy::from_toml(&toml).expect("policy");
            let keys: Vec<String> = ["admin", "Root", "josé", "a-b", "ab", "abc", "zz"]
                .iter()
                .map(|r| p.canonical_key(r).into_owned())
                .collect();
            for name in [
                "admin", "ADMIN", "Root", "root", "JOSÉ", "josé", "Josè", "a-b", "a", "abcd", "Zz",
                "",
            ] {
                let want = keys.contains(&p.canonical_key(name).into_owned());
                assert_eq!(
                    p.is_reserved(name),
                    want,
                    "{name} (case-sensitive {sensitive})"
                );
            }
        }
    }
}
