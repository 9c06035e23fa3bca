//! The ordered half of the per-row work: each prepared row's name claimed, in row order,
//! with the plan's decision for it (see [`Store::decide`]).

use std::ops::Range;

use super::arena::Place;
use super::plan::NONE;
use super::planner::Decision;
use super::prepare::{Batch, Prepared};
use super::record::Action;
use super::store::{Note, Store};
use super::{AuditError, Invariant, Status, UsernameSource};
use crate::Code;

impl Store<'_, '_> {
    /// The ordered half: claims the prepared rows' names, in row order. `block` is the block
    /// the batch was parsed from (empty for rows read record by record).
    pub(super) fn apply(
        &mut self,
        batch: &mut Batch,
        block: &[u8],
        source: &dyn UsernameSource,
    ) -> Result<(), AuditError> {
        let (chunk, base) = self.texts.adopt(&mut batch.text, self.tuning.keep_text);
        let touch = self.tuning.touch;
        let batch = &*batch;
        let place = Place { chunk, base };
        for start in (0..batch.prepared.len()).step_by(touch) {
            let end = (start + touch).min(batch.prepared.len());
            let chunk = batch
                .prepared
                .get(start..end)
                .invariant("a run of the batch's rows");

            let mut touched = 0;
            for prepared in chunk {
                if let Prepared::Valid {
                    key_hash,
                    shape_hash,
                    ..
                } = prepared
                {
                    touched ^= self.claims.touch(*key_hash) ^ self.skeletons.touch(*shape_hash);
                }
            }
            std::hint::black_box(touched);
            self.apply_rows(batch, place, block, start..end, source)?;
        }
        Ok(())
    }

