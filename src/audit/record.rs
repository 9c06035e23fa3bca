//! The audit's output: one [`Record`] per input row (the JSON schema; the CSV report has the
//! same fields as columns), and the [`Summary`].

use serde::Serialize;

use super::Encoding;
use super::plan::PlanSummary;
use crate::{Code, Warning};

/// What provisioning would do with a row, in the order the audit decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The row would provision with its username.
    Ok,
    /// The username breaks the policy.
    Invalid,
    /// The username's canonical key is an existing member's.
    Taken,
    /// An earlier valid row already has the username's canonical key.
    Duplicate,
    /// The row could not be read, its mapping failed, or the identity provider would fail on
    /// it whatever its name (two rows, or two members, with one matching value).
    Error,
    /// The identity provider leaves the row alone this cycle ([`Action::Skip`]): a disabled
    /// account never provisioned, an account out of the sync's scope, or a row without the
    /// matching attribute. Not a failure.
    Skipped,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 6] = [
        Status::Ok,
        Status::Invalid,
        Status::Taken,
        Status::Duplicate,
        Status::Error,
        Status::Skipped,
    ];

    /// The status as the report writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Invalid => "invalid",
            Status::Taken => "taken",
            Status::Duplicate => "duplicate",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }

    /// Whether the row would fail to provision: every status but `ok` and `skipped`.
    pub const fn fails(self) -> bool {
        !matches!(self, Status::Ok | Status::Skipped)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the identity provider would do with a row in its next cycle (SPEC section 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// No member matches the row: the provider creates one (`POST /Users`).
    Create,
    /// The row matches a member and keeps its name: attributes are updated (`PATCH`).
    Update,
    /// The row matches a member and the mapping gives another name: the member is renamed,
    /// and its profile URL changes.
    Rename,
    /// The row matches a member and is disabled, soft-deleted or out of scope: the member is
    /// deactivated (`active=false`).
    Disable,
    /// The provider leaves the row alone: a disabled account never provisioned, one out of
    /// scope, or one without the matching attribute.
    Skip,
}

impl Action {
    /// Every action, in report order.
    pub const ALL: [Action; 5] = [
        Action::Create,
        Action::Update,
        Action::Rename,
        Action::Disable,
        Action::Skip,
    ];

    /// The action as the report writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Rename => "rename",
            Action::Disable => "disable",
            Action::Skip => "skip",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One input row's result. As JSON it is one object per line with these fields; the CSV
/// report has the same columns ([`Record::CSV_HEADER`]), lists joined as
/// [`Record::csv_fields`] says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The 1-based data row (the header is not a row).
    pub row: u64,
    /// The 1-based line of the file the row starts on (lines end at `\n`, `\r\n` or a bare
    /// `\r`, as records do).
    pub line: u64,
    /// The row's `id`/`objectId`, else `externalId`, else its first field.
    pub id: String,
    /// The username the mapping gives (empty when it gave none).
    pub username: String,
    /// What provisioning would do.
    pub status: Status,
    /// The rule codes the row fails, without repeats.
    pub codes: Vec<Code>,
    /// What is wrong and how to fix it; empty for an ok row.
    pub message: String,
    /// A valid username free across the org and the batch, for a row that is not ok.
    pub suggestion: Option<String>,
    /// The other rows whose usernames have the same canonical key, at most
    /// [`Record::MAX_COLLISIONS`] of them.
    pub collides_with: Vec<u64>,
    /// Lookalike warnings against existing members and earlier rows, and a rename's warning
    /// that the profile URL changes.
    pub warnings: Vec<Warning>,
    /// What the identity provider would do with the row.
    pub action: Action,
    /// The userName of the member the row matches; empty when it matches none.
    pub current_username: String,
}

impl Record {
    /// The report's CSV columns.
    pub const CSV_HEADER: [&'static str; 12] = [
        "row",
        "line",
        "id",
        "username",
        "status",
        "codes",
        "message",
        "suggestion",
        "collides_with",
        "warnings",
        "action",
        "current_username",
    ];

    /// `collides_with` lists at most this many rows; the summary counts them all.
    pub const MAX_COLLISIONS: usize = 20;

    /// The username the row should get: its own when ok, else the suggestion; a matched
    /// member that keeps its name (a disable, or an update under a mapping applied only on
    /// creation) keeps its current one, and a skipped row gets none.
    ///
    /// ```
    /// # use usernorm::audit::{Action, Record, Status};
    /// let mut r = Record { row: 1, line: 2, id: "7".into(), username: "a_b".into(),
    ///     status: Status::Invalid, codes: vec![], message: String::new(),
    ///     suggestion: Some("a-b".into()), collides_with: vec![], warnings: vec![],
    ///     action: Action::Create, current_username: String::new() };
    /// assert_eq!(r.final_username(), Some("a-b"));
    /// r.status = Status::Ok;
    /// assert_eq!(r.final_username(), Some("a_b"));
    /// r.action = Action::Disable;
    /// r.current_username = "ab".into();
    /// assert_eq!(r.final_username(), Some("ab"));
    /// r.status = Status::Skipped;
    /// r.action = Action::Skip;
    /// assert_eq!(r.final_username(), None);
    /// ```
    pub fn final_username(&self) -> Option<&str> {
        let kept = !self.current_username.is_empty()
            && (self.action == Action::Disable
                || (self.action == Action::Update
                    && self.warnings.iter().any(|w| w.code == "name-kept")));
        match self.status {
            Status::Ok if kept => Some(&self.current_username),
            Status::Ok => Some(&self.username),
            Status::Skipped => None,
            _ => self.suggestion.as_deref(),
        }
    }

    /// The record as CSV fields, in [`Record::CSV_HEADER`] order: codes and `collides_with`
    /// joined with `;`, warnings' messages joined with ` | `, a missing suggestion empty, and
    /// a field that a spreadsheet would take for a formula (one starting with `=`, `+`, `-`,
    /// `@`, tab or CR) behind a `'`, as OWASP advises against CSV injection.
    ///
    /// ```
    /// # use usernorm::audit::{Action, Record, Status};
    /// let r = Record { row: 1, line: 2, id: "=HYPERLINK(\"http://x\")".into(),
    ///     username: "-jdoe".into(), status: Status::Invalid, codes: vec![],
    ///     message: String::new(), suggestion: Some("jdoe".into()), collides_with: vec![],
    ///     warnings: vec![], action: Action::Create, current_username: String::new() };
    /// let fields = r.csv_fields();
    /// assert_eq!(fields[2], "'=HYPERLINK(\"http://x\")");
    /// assert_eq!(fields[3], "'-jdoe");
    /// assert_eq!(fields[7], "jdoe");
    /// ```
    pub fn csv_fields(&self) -> [String; 12] {
        let codes: Vec<&str> = self.codes.iter().map(|c| c.as_str()).collect();
        let collides: Vec<String> = self.collides_with.iter().map(u64::to_string).collect();
        let warnings: Vec<&str> = self.warnings.iter().map(|w| w.message.as_str()).collect();
        let cell = |text: String| match text.bytes().next().is_some_and(formula_lead) {
            true => format!("'{text}"),
            false => text,
        };
        [
            self.row.to_string(),
            self.line.to_string(),
            cell(self.id.clone()),
            cell(self.username.clone()),
            self.status.as_str().to_owned(),
            cell(codes.join(";")),
            cell(self.message.clone()),
            cell(self.suggestion.clone().unwrap_or_default()),
            collides.join(";"),
            cell(warnings.join(" | ")),
            self.action.as_str().to_owned(),
            cell(self.current_username.clone()),
        ]
    }

    /// Appends the record to `out` as one line of the CSV report: the fields of
    /// [`Record::csv_fields`] (a would-be formula behind a `'`), `,`-separated and quoted
    /// where needed exactly as a default [`csv::Writer`] quotes them, ended by `\n`. Builds
    /// no intermediate strings.
    ///
    /// ```
    /// # use usernorm::audit::{Action, Record, Status};
    /// let r = Record { row: 3, line: 4, id: "7".into(), username: "a,b".into(),
    ///     status: Status::Invalid, codes: vec![], message: "say \"hi\"".into(),
    ///     suggestion: None, collides_with: vec![1, 2], warnings: vec![],
    ///     action: Action::Rename, current_username: "ab".into() };
    /// let mut out = Vec::new();
    /// r.write_csv_line(&mut out);
    /// assert_eq!(out, b"3,4,7,\"a,b\",invalid,,\"say \"\"hi\"\"\",,1;2,,rename,ab\n");
    /// ```
    pub fn write_csv_line(&self, out: &mut Vec<u8>) {
        self.write_csv_line_around(out, |out| {
            csv_field(out, self.suggestion.as_deref(), "");
        });
    }

    /// [`Record::write_csv_line`] with `suggestion` writing the suggestion's field (the
    /// record's own suggestion is not looked at).
    pub(crate) fn write_csv_line_around(
        &self,
        out: &mut Vec<u8>,
        suggestion: impl FnOnce(&mut Vec<u8>),
    ) {
        ReportLine {
            row: self.row,
            line: self.line,
            id: &self.id,
            username: &self.username,
            plain_username: false,
            status: self.status,
            codes: self.codes.iter().map(|c| c.as_str()),
            message: &self.message,
            collides_with: self.collides_with.iter().copied(),
            warnings: self.warnings.iter().map(|w| w.message.as_str()),
            action: self.action,
            current_username: &self.current_username,
        }
        .write(out, suggestion);
    }
}

/// One line of the CSV report, its columns borrowed from wherever the row is kept: a
/// [`Record`], or the audit's store for an ok row, which is written without making its
/// record. The one writer of report lines: a column is added here, in
/// [`Record::CSV_HEADER`] and in [`Record`] (and [`Record::csv_fields`]).
pub(crate) struct ReportLine<'r, Codes, Collides, Warnings> {
    pub(crate) row: u64,
    pub(crate) line: u64,
    pub(crate) id: &'r str,
    pub(crate) username: &'r str,
    /// Whether `username` is known to hold none of the bytes that need quotes (an ok row's
    /// under a policy that allows none of them): only the formula check is left.
    pub(crate) plain_username: bool,
    pub(crate) status: Status,
    pub(crate) codes: Codes,
    pub(crate) message: &'r str,
    pub(crate) collides_with: Collides,
    pub(crate) warnings: Warnings,
    pub(crate) action: Action,
    pub(crate) current_username: &'r str,
}

