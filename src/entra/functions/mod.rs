//! The functions of Microsoft's reference, one file per family, and the one table of them
//! ([`FUNCTIONS`]): each entry carries the function's name, parameters, arity and evaluator.

mod case;
mod conditions;
mod dates;
mod diacritics;
mod multi;
mod replace;
mod strings;
mod unsupported;

use crate::entra::Value;
use crate::entra::context::{Call, Ctx, R};

/// How many arguments a function takes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arity {
    Exactly(usize),
    Between(usize, usize),
    AtLeast(usize),
    /// `n` fixed arguments, then one or more key/value pairs.
    Pairs(usize),
}

/// Evaluates a call of a function: its arguments (which it evaluates itself, through the
/// context, when and if it needs them) to its value.
pub(crate) type Evaluator = fn(&mut Ctx<'_>, &Call<'_>) -> R<Value>;

/// A function: its name, parameters (for messages), arity, and evaluator.
pub(crate) struct Function {
    pub(crate) name: &'static str,
    pub(crate) params: &'static str,
    pub(crate) arity: Arity,
    /// False where the result changes from one evaluation to the next or depends on the
    /// service's clock, culture or parsing rules.
    pub(crate) reproducible: bool,
    pub(crate) eval: Evaluator,
}

const fn function(
    name: &'static str,
    params: &'static str,
    arity: Arity,
    reproducible: bool,
    eval: Evaluator,
) -> Function {
    Function {
        name,
        params,
        arity,
        reproducible,
        eval,
    }
}

use Arity::{AtLeast, Between, Exactly, Pairs};

/// Every function of Microsoft's reference page, in alphabetical order (ignoring case): the
/// parser checks calls against it and the evaluator runs the entry's evaluator.
pub(crate) const FUNCTIONS: &[Function] = &[
    function(
        "Append",
        "source, suffix",
        Exactly(2),
        true,
        strings::append,
    ),
    function(
        "AppRoleAssignmentsComplex",
        "[appRoleAssignments]",
        Exactly(1),
        true,
        unsupported::app_role_assignments,
    ),
    function(
        "BitAnd",
        "value1, value2",
        Exactly(2),
        true,
        conditions::bit_and,
    ),
    function("CBool", "expression", Exactly(1), true, conditions::cbool),
    function("CDate", "expression", Exactly(1), false, dates::cdate),
    function(
        "Coalesce",
        "source1, ..., defaultValue",
        AtLeast(1),
        true,
        conditions::coalesce,
    ),
    function(
        "ConvertToBase64",
        "source",
        Exactly(1),
        true,
        strings::convert_to_base64,
    ),
    function(
        "ConvertToUTF8Hex",
        "source",
        Exactly(1),
        true,
        strings::convert_to_utf8_hex,
    ),
    function("Count", "attribute", Exactly(1), true, multi::count),
    function("CStr", "value", Exactly(1), true, strings::cstr),
    function(
        "DateAdd",
        "interval, value, dateTime",
        Exactly(3),
        false,
        dates::date_add,
    ),
    function(
        "DateDiff",
        "interval, date1, date2",
        Exactly(3),
        false,
        dates::date_diff,
    ),
    function(
        "DateFromNum",
        "value",
        Exactly(1),
        false,
        dates::date_from_num,
    ),
    function(
        "FormatDateTime",
        "source, dateTimeStyles, inputFormat, outputFormat",
        Exactly(4),
        false,
        dates::format_date_time,
    ),
    function("Guid", "", Exactly(0), false, conditions::guid),
    function(
        "IgnoreFlowIfNullOrEmpty",
        "expression",
        Exactly(1),
        true,
        conditions::ignore_flow_if_null_or_empty,
    ),
    function(
        "IIF",
        "condition, valueIfTrue, valueIfFalse",
        Exactly(3),
        true,
        conditions::iif,
    ),
    function(
        "InStr",
        "value1, value2, start, compareType",
        Between(2, 4),
        true,
        strings::instr,
    ),
    function(
        "IsNull",
        "expression",
        Exactly(1),
        true,
        conditions::is_null,
    ),
    function(
        "IsNullOrEmpty",
        "expression",
        Exactly(1),
        true,
        conditions::is_null_or_empty,
    ),
    function(
        "IsPresent",
        "expression",
        Exactly(1),
        true,
        conditions::is_present,
    ),
    function(
        "IsString",
        "expression",
        Exactly(1),
        true,
        conditions::is_string,
    ),
    function("Item", "attribute, index", Exactly(2), true, multi::item),
    function(
        "Join",
        "separator, source1, ..., sourceN",
        AtLeast(2),
        true,
        multi::join,
    ),
    function("Left", "string, numChars", Exactly(2), true, strings::left),
    function(
        "Mid",
        "source, start, length",
        Exactly(3),
        true,
        strings::mid,
    ),
    function(
        "NormalizeDiacritics",
        "source",
        Exactly(1),
        true,
        diacritics::normalize_diacritics,
    ),
    function("Not", "source", Exactly(1), true, conditions::not),
    function("Now", "", Exactly(0), false, dates::now),
    function(
        "NumFromDate",
        "value",
        Exactly(1),
        false,
        dates::num_from_date,
    ),
    function(
        "PCase",
        "source, wordSeparators",
        Between(1, 2),
        true,
        case::pcase,
    ),
    function(
        "RandomString",
        "length, minimumNumbers, minimumSpecialCharacters, minimumCapital, minimumLowerCase, charactersToAvoid",
        Between(5, 6),
        false,
        conditions::random_string,
    ),
    function(
        "Redact",
        "attribute or value",
        Exactly(1),
        true,
        strings::redact,
    ),
    function(
        "RemoveDuplicates",
        "attribute",
        Exactly(1),
        true,
        multi::remove_duplicates,
    ),
    function(
        "Replace",
        "source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template",
        Exactly(7),
        true,
        replace::replace,
    ),
    function(
        "SelectUniqueValue",
        "uniqueValueRule1, uniqueValueRule2, ...",
        AtLeast(2),
        true,
        unsupported::select_unique_value,
    ),
    function(
        "SingleAppRoleAssignment",
        "[appRoleAssignments]",
        Exactly(1),
        true,
        unsupported::app_role_assignments,
    ),
    function("Split", "source, delimiter", Exactly(2), true, multi::split),
    function(
        "StripSpaces",
        "source",
        Exactly(1),
        true,
        strings::strip_spaces,
    ),
    function(
        "Switch",
        "source, defaultValue, key1, value1, key2, value2, ...",
        Pairs(2),
        true,
        conditions::switch,
    ),
    function(
        "ToLower",
        "source, culture",
        Between(1, 2),
        true,
        case::to_lower,
    ),
    function(
        "ToUpper",
        "source, culture",
        Between(1, 2),
        true,
        case::to_upper,
    ),
    function(
        "Word",
        "string, wordNumber, delimiters",
        Exactly(3),
        true,
        strings::word,
    ),
];

