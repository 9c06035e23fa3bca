//! The plan's half of the claim step: each row matched to a member of the org as it is
//! claimed, in row order, and the plan in figures once every row is in.

use super::arena::Span;
use super::claims::RowIndex;
use super::plan::{AbsentMember, AccountState, Cell, Matching, NONE, Plan, PlanRows, PlanSummary};
use super::record::{Action, Status};
use super::store::{Note, Store, slice};
use crate::{Code, Warning, external_id_key};

/// The plan's state in the first phase.
#[derive(Default)]
pub(super) struct Planner<'a> {
    pub(super) plan: Option<&'a Plan<'a>>,
    pub(super) rows: PlanRows,
    /// Rows with a matching value, by its key's hash (for `DuplicateSourceEntries`).
    ids: RowIndex,
    /// (first row, later row) of every matching value two rows have.
    dup_sources: Vec<(u32, u32)>,
    /// Whether the export has the matching value's column (looked up once, on the first row).
    knows_column: Option<bool>,
}

/// What the plan decides of a row before its name is looked at.
pub(super) enum Decision {
    /// The provider leaves the row alone, for this reason.
    Skip(String),
    /// The matched member is deactivated.
    Disable(u32),
    /// The provider fails on the row whatever its name: the message, and the member matched.
    Fail(String, u32),
    /// The name decides: a create, or for a matched member an update or a rename.
    Go(Option<u32>),
}

impl Decision {
    /// The status, action, matched member and message of a row the plan decided without
    /// its name (skipped, disabled or failed).
    pub(super) fn outcome(self) -> (Status, Action, u32, Option<String>) {
        match self {
            Decision::Skip(reason) => (Status::Skipped, Action::Skip, NONE, Some(reason)),
            Decision::Disable(member) => (Status::Ok, Action::Disable, member, None),
            Decision::Fail(message, NONE) => (Status::Error, Action::Create, NONE, Some(message)),
            Decision::Fail(message, member) => {
                (Status::Error, Action::Update, member, Some(message))
            }
            Decision::Go(Some(member)) => (Status::Ok, Action::Update, member, None),
            Decision::Go(None) => (Status::Ok, Action::Create, NONE, None),
        }
    }
}

impl<'a> Planner<'a> {
    pub(super) fn new(plan: Option<&'a Plan<'a>>) -> Planner<'a> {
        let mut rows = PlanRows {
            provider: plan.map_or("Entra", |p| p.provider),
            links: plan.is_some_and(|p| p.matching == Matching::ExternalIdThenUserName),
            ..PlanRows::default()
        };
        if let Some(plan) = plan {
            rows.members = (plan.org.members().iter())
                .map(|m| (m.user_name.clone(), m.external_id.clone()))
                .collect();
            rows.matched_by = vec![NONE; rows.members.len()];
            rows.by_id = plan.by_id();
        }
        Planner {
            plan,
            rows,
            ids: RowIndex::default(),
            dup_sources: Vec::new(),
            knows_column: None,
        }
    }
}

impl Store<'_, '_> {
    /// The plan's decision for the row about to be pushed (at index `metas.len()`), from its
    /// matching value (`id`, in the text), its account state and, for a valid name, its
    /// canonical key.
    pub(super) fn decide(&mut self, id: Span, state: AccountState, key: Option<Span>) -> Decision {
        let index = self.metas.len() as u32;
        let provider = self.planner.rows.provider;
        let Some(plan) = self.planner.plan else {
            return match state {
                AccountState::Active => Decision::Go(None),
                _ => Decision::Skip(skip_reason(provider, state)),
            };
        };
        let key = key.map(|k| self.texts.get(k));
        let mut matched = match plan.matching {
            // The member the row's name finds is the row's.
            Matching::UserName => key
                .and_then(|k| plan.org.indices_by_key(k).first())
                .map(|&m| m as u32),
            _ => None,
        };
        let id = self.texts.get(id).trim();
        // The provider skips a row without the matching value whatever the org holds: also
        // when the members carry no identities (or there are none), provided the export has
        // the column (the row's first field stands in for none).
        let knows_column = match self.planner.knows_column {
            Some(known) => known,
            None => {
                let known = plan.by_id() || self.has_match_column(plan);
                self.planner.knows_column = Some(known);
                known
            }
        };
        if id.is_empty() && plan.matching == Matching::ExternalId && knows_column {
            return Decision::Skip(format!(
                "the row has no value for the matching attribute: {provider} skips it \
                 (ImportSkipped)"
            ));
        }
        // Two rows with one matching value fail (DuplicateSourceEntries), and the members are
        // looked up, when rows are matched by identity. Without identities nothing is matched,
        // and looking every row's id up (a miss of the cache a row, a third of an audit of a
        // million rows against no members) would only catch an export that repeats a user.
        if plan.by_id() && !id.is_empty() {
            let id_key = external_id_key(id);
            let hash = self.hash.str(&id_key);
            // The member (or members) the value matches, whatever else is wrong with the row.
            let members = match plan.by_id() {
                true => plan.org.indices_by_external_id(id),
                false => &[],
            };
            let target = match members {
                [] => Ok(None),
                [one] => Ok(Some(*one as u32)),
                [first, second, ..] => {
                    let name = |i: usize| {
                        plan.org
                            .members()
                            .get(i)
                            .map_or("", |m| m.user_name.as_str())
                    };
                    Err((
                        format!(
                            "members `{}` and `{}` both have externalId `{id}`: {provider} \
                                 fails the row (DuplicateTargetEntries); remove the stray account",
                            name(*first),
                            name(*second)
                        ),
                        *first as u32,
                    ))
                }
            };
            let same =
                |row| external_id_key(slice(&self.texts, &self.metas, row).0.trim()) == id_key;
            if let Some(first) = self.planner.ids.find(hash, same) {
                let message = format!(
                    "rows {} and {} have the same matching value `{id}`: {provider} \
                         provisions neither (DuplicateSourceEntries)",
                    first + 1,
                    index + 1
                );
                self.planner.dup_sources.push((first, index));
                let member = match target {
                    Ok(member) => member.unwrap_or(NONE),
                    Err((_, first)) => first,
                };
                return Decision::Fail(message, member);
            }
            self.planner.ids.insert(hash, index);
            match target {
                Ok(None) => {}
                Ok(Some(one)) => matched = Some(one),
                Err((message, first)) => return Decision::Fail(message, first),
            }
        }
        match (state, matched) {
            (AccountState::Active, matched) => Decision::Go(matched),
            (AccountState::Disabled, Some(member)) => Decision::Disable(member),
            (state, _) => Decision::Skip(skip_reason(provider, state)),
        }
    }

