//! The functions of Microsoft's reference, one file per family.

pub(crate) mod case;
pub(crate) mod conditions;
pub(crate) mod dates;
pub(crate) mod diacritics;
pub(crate) mod multi;
pub(crate) mod replace;
pub(crate) mod strings;

/// How many arguments a function takes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arity {
    Exactly(usize),
    Between(usize, usize),
    AtLeast(usize),
    /// `n` fixed arguments, then one or more key/value pairs.
    Pairs(usize),
}

/// A function's name, parameters (for messages) and arity.
#[derive(Debug)]
pub(crate) struct Signature {
    pub(crate) name: &'static str,
    pub(crate) params: &'static str,
    pub(crate) arity: Arity,
    /// False where the result changes from one evaluation to the next or depends on the
    /// service's clock, culture or parsing rules.
    pub(crate) reproducible: bool,
}

const fn sig(
    name: &'static str,
    params: &'static str,
    arity: Arity,
    reproducible: bool,
) -> Signature {
    Signature {
        name,
        params,
        arity,
        reproducible,
    }
}

use Arity::{AtLeast, Between, Exactly, Pairs};

/// Every function of Microsoft's reference page.
pub(crate) const SIGNATURES: &[Signature] = &[
    sig("Append", "source, suffix", Exactly(2), true),
    sig(
        "AppRoleAssignmentsComplex",
        "[appRoleAssignments]",
        Exactly(1),
        true,
    ),
    sig("BitAnd", "value1, value2", Exactly(2), true),
    sig("CBool", "expression", Exactly(1), true),
    sig("CDate", "expression", Exactly(1), false),
    sig("Coalesce", "source1, ..., defaultValue", AtLeast(1), true),
    sig("ConvertToBase64", "source", Exactly(1), true),
    sig("ConvertToUTF8Hex", "source", Exactly(1), true),
    sig("Count", "attribute", Exactly(1), true),
    sig("CStr", "value", Exactly(1), true),
    sig("DateAdd", "interval, value, dateTime", Exactly(3), false),
    sig("DateDiff", "interval, date1, date2", Exactly(3), false),
    sig("DateFromNum", "value", Exactly(1), false),
    sig(
        "FormatDateTime",
        "source, dateTimeStyles, inputFormat, outputFormat",
        Exactly(4),
        false,
    ),
    sig("Guid", "", Exactly(0), false),
    sig("IgnoreFlowIfNullOrEmpty", "expression", Exactly(1), true),
    sig(
        "IIF",
        "condition, valueIfTrue, valueIfFalse",
        Exactly(3),
        true,
    ),
    sig(
        "InStr",
        "value1, value2, start, compareType",
        Between(2, 4),
        true,
    ),
    sig("IsNull", "expression", Exactly(1), true),
    sig("IsNullOrEmpty", "expression", Exactly(1), true),
    sig("IsPresent", "expression", Exactly(1), true),
    sig("IsString", "expression", Exactly(1), true),
    sig("Item", "attribute, index", Exactly(2), true),
    sig("Join", "separator, source1, ..., sourceN", AtLeast(2), true),
    sig("Left", "string, numChars", Exactly(2), true),
    sig("Mid", "source, start, length", Exactly(3), true),
    sig("NormalizeDiacritics", "source", Exactly(1), true),
    sig("Not", "source", Exactly(1), true),
    sig("Now", "", Exactly(0), false),
    sig("NumFromDate", "value", Exactly(1), false),
    sig("PCase", "source, wordSeparators", Between(1, 2), true),
    sig(
        "RandomString",
        "length, minimumNumbers, minimumSpecialCharacters, minimumCapital, minimumLowerCase, charactersToAvoid",
        Between(5, 6),
        false,
    ),
    sig("Redact", "attribute or value", Exactly(1), true),
    sig("RemoveDuplicates", "attribute", Exactly(1), true),
    sig(
        "Replace",
        "source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template",
        Exactly(7),
        true,
    ),
    sig(
        "SelectUniqueValue",
        "uniqueValueRule1, uniqueValueRule2, ...",
        AtLeast(2),
        true,
    ),
    sig(
        "SingleAppRoleAssignment",
        "[appRoleAssignments]",
        Exactly(1),
        true,
    ),
    sig("Split", "source, delimiter", Exactly(2), true),
    sig("StripSpaces", "source", Exactly(1), true),
    sig(
        "Switch",
        "source, defaultValue, key1, value1, key2, value2, ...",
        Pairs(2),
        true,
    ),
    sig("ToLower", "source, culture", Between(1, 2), true),
    sig("ToUpper", "source, culture", Between(1, 2), true),
    sig("Word", "string, wordNumber, delimiters", Exactly(3), true),
];

/// The bare names an expression may use, with their numeric values.
pub(crate) const CONSTANTS: &[(&str, i64)] = &[("vbBinaryCompare", 0), ("vbTextCompare", 1)];

/// The function with exactly this (case-sensitive) name.
pub(crate) fn lookup(name: &str) -> Option<&'static Signature> {
    SIGNATURES.iter().find(|s| s.name == name)
}

/// The function whose name matches ignoring ASCII case, for "did you mean" hints.
pub(crate) fn lookup_ignore_case(name: &str) -> Option<&'static Signature> {
    SIGNATURES
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
}

/// The names of every supported function, in alphabetical order.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    SIGNATURES.iter().map(|s| s.name)
}
