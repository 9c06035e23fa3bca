//! The provisioning plan (SPEC section 8): which member of the org each row matches, and what
//! the identity provider would do with the row in its next cycle.
//!
//! The rules, for Entra with Hugging Face's mapping (the row's objectId against the members'
//! `externalId`):
//!
//! | the row | matches a member | action | status |
//! |---|---|---|---|
//! | enabled, same name (case-insensitively) | yes | update | ok |
//! | enabled, another name | yes | rename | checked as a create's |
//! | disabled | yes | disable | ok |
//! | enabled | no | create | `taken` only when another identity holds the name |
//! | disabled, or out of scope | no | skip | skipped |
//! | without the matching value | - | skip | skipped |
//!
//! Two rows with one matching value (`DuplicateSourceEntries`), or a row matching two members
//! (`DuplicateTargetEntries`), are errors. A name that a member's rename frees and another row
//! wants is `taken`, with a message that says the outcome depends on the provider's order.
//!
//! ```
//! use usernorm::audit::{Action, Audit, Column, Plan, Status};
//! use usernorm::{Member, Members, MembersSource, OrgSnapshot, Policy};
//!
//! let policy = Policy::huggingface();
//! let org = OrgSnapshot::new(&policy, Members {
//!     members: vec![
//!         Member::new("ann").with_external_id("1"),
//!         Member::new("bob").with_external_id("2"),
//!         Member::new("eve"),
//!     ],
//!     source: MembersSource::Csv,
//!     identities: true,
//! });
//! let plan = Plan::new(&org);
//! let csv = "id,user,accountEnabled\n1,ann,true\n2,bobby,true\n3,eve,true\n4,zoe,false\n";
//! let mut checked = Audit::new(&policy, &org).plan(&plan).run(csv.as_bytes(), &mut Column::new("user"))?;
//! let records: Vec<_> = checked.records().collect::<Result<_, _>>()?;
//! let plan: Vec<_> = records.iter().map(|r| (r.action, r.status, r.current_username.as_str())).collect();
//! assert_eq!(plan, [
//!     (Action::Update, Status::Ok, "ann"),
//!     (Action::Rename, Status::Ok, "bob"),
//!     (Action::Create, Status::Taken, ""),
//!     (Action::Skip, Status::Skipped, ""),
//! ]);
//! # Ok::<(), usernorm::audit::AuditError>(())
//! ```

use serde::Serialize;

use super::record::Action;
use crate::OrgSnapshot;

/// How the identity provider finds the member a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Matching {
    /// The row's matching value (Entra: its objectId) against the members' `externalId`; a row
    /// that finds none is created. Entra with Hugging Face's mapping.
    ExternalId,
    /// The `externalId` first (an account linked before), then the row's username against the
    /// members' `userName`: a member found by name is linked to, not created, so a name held
    /// by another person's account merges the two (Okta).
    ExternalIdThenUserName,
    /// The row's username against the members' `userName` only: a member found is updated
    /// (Google, or an Entra schema that matches on `userName`).
    UserName,
}

/// The settings of the provisioning plan: the org as it is, how rows are matched to its
/// members and whether a matched row's new name is applied, for [`Audit::plan`](super::Audit::plan).
/// The rules are SPEC section 8's.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub(super) org: &'a OrgSnapshot,
    pub(super) matching: Matching,
    pub(super) renames: bool,
    pub(super) provider: &'static str,
    pub(super) match_column: Option<String>,
    pub(super) warnings: Vec<String>,
}