impl<'r, Codes, Collides, Warnings> ReportLine<'r, Codes, Collides, Warnings>
where
    Codes: IntoIterator<Item = &'r str> + Clone,
    Collides: IntoIterator<Item = u64>,
    Warnings: IntoIterator<Item = &'r str> + Clone,
{
    /// Appends the line, with `suggestion` writing the suggestion's field, and its `\n`.
    #[inline]
    pub(crate) fn write(self, out: &mut Vec<u8>, suggestion: impl FnOnce(&mut Vec<u8>)) {
        let mut number = itoa::Buffer::new();
        out.extend_from_slice(number.format(self.row).as_bytes());
        out.push(b',');
        out.extend_from_slice(number.format(self.line).as_bytes());
        out.push(b',');
        text_field(out, self.id);
        out.push(b',');
        let formula = self.username.bytes().next().is_some_and(formula_lead);
        match self.plain_username && !formula {
            true => out.extend_from_slice(self.username.as_bytes()),
            false => text_field(out, self.username),
        }
        out.push(b',');
        out.extend_from_slice(self.status.as_str().as_bytes());
        out.push(b',');
        csv_field(out, self.codes, ";");
        out.push(b',');
        text_field(out, self.message);
        out.push(b',');
        suggestion(out);
        out.push(b',');
        for (i, row) in self.collides_with.into_iter().enumerate() {
            if i > 0 {
                out.push(b';');
            }
            out.extend_from_slice(number.format(row).as_bytes());
        }
        out.push(b',');
        csv_field(out, self.warnings, " | ");
        out.push(b',');
        out.extend_from_slice(self.action.as_str().as_bytes());
        out.push(b',');
        text_field(out, self.current_username);
        out.push(b'\n');
    }
}

