//! The org as it is before a provisioning cycle: its members with their identities (the
//! `externalId` the identity provider matches on, and whether each is `active`), indexed by
//! canonical userName key and by externalId.
//!
//! A snapshot comes from a members file ([`read_members`](crate::read_members): a plain list,
//! a CSV with `userName` and, when present, `externalId` and `active` columns, or SCIM-like
//! JSON) or from a live SCIM endpoint (the `usernorm-scim` crate). A plain list, or a CSV
//! without an `externalId` column, says nothing about identities: [`OrgSnapshot::has_identities`]
//! is then `false`, and a provisioning plan cannot match rows to members.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::Policy;
use crate::registry::{Registry, RegistryError};

/// One member of the org, as a members file or a SCIM endpoint lists it.
///
/// ```
/// use usernorm::Member;
///
/// let m = Member::new("JDoe").with_external_id("e2a214e8-bbe9-4675-9d52-490575ffc53d");
/// assert_eq!(m.user_name, "JDoe");
/// assert_eq!(m.active, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The member's `userName`, surrounding whitespace trimmed.
    pub user_name: String,
    /// The `externalId` the identity provider set (Entra: the user's objectId), or `None`
    /// when the member has none: someone who joined by SSO login before SCIM, say.
    pub external_id: Option<String>,
    /// Whether the member is active; `None` when the source does not say.
    pub active: Option<bool>,
    /// The service's own `id` of the member (SCIM `id`), where known.
    pub id: Option<String>,
    /// The 1-based line of the members file the member was read from (for JSON, the line
    /// where its object starts); `None` for members that did not come from a file.
    pub line: Option<usize>,
}

impl Member {
    /// A member with only a userName.
    pub fn new(user_name: impl Into<String>) -> Member {
        Member {
            user_name: user_name.into(),
            external_id: None,
            active: None,
            id: None,
            line: None,
        }
    }

    /// The member with this `externalId`.
    #[must_use]
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Member {
        self.external_id = Some(external_id.into());
        self
    }

    /// The member with this `active` flag.
    #[must_use]
    pub fn with_active(mut self, active: bool) -> Member {
        self.active = Some(active);
        self
    }
}

/// Where a list of members came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MembersSource {
    /// A plain list of names, one a line.
    List,
    /// A CSV with a header.
    Csv,
    /// SCIM-like JSON: JSON lines, an array, or a SCIM `ListResponse`.
    Json,
    /// A live SCIM endpoint.
    Scim,
}

/// Members as read, before they are indexed into an [`OrgSnapshot`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Members {
    /// The members, in the order of the source.
    pub members: Vec<Member>,
    /// Where they came from.
    pub source: MembersSource,
    /// Whether the source carries identities: a CSV with an `externalId` column, JSON, or
    /// SCIM. A member without an `externalId` in such a source is one the identity provider
    /// cannot match; in a source without identities nothing can be matched.
    pub identities: bool,
}

impl Members {
    /// Members known by name only (a plain list): no identities.
    ///
    /// ```
    /// let members = usernorm::Members::from_names(["jdoe", "asmith"]);
    /// assert!(!members.identities);
    /// assert_eq!(members.members[1].user_name, "asmith");
    /// ```
    pub fn from_names<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Members {
        Members {
            members: names.into_iter().map(Member::new).collect(),
            source: MembersSource::List,
            identities: false,
        }
    }

    /// The members' userNames, in order.
    pub fn names(&self) -> Vec<String> {
        self.members.iter().map(|m| m.user_name.clone()).collect()
    }
}

/// The key two externalIds are compared by.
///
/// RFC 7643 makes `externalId` case-exact, and a SCIM server filters it so
/// (`externalId eq "…"`): any value is compared exactly. The exception is a GUID (8-4-4-4-12
/// hexadecimal digits, as Entra's objectIds are): its letters carry no meaning in their case,
/// Entra sends objectIds in lowercase (as Graph's `id`), and the tools an export passes
/// through may show them in uppercase, so a GUID's key is its ASCII lowercase. Borrows when
/// nothing changes.
///
/// ```
/// use usernorm::external_id_key;
///
/// assert_eq!(
///     external_id_key("E2A214E8-BBE9-4675-9D52-490575FFC53D"),
///     "e2a214e8-bbe9-4675-9d52-490575ffc53d"
/// );
/// // Not a GUID: exact, as RFC 7643 says.
/// assert_eq!(external_id_key("EMP-0042"), "EMP-0042");
/// ```
pub fn external_id_key(external_id: &str) -> Cow<'_, str> {
    if is_guid(external_id) && external_id.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(external_id.to_ascii_lowercase())
    } else {
        Cow::Borrowed(external_id)
    }
}