/// The bare names an expression may use, with their numeric values.
pub(crate) const CONSTANTS: &[(&str, i64)] = &[("vbBinaryCompare", 0), ("vbTextCompare", 1)];

/// The function with exactly this (case-sensitive) name.
pub(crate) fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// The function whose name matches ignoring ASCII case, for "did you mean" hints.
pub(crate) fn lookup_ignore_case(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// The names of every supported function, in alphabetical order.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use super::{Arity, FUNCTIONS};
    use crate::entra::Expression;

    /// Every function of the table evaluates through its own entry: a call with as many
    /// arguments as it takes (all `""`) gives a value or an error of that function, never
    /// "unknown function".
    #[test]
    fn every_function_evaluates_through_its_entry() {
        for function in FUNCTIONS {
            let count = match function.arity {
                Arity::Exactly(n) | Arity::Between(n, _) | Arity::AtLeast(n) => n,
                Arity::Pairs(n) => n + 2,
            };
            let args = vec!["\"\""; count].join(", ");
            let source = format!("{}({args})", function.name);
            let expr = Expression::parse(&source).expect(&source);
            if let Err(e) = expr.evaluate(&[("a", "b")]) {
                assert!(!e.message().contains("unknown function"), "{source}: {e}");
            }
        }
    }

    /// The table is in alphabetical order ignoring case, each name once, so `names` lists them
    /// in order and `lookup_ignore_case` finds one function.
    #[test]
    fn one_entry_a_function_in_order() {
        for pair in FUNCTIONS.windows(2) {
            let [a, b] = pair else { continue };
            assert!(
                a.name.to_ascii_lowercase() < b.name.to_ascii_lowercase(),
                "{} before {}",
                a.name,
                b.name
            );
        }
    }
}