/// One text as a CSV field, as [`csv_field`] writes it; most need neither quotes nor a `'`,
/// and are copied as they are.
#[inline]
fn text_field(out: &mut Vec<u8>, text: &str) {
    let formula = text.bytes().next().is_some_and(formula_lead);
    match needs_quotes(text) || formula {
        true => csv_field(out, [text], ""),
        false => out.extend_from_slice(text.as_bytes()),
    }
}

/// Writes `parts` joined by `separator` as one CSV field: in quotes, with quotes doubled, when
/// it holds a `,`, a quote or a line break (what [`csv::Writer`] does by default), and behind
/// a `'` when it starts as a formula would ([`formula_lead`]).
pub(crate) fn csv_field<'s>(
    out: &mut Vec<u8>,
    parts: impl IntoIterator<Item = &'s str> + Clone,
    separator: &str,
) {
    let quoted = needs_quotes(separator) || parts.clone().into_iter().any(needs_quotes);
    if quoted {
        out.push(b'"');
    }
    // The field's first byte: the first part's, or the separator's after an empty part.
    let first = (parts.clone().into_iter().enumerate()).find_map(|(i, part)| match i {
        0 => part.bytes().next(),
        _ => separator.bytes().next().or_else(|| part.bytes().next()),
    });
    if first.is_some_and(formula_lead) {
        out.push(b'\'');
    }
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(separator.as_bytes());
        }
        if quoted {
            push_doubling_quotes(out, part.as_bytes());
        } else {
            out.extend_from_slice(part.as_bytes());
        }
    }
    if quoted {
        out.push(b'"');
    }
}