/// Whether the text is a GUID in its usual form: 8-4-4-4-12 hexadecimal digits.
fn is_guid(text: &str) -> bool {
    let bytes = text.as_bytes();
    // The dashes first, then every byte a dash or a hex digit (a loop with no branch on the
    // position, which the compiler vectorizes): run for every row of an audit.
    bytes.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| bytes.get(i) == Some(&b'-'))
        && bytes.iter().all(|b| *b == b'-' || b.is_ascii_hexdigit())
        && bytes.iter().filter(|&&b| b == b'-').count() == 4
}

/// The org's members, indexed by canonical userName key (as the [`Policy`] compares names)
/// and by externalId (see [`external_id_key`]).
///
/// Two members with one externalId are what Entra reports as `DuplicateTargetEntries` (it
/// cannot tell which to update); two with one userName key cannot both exist in a service
/// that enforces uniqueness, so a file that has them is stale or wrong. Both are reported,
/// never resolved silently: lookups return every holder.
///
/// As a [`Registry`], a snapshot holds every member's userName.
///
/// ```
/// use usernorm::{Member, Members, MembersSource, OrgSnapshot, Policy};
///
/// let members = Members {
///     members: vec![
///         Member::new("JDoe").with_external_id("e2a214e8-bbe9-4675-9d52-490575ffc53d"),
///         Member::new("asmith"), // joined by SSO before SCIM: no externalId
///         Member::new("bob").with_external_id("emp-7").with_active(false),
///         Member::new("rob").with_external_id("emp-7"),
///     ],
///     source: MembersSource::Csv,
///     identities: true,
/// };
/// let org = OrgSnapshot::new(&Policy::huggingface(), members);
/// assert!(org.has_identities());
/// // By canonical key: case does not matter to Hugging Face.
/// assert_eq!(org.by_user_name("jdoe")[0].user_name, "JDoe");
/// // By externalId: a GUID in any case, anything else exactly.
/// let m = org.by_external_id("E2A214E8-BBE9-4675-9D52-490575FFC53D");
/// assert_eq!(m[0].user_name, "JDoe");
/// assert!(org.by_external_id("EMP-7").is_empty());
/// // Two members with one externalId: Entra's DuplicateTargetEntries.
/// let dups = org.duplicate_external_ids();
/// assert_eq!(dups.len(), 1);
/// assert_eq!(dups[0].iter().map(|m| m.user_name.as_str()).collect::<Vec<_>>(), ["bob", "rob"]);
/// ```
#[derive(Debug, Clone)]
pub struct OrgSnapshot {
    policy: Policy,
    members: Vec<Member>,
    source: MembersSource,
    identities: bool,
    by_key: HashMap<String, Vec<usize>>,
    by_external_id: HashMap<String, Vec<usize>>,
    /// The keys held by more than one member, in the order their second holder came.
    duplicate_keys: Vec<String>,
    duplicate_external_ids: Vec<String>,
}