impl<'a> Plan<'a> {
    /// Entra's plan with Hugging Face's mapping over `org`: rows matched by their `id`/`objectId`
    /// against the members' `externalId`, and new names applied to matched members (the
    /// mapping's `Always`).
    pub fn new(org: &'a OrgSnapshot) -> Plan<'a> {
        Plan {
            org,
            matching: Matching::ExternalId,
            renames: true,
            provider: "Entra",
            match_column: None,
            warnings: Vec::new(),
        }
    }

    /// How rows are matched to members.
    #[must_use]
    pub fn matching(mut self, matching: Matching) -> Self {
        self.matching = matching;
        self
    }

    /// Whether a matched member is renamed when the mapping gives another name: `false` when
    /// userName applies only on creation (Entra's `ObjectAddOnly`).
    #[must_use]
    pub fn renames(mut self, renames: bool) -> Self {
        self.renames = renames;
        self
    }

    /// The provider's name, for messages ("Entra", "Okta", "Google").
    #[must_use]
    pub fn provider(mut self, name: &'static str) -> Self {
        self.provider = name;
        self
    }

    /// The column holding the row's matching value, when it is not the `id`/`objectId`
    /// column (an Entra schema that sets `externalId` from another attribute); the report's
    /// `id` is then this column's value.
    #[must_use]
    pub fn match_column(mut self, column: impl Into<String>) -> Self {
        self.match_column = Some(column.into());
        self
    }

    /// A warning about the configuration for the summary (say, that the schema deletes
    /// accounts).
    #[must_use]
    pub fn warning(mut self, warning: impl Into<String>) -> Self {
        self.warnings.push(warning.into());
        self
    }

    /// Whether rows are matched by their ids: the org carries identities and the matching
    /// looks at them.
    pub(super) fn by_id(&self) -> bool {
        self.org.has_identities() && self.matching != Matching::UserName
    }

    /// The matching in words, for the summary.
    pub(super) fn describe(&self) -> String {
        let by_name = "the username against the members' userName";
        match (self.by_id(), self.matching) {
            (false, _) if self.org.is_empty() && !self.org.has_identities() => {
                "off: no members of the org were given, so every enabled row is a create".to_owned()
            }
            (false, Matching::UserName) => format!("{by_name} ({})", self.provider),
            (false, _) => format!(
                "off: the members list has no externalId, so {} cannot match rows to members; \
                 every enabled row is a create, and a member's name is taken",
                self.provider
            ),
            (true, Matching::ExternalId) => format!(
                "the row's {} against the members' externalId ({})",
                self.match_column.as_deref().unwrap_or("id"),
                self.provider
            ),
            (true, _) => format!(
                "the row's {} against the members' externalId, then {by_name} ({})",
                self.match_column.as_deref().unwrap_or("id"),
                self.provider
            ),
        }
    }
}

/// Whether a row's account is active, as the export says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum AccountState {
    #[default]
    Active,
    /// Disabled, suspended or deprovisioned: deactivated when matched, never created.
    Disabled,
    /// Out of the sync's scope (Google's archived users).
    OutOfScope,
}

/// Which column says whether an account is active, and how to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StateColumn {
    /// Entra's `accountEnabled`: `false` is disabled.
    Enabled(usize),
    /// `IsSoftDeleted`: `true` is disabled.
    SoftDeleted(usize),
    /// Okta's `status` (`SUSPENDED`, `DEPROVISIONED`) or Google's `Status` (`Suspended`,
    /// `Archived`).
    Status(usize),
}

impl StateColumn {
    /// The column of a header that says whether an account is active, if any.
    pub(super) fn find(header: &super::Header) -> Option<StateColumn> {
        (header.index("accountEnabled").map(StateColumn::Enabled))
            .or_else(|| header.index("IsSoftDeleted").map(StateColumn::SoftDeleted))
            .or_else(|| header.index("status").map(StateColumn::Status))
    }

    pub(super) fn column(self) -> usize {
        match self {
            StateColumn::Enabled(c) | StateColumn::SoftDeleted(c) | StateColumn::Status(c) => c,
        }
    }

    /// The state a field of this column gives.
    pub(super) fn read(self, field: &str) -> AccountState {
        let field = field.trim();
        let is = |word: &str| field.eq_ignore_ascii_case(word);
        match self {
            StateColumn::Enabled(_) if is("false") || is("no") || field == "0" => {
                AccountState::Disabled
            }
            StateColumn::SoftDeleted(_) if is("true") || is("yes") || field == "1" => {
                AccountState::Disabled
            }
            StateColumn::Status(_) if is("suspended") || is("deprovisioned") => {
                AccountState::Disabled
            }
            StateColumn::Status(_) if is("archived") => AccountState::OutOfScope,
            _ => AccountState::Active,
        }
    }
}

/// Rows per action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct ActionCounts {
    pub create: u64,
    pub update: u64,
    pub rename: u64,
    pub disable: u64,
    pub skip: u64,
}

impl ActionCounts {
    /// The count of one action.
    pub fn get(&self, action: Action) -> u64 {
        match action {
            Action::Create => self.create,
            Action::Update => self.update,
            Action::Rename => self.rename,
            Action::Disable => self.disable,
            Action::Skip => self.skip,
        }
    }

    pub(super) fn add(&mut self, action: Action) {
        match action {
            Action::Create => self.create += 1,
            Action::Update => self.update += 1,
            Action::Rename => self.rename += 1,
            Action::Disable => self.disable += 1,
            Action::Skip => self.skip += 1,
        }
    }
}

/// A member of the org that no row of the export matches: the provider leaves it as it is
/// (unless it was taken out of the sync's scope, when it is deactivated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbsentMember {
    /// The member's userName.
    pub user_name: String,
    /// Its externalId, if any.
    pub external_id: Option<String>,
    /// Whether it is active, where known.
    pub active: Option<bool>,
}