/// Appends a record of [`write_fixed`](super::write_fixed)'s output exactly as a default [`csv::Writer`] with
/// this delimiter writes it (a test holds the two together): fields quoted, with quotes
/// doubled, when they hold the delimiter, a quote or a line break, a record of one empty
/// field written as `""`, and `\n` after the record. Not the writer itself: its quoting
/// styles link float parsing and its tables, some 16 KB of the browser build gzipped.
pub(crate) fn write_fixed_record(out: &mut Vec<u8>, record: &csv::ByteRecord, delimiter: u8) {
    if record.len() == 1 && record.as_slice().is_empty() {
        out.extend_from_slice(b"\"\"");
    }
    for (i, field) in record.iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        let special = |&b: &u8| matches!(b, b'"' | b'\r' | b'\n') || b == delimiter;
        if !field.iter().any(special) {
            out.extend_from_slice(field);
            continue;
        }
        out.push(b'"');
        push_doubling_quotes(out, field);
        out.push(b'"');
    }
    out.push(b'\n');
}

/// Whether a CSV field starting with this byte could be run as a formula by a spreadsheet
/// (`=`, `+`, `-`, `@`, tab or CR, the characters OWASP names for CSV injection): the report
/// writes such a field behind a `'`, which spreadsheets show as text.
pub(crate) const fn formula_lead(first: u8) -> bool {
    matches!(first, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
}

/// Appends the text of a quoted CSV field, each quote doubled (the opening and closing quotes
/// are the caller's).
pub(crate) fn push_doubling_quotes(out: &mut Vec<u8>, text: &[u8]) {
    for piece in text.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(piece);
        if piece.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
}

/// The bytes that make a CSV field quoted: `,`, `"`, `\r` and `\n`.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b',' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\r' as usize] = true;
    table[b'\n' as usize] = true;
    table
};