    pub(super) fn apply_rows(
        &mut self,
        batch: &Batch,
        place: Place,
        block: &[u8],
        rows: Range<usize>,
        source: &dyn UsernameSource,
    ) -> Result<(), AuditError> {
        for i in rows {
            let (Some(&line), Some(prepared)) = (batch.lines.get(i), batch.prepared.get(i)) else {
                continue;
            };
            let state = batch.states.get(i).copied().unwrap_or_default();
            match prepared {
                Prepared::Unusual(i) => {
                    if let Some(raw) = batch.unusual.get(*i) {
                        self.add_unusual(raw, source)?;
                    }
                }
                Prepared::MappingFailed { id, message } => {
                    let at = self.source_line(line);
                    let message = format!("line {at}: the mapping failed: {message}");
                    let id = place.span(id);
                    let decision = self.decide(id, state, None);
                    self.error_at(line, id, message);
                    self.plan_error(decision);
                }
                Prepared::Invalid {
                    id,
                    name,
                    codes,
                    person,
                } => {
                    let decision = self.decide(place.span(id), state, None);
                    let matched = match decision {
                        Decision::Go(matched) => matched,
                        decided => {
                            self.push_decided_row(line, place, id, name, decided);
                            continue;
                        }
                    };
                    // The member's own name, which the policy refuses (a name from before
                    // it, or a stricter policy): unchanged, so nothing is sent to the service.
                    let own = |store: &Self, member: u32| {
                        let text = store.texts.get(place.span(name));
                        store.member_key(member) == store.policy.canonical_key(text)
                    };
                    if let Some(member) = matched.filter(|&m| own(self, m)) {
                        self.push_row(line, place, id, name, Status::Ok);
                        self.set_cell(Action::Update, member, NONE);
                        continue;
                    }
                    if let Some(member) = matched.filter(|_| !self.renames()) {
                        let index = self.push_row(line, place, id, name, Status::Ok);
                        self.set_cell(Action::Update, member, NONE);
                        let name = self.texts.get(place.span(name)).to_owned();
                        self.kept_name(index, member, &name);
                        continue;
                    }
                    for (i, count) in self.codes.iter_mut().enumerate() {
                        if codes & (1 << i) != 0 {
                            *count += 1;
                        }
                    }
                    let index = self.push_row(line, place, id, name, Status::Invalid);
                    if let Some(m) = self.metas.get_mut(index as usize) {
                        m.codes = *codes;
                    }
                    match matched {
                        Some(member) => self.set_cell(Action::Rename, member, NONE),
                        None => self.set_cell(Action::Create, NONE, NONE),
                    }
                    self.push_person(place.span(&person.0), place.span(&person.1));
                }
                Prepared::Valid {
                    id,
                    name,
                    key,
                    key_hash,
                    shape_hash,
                    lookalike,
                    person,
                    taken,
                } => {
                    let key_span = place.span(key);
                    let decision = self.decide(place.span(id), state, Some(key_span));
                    let matched = match decision {
                        Decision::Go(matched) => matched,
                        decided => {
                            self.push_decided_row(line, place, id, name, decided);
                            continue;
                        }
                    };
                    let key_text = self.texts.get(key_span);
                    let current = matched.map(|m| self.member_key(m));
                    let own = current.as_deref() == Some(key_text);
                    if let (Some(member), false, false) = (matched, own, self.renames()) {
                        let index = self.push_row(line, place, id, name, Status::Ok);
                        self.set_cell(Action::Update, member, NONE);
                        let name = self.texts.get(place.span(name)).to_owned();
                        self.kept_name(index, member, &name);
                        continue;
                    }
                    let action = match (matched, own) {
                        (None, _) => Action::Create,
                        (Some(_), true) => Action::Update,
                        (Some(_), false) => Action::Rename,
                    };
                    let matched = matched.unwrap_or(NONE);
                    let taken = match taken {
                        _ if own => false,
                        Some(taken) => *taken,
                        None => self.existing.is_taken(key_text)?,
                    };
                    let owner = match taken {
                        true => None,
                        false => self.owner(key_text, *key_hash),
                    };
                    if taken {
                        let holder = self.holder(key_text);
                        // A name held by an account the provider links to by name: it updates
                        // that account (Okta's merge).
                        let (action, matched) = match (self.planner.rows.links, action) {
                            (true, Action::Create) if holder != NONE => (Action::Update, holder),
                            _ => (action, matched),
                        };
                        self.count(Code::Taken);
                        self.push_row(line, place, id, name, Status::Taken);
                        self.set_cell(action, matched, holder);
                        self.keep_person(person, place, block);
                    } else if let Some(first) = owner {
                        self.count(Code::Duplicate);
                        let index = self.push_row(line, place, id, name, Status::Duplicate);
                        if let Some(m) = self.metas.get_mut(index as usize) {
                            m.first = first;
                        }
                        self.set_cell(action, matched, NONE);
                        self.dups.push((first, index));
                        self.keep_person(person, place, block);
                    } else {
                        let index = self.push_row(line, place, id, name, Status::Ok);
                        self.set_cell(action, matched, NONE);
                        self.claims.insert(*key_hash, index);
                        let name = place.span(name);
                        if action == Action::Rename {
                            let text = self.texts.get(name).to_owned();
                            self.renamed(index, matched, &text);
                        }
                        self.lookalike(index, name, key_span, *shape_hash, lookalike.as_deref());
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether a matched member's new name is applied.
    fn renames(&self) -> bool {
        self.planner.plan.is_none_or(|p| p.renames)
    }

    /// The canonical key of a member's userName.
    fn member_key(&self, member: u32) -> String {
        self.policy
            .canonical_key(self.member_name(member))
            .into_owned()
    }

    /// A row of a batch the plan decided without its name.
    fn push_decided_row(
        &mut self,
        line: u64,
        place: Place,
        id: &Range<u32>,
        name: &Range<u32>,
        decision: Decision,
    ) {
        let (status, action, matched, message) = decision.outcome();
        let index = self.push_row(line, place, id, name, status);
        self.set_cell(action, matched, NONE);
        if let Some(message) = message {
            self.notes.push((index, Note::Error(message)));
        }
    }

    /// The plan's cell of an error row just pushed, from the decision made before.
    pub(super) fn plan_error(&mut self, decision: Decision) {
        let (_, action, matched, _) = decision.outcome();
        self.set_cell(action, matched, NONE);
    }
}