    /// Whether the export has the column of the matching value: the plan's, else `id` (or
    /// `objectId`) or `externalId`.
    fn has_match_column(&self, plan: &Plan<'_>) -> bool {
        let header = self.header;
        match plan.match_column.as_deref() {
            Some(column) => header.index(column).is_some(),
            None => header
                .index("id")
                .or_else(|| header.index("externalId"))
                .is_some(),
        }
    }

    /// Takes back a [`Store::count`] of a row that turned out otherwise.
    fn uncount(&mut self, code: Code) {
        if let Some(i) = Code::ALL.iter().position(|&c| c == code) {
            self.codes[i] = self.codes[i].saturating_sub(1);
        }
    }

    /// Sets the plan's cell of the row pushed last.
    pub(super) fn set_cell(&mut self, action: Action, matched: u32, holder: u32) {
        let index = self.metas.len().saturating_sub(1) as u32;
        if let Some(cell) = self.planner.rows.cells.last_mut() {
            *cell = Cell { action, matched };
        }
        if holder != NONE {
            self.planner.rows.holders.insert(index, holder);
        }
        if let Some(by) = self.planner.rows.matched_by.get_mut(matched as usize)
            && *by == NONE
        {
            *by = index;
        }
    }

    /// For a matched row whose name is not applied (userName flows on creation only): the
    /// warning that it keeps its current name.
    pub(super) fn kept_name(&mut self, index: u32, member: u32, name: &str) {
        let current = self.member_name(member).to_owned();
        let warning = Warning {
            code: "name-kept",
            message: format!(
                "userName applies only on creation: the member keeps `{current}` (the mapping \
                 now gives `{name}`)"
            ),
            similar_to: current,
        };
        self.notes.push((index, Note::Warning(warning)));
    }

    /// For an ok rename: the warning that the profile URL changes.
    pub(super) fn renamed(&mut self, index: u32, member: u32, name: &str) {
        let warning = self.rename_warning(member, name);
        self.notes.push((index, Note::Warning(warning)));
    }

    fn rename_warning(&self, member: u32, name: &str) -> Warning {
        let current = self.member_name(member).to_owned();
        let provider = self.planner.rows.provider;
        Warning {
            code: "rename",
            message: format!(
                "{provider} renames `{current}` to `{name}`: the profile URL changes and links \
                 to the old one break"
            ),
            similar_to: current,
        }
    }

    /// For an ok row that turned out to fail (its matching value another row's): its name
    /// is free after all, so the first row that repeated it has it, and the others repeat
    /// that one's.
    fn promote_duplicate(&mut self, first: u32) {
        let later: Vec<u32> = (self.dups.iter())
            .filter(|(f, _)| *f == first)
            .map(|(_, row)| *row)
            .collect();
        self.dups.retain(|(f, _)| *f != first);
        let Some((&heir, rest)) = later.split_first() else {
            return;
        };
        let Some(meta) = self.metas.get_mut(heir as usize) else {
            return;
        };
        meta.status = Status::Ok;
        meta.first = 0;
        self.statuses.remove(Status::Duplicate);
        self.statuses.add(Status::Ok);
        self.uncount(Code::Duplicate);
        for &row in rest {
            if let Some(meta) = self.metas.get_mut(row as usize) {
                meta.first = heir;
            }
            self.dups.push((heir, row));
        }
        let cell = self.planner.rows.cell(heir);
        if cell.action == Action::Rename {
            let name = slice(&self.texts, &self.metas, heir).1.to_owned();
            let warning = self.rename_warning(cell.matched, &name);
            let at = self.notes.partition_point(|(row, _)| *row <= heir);
            self.notes.insert(at, (heir, Note::Warning(warning)));
        }
    }