/// Whether `text` holds a byte that makes a CSV field quoted. All four special bytes are below
/// `-` (0x2D), and ids and names rarely hold any such byte: eight bytes at a time are checked
/// for one below it (a word trick, exact when no byte is 0x80 or more, where it may only say
/// yes wrongly), and only a word that has one is looked up byte by byte.
pub(crate) fn needs_quotes(text: &str) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let special = |bytes: &[u8]| bytes.iter().any(|&b| SPECIAL[usize::from(b)]);
    let mut words = text.as_bytes().chunks_exact(8);
    for word in &mut words {
        let mut w = [0; 8];
        w.copy_from_slice(word);
        let w = u64::from_ne_bytes(w);
        // Some byte is below 0x2D (or has its high bit set).
        if (w.wrapping_sub(ONES * 0x2D) | w) & HIGH != 0 && special(word) {
            return true;
        }
    }
    special(words.remainder())
}

/// Rows per status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct StatusCounts {
    pub ok: u64,
    pub invalid: u64,
    pub taken: u64,
    pub duplicate: u64,
    pub error: u64,
    pub skipped: u64,
}

impl StatusCounts {
    /// The count of one status.
    pub fn get(&self, status: Status) -> u64 {
        match status {
            Status::Ok => self.ok,
            Status::Invalid => self.invalid,
            Status::Taken => self.taken,
            Status::Duplicate => self.duplicate,
            Status::Error => self.error,
            Status::Skipped => self.skipped,
        }
    }

    pub(crate) fn add(&mut self, status: Status) {
        match status {
            Status::Ok => self.ok += 1,
            Status::Invalid => self.invalid += 1,
            Status::Taken => self.taken += 1,
            Status::Duplicate => self.duplicate += 1,
            Status::Error => self.error += 1,
            Status::Skipped => self.skipped += 1,
        }
    }

    pub(crate) fn remove(&mut self, status: Status) {
        let count = match status {
            Status::Ok => &mut self.ok,
            Status::Invalid => &mut self.invalid,
            Status::Taken => &mut self.taken,
            Status::Duplicate => &mut self.duplicate,
            Status::Error => &mut self.error,
            Status::Skipped => &mut self.skipped,
        };
        *count = count.saturating_sub(1);
    }
}

/// How many rows fail one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeCount {
    /// The rule's code.
    pub code: Code,
    /// The rows that fail it.
    pub rows: u64,
}

/// Rows that share a canonical key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Collisions {
    /// Names produced by more than one row.
    pub names: u64,
    /// Rows involved, the first of each name included.
    pub rows: u64,
}

/// The audit in figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Data rows read.
    pub rows: u64,
    /// Rows per status.
    pub statuses: StatusCounts,
    /// Rows per rule code, in rule order, codes with no rows left out.
    pub codes: Vec<CodeCount>,
    /// Rows that collide with each other.
    pub collisions: Collisions,
    /// Lookalike warnings.
    pub lookalikes: u64,
    /// Rows that are not ok and got no suggestion (nothing usable to make one from).
    pub unfixable: u64,
    /// The mapping used.
    pub mapping: String,
    /// Something to know about the mapping (a stand-in for a missing column).
    pub mapping_note: Option<String>,
    /// Why the mapping's names cannot be trusted: it is not reproducible (it calls `Guid`,
    /// `RandomString`, `Now` or a date function), so every run, and every sync, gives other
    /// names than the ones audited.
    pub mapping_warning: Option<String>,
    /// The input's encoding.
    pub encoding: Encoding,
    /// The input's delimiter.
    pub delimiter: String,
    /// The input's columns.
    pub columns: Vec<String>,
    /// Seconds the audit took, filled in by the caller that timed it.
    pub seconds: Option<f64>,
    /// The provisioning plan in figures: rows by action, matching, members the export leaves
    /// out.
    pub plan: PlanSummary,
}

