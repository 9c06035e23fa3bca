//! The rows the HTML report and the Markdown summary list, kept as the records go by: the
//! failing rows, and the provisioning plan's creates, renames, disables, skips and conflicts.
//! Each list keeps its first rows only and counts the rest, so memory stays bounded whatever
//! the size of the export.

use usernorm::audit::{Action, Record, Status};

/// The HTML report lists at most this many failing rows.
pub(crate) const MAX_FAILING: usize = 5_000;
/// The HTML report's plan lists at most this many rows each (creates, renames, ...).
pub(crate) const MAX_EACH: usize = 1_000;

/// Whether a `taken` row wants a name that a member holds whom another row renames in the same
/// cycle: whether the provider frees it first depends on its order (the plan's conflict, which
/// the summary counts as `plan.conflicts`).
pub(crate) fn rename_conflict(record: &Record) -> bool {
    record.status == Status::Taken
        && record.message.contains(", whom row ")
        && record.message.contains(" renames in this cycle: ")
}

/// The first `cap` items of a list, and how many there were in all.
#[derive(Debug)]
pub(crate) struct Capped<T> {
    pub(crate) items: Vec<T>,
    pub(crate) total: u64,
    cap: usize,
}

impl<T> Capped<T> {
    pub(crate) fn new(cap: usize) -> Capped<T> {
        Capped {
            items: Vec::new(),
            total: 0,
            cap,
        }
    }

    /// Counts an item, and keeps it while there is room (`make` runs only then).
    pub(crate) fn push_with(&mut self, make: impl FnOnce() -> T) {
        self.total += 1;
        if self.items.len() < self.cap {
            self.items.push(make());
        }
    }

    /// How many items were counted but not kept.
    pub(crate) fn rest(&self) -> u64 {
        self.total.saturating_sub(self.items.len() as u64)
    }
}

/// The rows the reports list, by kind.
#[derive(Debug)]
pub(crate) struct PlanLists {
    /// Rows that would not provision, in input order.
    pub(crate) failing: Capped<Record>,
    /// Creates that would fail, then (separately) those that would go through.
    pub(crate) creates_failing: Capped<Record>,
    pub(crate) creates_ok: Capped<Record>,
    pub(crate) renames: Capped<Record>,
    pub(crate) disables: Capped<Record>,
    pub(crate) skips: Capped<Record>,
    /// `taken` rows whose name a rename in the same cycle frees.
    pub(crate) conflicts: Capped<Record>,
}

impl PlanLists {
    /// Lists keeping at most `failing` failing rows and `each` rows of every plan list.
    pub(crate) fn new(failing: usize, each: usize) -> PlanLists {
        PlanLists {
            failing: Capped::new(failing),
            creates_failing: Capped::new(each),
            creates_ok: Capped::new(each),
            renames: Capped::new(each),
            disables: Capped::new(each),
            skips: Capped::new(each),
            conflicts: Capped::new(each),
        }
    }

    /// Takes note of one record.
    pub(crate) fn add(&mut self, record: &Record) {
        let fails = record.status.fails();
        if fails {
            self.failing.push_with(|| record.clone());
        }
        if rename_conflict(record) {
            self.conflicts.push_with(|| record.clone());
        }
        let list = match record.action {
            Action::Create if fails => &mut self.creates_failing,
            Action::Create => &mut self.creates_ok,
            Action::Rename => &mut self.renames,
            Action::Disable => &mut self.disables,
            Action::Skip => &mut self.skips,
            // Updates keep the member as it is: counted by the summary, not listed.
            Action::Update => return,
        };
        list.push_with(|| record.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(row: u64, status: Status, action: Action, message: &str) -> Record {
        Record {
            row,
            line: row + 1,
            id: row.to_string(),
            username: format!("user{row}"),
            status,
            codes: Vec::new(),
            message: message.to_owned(),
            suggestion: None,
            collides_with: Vec::new(),
            warnings: Vec::new(),
            action,
            current_username: String::new(),
        }
    }

    #[test]
    fn each_list_keeps_its_first_rows_and_counts_the_rest() {
        let mut lists = PlanLists::new(2, 1);
        for row in 1..=3 {
            lists.add(&record(row, Status::Invalid, Action::Create, ""));
            lists.add(&record(row + 10, Status::Ok, Action::Rename, ""));
        }
        lists.add(&record(20, Status::Ok, Action::Update, ""));
        assert_eq!(lists.failing.items.len(), 2);
        assert_eq!((lists.failing.total, lists.failing.rest()), (3, 1));
        assert_eq!(lists.creates_failing.items[0].row, 1);
        assert_eq!(
            (lists.creates_failing.total, lists.creates_ok.total),
            (3, 0)
        );
        assert_eq!((lists.renames.total, lists.renames.rest()), (3, 2));
    }

    #[test]
    fn skipped_rows_are_not_failing_rows() {
        let mut lists = PlanLists::new(10, 10);
        lists.add(&record(1, Status::Skipped, Action::Skip, "disabled"));
        assert_eq!(lists.failing.total, 0);
        assert_eq!(lists.skips.total, 1);
    }

    #[test]
    fn a_conflict_is_a_taken_row_whose_name_a_rename_frees() {
        let conflict = "`ann` is held by member `ann`, whom row 1 renames in this cycle: whether \
                        Entra frees it before this row's create depends on its order";
        assert!(rename_conflict(&record(
            3,
            Status::Taken,
            Action::Create,
            conflict
        )));
        let held = "`eve` is held by member `eve`, who has no externalId";
        assert!(!rename_conflict(&record(
            5,
            Status::Taken,
            Action::Create,
            held
        )));
        assert!(!rename_conflict(&record(
            3,
            Status::Invalid,
            Action::Create,
            conflict
        )));
    }
}