    pub(super) fn member_name(&self, member: u32) -> &str {
        self.planner
            .rows
            .member(member)
            .map_or("", |(name, _)| name.as_str())
    }

    /// The first member holding a canonical key, if the plan knows the org.
    pub(super) fn holder(&self, key: &str) -> u32 {
        (self.planner.plan)
            .and_then(|p| p.org.indices_by_key(key).first().copied())
            .map_or(NONE, |m| m as u32)
    }

    /// Once every row is in: the first row of each duplicate matching value fails too, and
    /// the plan in figures.
    pub(super) fn finish_plan(&mut self) -> PlanSummary {
        let dups = std::mem::take(&mut self.planner.dup_sources);
        for (first, later) in dups {
            let Some(meta) = self.metas.get_mut(first as usize) else {
                continue;
            };
            if meta.status == Status::Error {
                continue;
            }
            // What the row was counted as, and what was noted of it, no longer holds.
            let (was, codes) = (meta.status, meta.codes);
            meta.status = Status::Error;
            meta.codes = 0;
            self.statuses.remove(was);
            self.statuses.add(Status::Error);
            match was {
                Status::Taken => self.uncount(Code::Taken),
                Status::Duplicate => {
                    self.uncount(Code::Duplicate);
                    self.dups.retain(|&(_, row)| row != first);
                }
                Status::Invalid => {
                    for (i, count) in self.codes.iter_mut().enumerate() {
                        if codes & (1 << i) != 0 {
                            *count = count.saturating_sub(1);
                        }
                    }
                }
                _ => {}
            }
            let mut lookalikes = 0;
            self.notes.retain(|(row, note)| match note {
                Note::Warning(w) if *row == first => {
                    lookalikes += u64::from(w.code == "lookalike");
                    false
                }
                // A skipped row's reason: the row's message is the error now.
                Note::Error(_) => *row != first,
                _ => true,
            });
            self.warnings = self.warnings.saturating_sub(lookalikes);
            let provider = self.planner.rows.provider;
            let id = slice(&self.texts, &self.metas, first).0.trim();
            let message = format!(
                "rows {} and {} have the same matching value `{id}`: {provider} provisions \
                 neither (DuplicateSourceEntries)",
                first + 1,
                later + 1
            );
            let at = self.notes.partition_point(|(row, _)| *row < first);
            self.notes.insert(at, (first, Note::Error(message)));
            if was == Status::Ok {
                self.promote_duplicate(first);
            }
        }
        let metas = &self.metas;
        (self.planner.rows)
            .find_stuck(|row| metas.get(row as usize).map_or(Status::Error, |m| m.status));
        let rows = &self.planner.rows;
        let mut summary = PlanSummary {
            provider: rows.provider.to_owned(),
            ..PlanSummary::default()
        };
        for (index, cell) in (0u32..).zip(&rows.cells) {
            summary.actions.add(cell.action);
            let taken = self
                .metas
                .get(index as usize)
                .is_some_and(|m| m.status == Status::Taken);
            if taken && rows.renamed_away(rows.holder(index), index).is_some() {
                summary.conflicts += 1;
            }
        }
        let Some(plan) = self.planner.plan else {
            summary.matching = "none: no members of the org were given".to_owned();
            return summary;
        };
        summary.matching = plan.describe();
        summary.matched_by_id = plan.by_id();
        summary.warnings.clone_from(&plan.warnings);
        for group in plan.org.duplicate_external_ids() {
            let names: Vec<String> = group.iter().map(|m| format!("`{}`", m.user_name)).collect();
            let id = group
                .first()
                .and_then(|m| m.external_id.as_deref())
                .unwrap_or_default();
            summary.warnings.push(format!(
                "members {} share externalId `{id}`: {} fails the row that matches them \
                 (DuplicateTargetEntries)",
                names.join(" and "),
                plan.provider
            ));
        }
        if plan.by_id() || plan.matching != Matching::ExternalId {
            summary.absent = (plan.org.members().iter().zip(&rows.matched_by))
                .filter(|(_, by)| **by == NONE)
                .map(|(m, _)| AbsentMember {
                    user_name: m.user_name.clone(),
                    external_id: m.external_id.clone(),
                    active: m.active,
                })
                .collect();
        }
        summary
    }
}

/// Why a row the provider will not provision is skipped.
fn skip_reason(provider: &str, state: AccountState) -> String {
    match state {
        AccountState::OutOfScope => {
            format!("the account is archived: {provider} does not sync it")
        }
        _ => format!(
            "the account is disabled and was never provisioned: {provider} does not create \
             disabled accounts"
        ),
    }
}