impl Summary {
    /// Whether no row would fail: every row is ok or skipped on purpose.
    pub fn all_ok(&self) -> bool {
        self.statuses.ok + self.statuses.skipped == self.rows
    }

    /// The rows that would fail to provision (every status but `ok` and `skipped`).
    pub fn failing(&self) -> u64 {
        self.rows
            .saturating_sub(self.statuses.ok + self.statuses.skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_records_are_what_a_csv_writer_writes() {
        let fields: [&[u8]; 10] = [
            b"",
            b"plain",
            b"a,b",
            b"a;b",
            b"a\tb",
            b"say \"hi\"",
            b"\"",
            b"two\nlines",
            b"cr\r",
            "é 中".as_bytes(),
        ];
        for delimiter in [b',', b';', b'\t', b'|'] {
            for len in 1..4 {
                for start in 0..fields.len() {
                    let record: csv::ByteRecord = (0..len)
                        .map(|k| fields[(start + k * 3) % fields.len()])
                        .collect();
                    let mut have = Vec::new();
                    write_fixed_record(&mut have, &record, delimiter);
                    let mut writer = csv::WriterBuilder::new()
                        .delimiter(delimiter)
                        .flexible(true)
                        .from_writer(Vec::new());
                    writer.write_byte_record(&record).expect("in memory");
                    let want = writer.into_inner().expect("in memory");
                    assert_eq!(
                        String::from_utf8_lossy(&have),
                        String::from_utf8_lossy(&want),
                        "{record:?} with {delimiter}"
                    );
                }
            }
        }
    }

    fn with_csv_writer(record: &Record) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(record.csv_fields()).expect("in memory");
        writer.into_inner().expect("in memory")
    }

    #[test]
    fn csv_lines_are_what_a_csv_writer_writes() {
        let warning = |m: &str| Warning {
            code: "lookalike",
            message: m.to_owned(),
            similar_to: "x".to_owned(),
        };
        let texts = [
            "",
            "plain",
            "a,b",
            "say \"hi\"",
            "\"",
            "two\nlines",
            "cr\r",
            "é ü 中",
            "x; y",
            "=1+2",
            "+41 22",
            "-jdoe",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=a,b",
        ];
        for (i, text) in texts.iter().enumerate() {
            let record = Record {
                row: i as u64 + 1,
                line: 1_000_000 + i as u64,
                id: (*text).to_owned(),
                username: texts[(i + 1) % texts.len()].to_owned(),
                status: Status::ALL[i % Status::ALL.len()],
                codes: Code::ALL.iter().copied().take(i % 3).collect(),
                message: (*text).to_owned(),
                suggestion: (i % 2 == 0).then(|| (*text).to_owned()),
                collides_with: (0..i as u64 % 4).collect(),
                warnings: (0..i % 3)
                    .map(|k| warning(texts[(i + k) % texts.len()]))
                    .collect(),
                action: Action::ALL[i % Action::ALL.len()],
                current_username: texts[(i + 2) % texts.len()].to_owned(),
            };
            let mut line = Vec::new();
            record.write_csv_line(&mut line);
            assert_eq!(
                String::from_utf8_lossy(&line),
                String::from_utf8_lossy(&with_csv_writer(&record)),
                "{record:?}"
            );
        }
    }

    proptest::proptest! {
        /// The word-at-a-time check says what a look at every byte says, wherever the
        /// special byte is and whatever (ASCII or not) is around it.
        #[test]
        fn needs_quotes_is_any_special_byte(text in "[a-z0-9\\-,\"\r\n é中+*]{0,40}|\\PC{0,40}") {
            let expected = text.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
            proptest::prop_assert_eq!(needs_quotes(&text), expected);
        }
    }
}