impl OrgSnapshot {
    /// Indexes the members under the policy's canonical keys. An empty or blank externalId
    /// counts as none.
    pub fn new(policy: &Policy, members: Members) -> OrgSnapshot {
        let Members {
            mut members,
            source,
            identities,
        } = members;
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::with_capacity(members.len());
        let mut by_external_id: HashMap<String, Vec<usize>> = HashMap::new();
        let (mut duplicate_keys, mut duplicate_external_ids) = (Vec::new(), Vec::new());
        for (i, member) in members.iter_mut().enumerate() {
            if member
                .external_id
                .as_deref()
                .is_some_and(|id| id.trim().is_empty())
            {
                member.external_id = None;
            }
            let key = policy.canonical_key(&member.user_name).into_owned();
            let holders = by_key.entry(key.clone()).or_default();
            holders.push(i);
            if holders.len() == 2 {
                duplicate_keys.push(key);
            }
            if let Some(id) = &member.external_id {
                let key = external_id_key(id).into_owned();
                let holders = by_external_id.entry(key.clone()).or_default();
                holders.push(i);
                if holders.len() == 2 {
                    duplicate_external_ids.push(key);
                }
            }
        }
        OrgSnapshot {
            policy: policy.clone(),
            members,
            source,
            identities,
            by_key,
            by_external_id,
            duplicate_keys,
            duplicate_external_ids,
        }
    }

    /// A snapshot of names only (a plain list): no identities, so nothing can be matched.
    ///
    /// ```
    /// let org = usernorm::OrgSnapshot::from_names(&usernorm::Policy::huggingface(), ["jdoe"]);
    /// assert!(!org.has_identities());
    /// assert_eq!(org.by_user_name("JDOE").len(), 1);
    /// ```
    pub fn from_names<S: Into<String>>(
        policy: &Policy,
        names: impl IntoIterator<Item = S>,
    ) -> OrgSnapshot {
        OrgSnapshot::new(policy, Members::from_names(names))
    }

    /// Every member, in the order of the source.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Where the members came from.
    pub fn source(&self) -> MembersSource {
        self.source
    }

    /// Whether the source carries identities (see [`Members::identities`]): when `false`,
    /// rows cannot be matched to members and a plan should say matching is off.
    pub fn has_identities(&self) -> bool {
        self.identities
    }

    /// The policy whose canonical keys index the names.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The members whose userName has the same canonical key as `name` (usually one, or
    /// none), in the order of the source.
    pub fn by_user_name(&self, name: &str) -> Vec<&Member> {
        self.by_key(&self.policy.canonical_key(name))
    }

    /// The members holding this canonical key (see [`Policy::canonical_key`]).
    pub fn by_key(&self, key: &str) -> Vec<&Member> {
        self.holders(self.by_key.get(key))
    }

    /// The members whose externalId matches `external_id` (compared by [`external_id_key`]),
    /// in the order of the source: none, one, or several (Entra's `DuplicateTargetEntries`).
    /// Whether a member's externalId is exactly the one asked is for the caller to see, in
    /// [`Member::external_id`]. A blank `external_id` matches nothing.
    pub fn by_external_id(&self, external_id: &str) -> Vec<&Member> {
        if external_id.trim().is_empty() {
            return Vec::new();
        }
        self.holders(
            self.by_external_id
                .get(external_id_key(external_id).as_ref()),
        )
    }

    /// The groups of members that share one externalId, each in the order of the source,
    /// the groups in the order they were found. Entra fails such a user with
    /// `DuplicateTargetEntries`.
    pub fn duplicate_external_ids(&self) -> Vec<Vec<&Member>> {
        (self.duplicate_external_ids.iter())
            .map(|key| self.holders(self.by_external_id.get(key)))
            .collect()
    }

    /// The groups of members that share one canonical userName key.
    pub fn duplicate_user_names(&self) -> Vec<Vec<&Member>> {
        (self.duplicate_keys.iter())
            .map(|key| self.holders(self.by_key.get(key)))
            .collect()
    }