/// The plan in figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    /// The identity provider the plan is for.
    pub provider: String,
    /// How rows are matched to members, in words.
    pub matching: String,
    /// Whether rows were matched by identity (the members carry externalIds).
    pub matched_by_id: bool,
    /// Rows per action.
    pub actions: ActionCounts,
    /// Rows whose name a member's rename in the same cycle frees: `taken`, and whether the
    /// provider frees it first is a matter of its order.
    pub conflicts: u64,
    /// Members no row matches, in the order of the snapshot.
    pub absent: Vec<AbsentMember>,
    /// Warnings about the configuration and the org (a schema that deletes accounts, members
    /// sharing an externalId).
    pub warnings: Vec<String>,
}

/// The plan's facts about one row.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cell {
    pub(super) action: Action,
    /// The member the row matches (its current userName is the row's), or `NONE`.
    pub(super) matched: u32,
    /// For a row whose name a member holds, that member, or `NONE`.
    pub(super) holder: u32,
}

/// No member.
pub(super) const NONE: u32 = u32::MAX;

impl Cell {
    pub(super) const CREATE: Cell = Cell {
        action: Action::Create,
        matched: NONE,
        holder: NONE,
    };
}

/// What the second phase reads of the plan: a cell per row and the members' names.
#[derive(Debug, Default)]
pub(super) struct PlanRows {
    pub(super) cells: Vec<Cell>,
    /// The members' userNames and externalIds, by index.
    pub(super) members: Vec<(String, Option<String>)>,
    /// For each member, the row that matched it, or `NONE`.
    pub(super) matched_by: Vec<u32>,
    pub(super) provider: &'static str,
    /// Whether a member found by name is linked to (Okta): a name held by another person's
    /// account is a merge.
    pub(super) links: bool,
    /// Whether rows are matched by identity.
    pub(super) by_id: bool,
}

impl PlanRows {
    pub(super) fn cell(&self, index: u32) -> Cell {
        self.cells
            .get(index as usize)
            .copied()
            .unwrap_or(Cell::CREATE)
    }

    pub(super) fn member(&self, member: u32) -> Option<&(String, Option<String>)> {
        self.members.get(member as usize)
    }

    /// The userName of the member the row matches, or "".
    pub(super) fn current(&self, index: u32) -> &str {
        self.member(self.cell(index).matched)
            .map_or("", |(name, _)| name.as_str())
    }

    /// Why a `taken` row's name is not free, when the plan knows who holds it.
    pub(super) fn taken_message(&self, index: u32, name: &str) -> Option<String> {
        let cell = self.cell(index);
        let (held, external_id) = self.member(cell.holder)?;
        let provider = self.provider;
        if let Some(row) = self.renamed_away(cell.holder, index) {
            return Some(format!(
                "`{name}` is held by member `{held}`, whom row {} renames in this cycle: whether \
                 {provider} frees it before this row's {} depends on its order; choose another \
                 name, or sync again once the rename is done",
                row + 1,
                cell.action
            ));
        }
        if self.links && cell.action == Action::Update {
            let whose = match external_id {
                Some(id) => format!("another person's account (externalId `{id}`)"),
                None => "an account with no externalId".to_owned(),
            };
            return Some(format!(
                "merge risk: `{name}` is the userName of member `{held}`, {whose}: {provider} \
                 would link this person to that account and overwrite it; give this person \
                 another name"
            ));
        }
        if !self.by_id {
            return None;
        }
        Some(match external_id {
            None => format!(
                "`{name}` is held by member `{held}`, who has no externalId (joined by SSO login \
                 before SCIM?): {provider} cannot match them, so the {} fails (EntryConflict); \
                 choose another name, or set that member's externalId if it is this person",
                cell.action
            ),
            Some(id) => format!(
                "`{name}` is held by member `{held}`, another identity (externalId `{id}`): the \
                 {} fails (EntryConflict); choose another name",
                cell.action
            ),
        })
    }

    /// Why a `duplicate` row's name is not free, when the provider links by name.
    pub(super) fn duplicate_message(&self, name: &str, first: usize) -> Option<String> {
        self.links.then(|| {
            format!(
                "merge risk: `{name}` was already produced by row {first}: {} would link this \
                 person to the account it makes for row {first}; give this person another name",
                self.provider
            )
        })
    }

    /// For a row whose name `holder` holds: the row that renames that member away, if one
    /// does (then whether the name is free when this row's turn comes depends on the order).
    pub(super) fn renamed_away(&self, holder: u32, index: u32) -> Option<u32> {
        let row = *self.matched_by.get(holder as usize)?;
        (row != NONE && row != index && self.cell(row).action == Action::Rename).then_some(row)
    }
}