    /// The members with no externalId (never matched by an identity provider that matches
    /// on it: SSO joiners, accounts made by hand).
    pub fn without_external_id(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| m.external_id.is_none())
    }

    /// The positions in [`OrgSnapshot::members`] of the members holding a canonical key.
    ///
    /// ```
    /// use usernorm::{OrgSnapshot, Policy};
    ///
    /// let org = OrgSnapshot::from_names(&Policy::huggingface(), ["ann", "Bob"]);
    /// assert_eq!(org.indices_by_key("bob"), [1]);
    /// assert!(org.indices_by_key("eve").is_empty());
    /// ```
    pub fn indices_by_key(&self, key: &str) -> &[usize] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// The positions in [`OrgSnapshot::members`] of the members with an externalId, compared
    /// by [`external_id_key`].
    ///
    /// ```
    /// use usernorm::{Member, Members, MembersSource, OrgSnapshot, Policy};
    ///
    /// let members = Members {
    ///     members: vec![Member::new("ann").with_external_id("A1B2C3D4-0000-0000-0000-000000000000")],
    ///     source: MembersSource::Csv,
    ///     identities: true,
    /// };
    /// let org = OrgSnapshot::new(&Policy::huggingface(), members);
    /// assert_eq!(org.indices_by_external_id("a1b2c3d4-0000-0000-0000-000000000000"), [0]);
    /// ```
    pub fn indices_by_external_id(&self, external_id: &str) -> &[usize] {
        if external_id.trim().is_empty() {
            return &[];
        }
        (self
            .by_external_id
            .get(external_id_key(external_id).as_ref()))
        .map_or(&[], Vec::as_slice)
    }

    fn holders(&self, indices: Option<&Vec<usize>>) -> Vec<&Member> {
        indices
            .into_iter()
            .flatten()
            .filter_map(|&i| self.members.get(i))
            .collect()
    }
}

impl Registry for OrgSnapshot {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        Ok(self.by_key.contains_key(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(members: Vec<Member>) -> OrgSnapshot {
        OrgSnapshot::new(
            &Policy::huggingface(),
            Members {
                members,
                source: MembersSource::Json,
                identities: true,
            },
        )
    }

    #[test]
    fn guids_compare_in_any_case_and_other_ids_exactly() {
        assert!(is_guid("e2a214e8-bbe9-4675-9d52-490575ffc53d"));
        assert!(!is_guid("e2a214e8bbe946759d52490575ffc53d"));
        assert!(!is_guid("{e2a214e8-bbe9-4675-9d52-490575ffc53}"));
        assert!(!is_guid("g2a214e8-bbe9-4675-9d52-490575ffc53d"));
        let o = org(vec![
            Member::new("a").with_external_id("E2A214E8-BBE9-4675-9D52-490575FFC53D"),
            Member::new("b").with_external_id("Emp-1"),
        ]);
        assert_eq!(
            o.by_external_id("e2a214e8-bbe9-4675-9d52-490575ffc53d")
                .len(),
            1
        );
        assert_eq!(o.by_external_id("Emp-1").len(), 1);
        assert!(o.by_external_id("emp-1").is_empty());
        assert!(o.by_external_id(" ").is_empty());
    }

    #[test]
    fn blank_external_ids_are_none_and_never_duplicates() {
        let o = org(vec![
            Member::new("a").with_external_id(""),
            Member::new("b").with_external_id("  "),
            Member::new("c"),
        ]);
        assert!(o.duplicate_external_ids().is_empty());
        assert_eq!(o.without_external_id().count(), 3);
        assert!(o.by_external_id("").is_empty());
    }

    #[test]
    fn duplicates_are_reported_on_both_keys_in_order() {
        let o = org(vec![
            Member::new("JDoe").with_external_id("x"),
            Member::new("amy").with_external_id("y"),
            Member::new("jdoe").with_external_id("y"),
            Member::new("JDOE"),
        ]);
        let names = |groups: Vec<Vec<&Member>>| -> Vec<Vec<String>> {
            (groups.into_iter())
                .map(|g| g.into_iter().map(|m| m.user_name.clone()).collect())
                .collect()
        };
        assert_eq!(names(o.duplicate_user_names()), [["JDoe", "jdoe", "JDOE"]]);
        assert_eq!(names(o.duplicate_external_ids()), [["amy", "jdoe"]]);
        assert_eq!(o.by_user_name("jDoE").len(), 3);
        assert!(o.is_taken("jdoe").unwrap_or(false));
        assert!(
            !o.is_taken("JDoe").unwrap_or(true),
            "asked by key, lowercase"
        );
    }

    #[test]
    fn case_sensitive_policies_keep_names_apart() {
        let policy = Policy::from_toml("case_sensitive = true").expect("policy");
        let o = OrgSnapshot::from_names(&policy, ["JDoe", "jdoe"]);
        assert!(o.duplicate_user_names().is_empty());
        assert_eq!(o.by_user_name("JDoe").len(), 1);
    }
}
