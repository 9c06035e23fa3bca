//! Command-line arguments (clap derive). Nothing past `main` sees these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Check and fix usernames before they reach an identity system.
///
/// Exit status: 0 when everything passes, 1 when something violates the policy, 2 on a usage,
/// input or I/O error.
#[derive(Debug, Parser)]
#[command(name = "usernorm", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,

    #[command(flatten)]
    pub(crate) global: GlobalArgs,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// The policy: a preset (huggingface, github, github-emu) or a TOML or JSON policy file.
    #[arg(
        long,
        global = true,
        value_name = "NAME|FILE",
        default_value = "huggingface"
    )]
    pub(crate) policy: String,

    /// The enterprise shortcode, for the github-emu policy.
    #[arg(long, global = true, value_name = "CODE")]
    pub(crate) shortcode: Option<String>,

    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// For people: coloured on a terminal, plain otherwise (NO_COLOR is respected).
    Text,
    /// One JSON object per line (`jsonl` is the same).
    #[value(alias = "jsonl")]
    Json,
    /// CSV (the audit report's default).
    Csv,
    /// GitHub Actions annotations (`::error file=...,line=...,title=CODES::...`) for `check` and
    /// `audit`: one per failing name or row, a warning per lookalike of an ok one. The audit's
    /// `--out` report is then CSV.
    Github,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check names against the policy; names come from the arguments, or one per line from
    /// standard input when none (or `-`) is given. Options may come before or after the names;
    /// a name that starts with `-` goes after `--` (`usernorm check -- -jdoe`).
    Check(CheckArgs),
    /// Turn text (display names, e-mails, aliases) into valid names, one per line. Options may
    /// come before or after the texts; a text that starts with `-` goes after `--`.
    Normalize(NormalizeArgs),
    /// Audit a directory export (CSV; `-` for standard input) before provisioning: each row's
    /// username, status, rule codes, collisions and a unique fix.
    Audit(AuditArgs),
    /// Print a rule's documentation: what it checks, why, an example and the fix.
    Explain(ExplainArgs),
    /// Evaluate an Entra ID attribute-mapping expression on given attributes, like Entra's
    /// "Test expression"; or, with --profile, build the whole SCIM User resource. With
    /// `--idp okta`, an Okta Expression Language expression.
    Eval(EvalArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to standard
    /// output; the README says where each shell looks for it.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to standard output: `usernorm man > usernorm.1`, or a
    /// subcommand's own: `usernorm man check > usernorm-check.1`.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// The subcommand whose page to print; without one, the page of `usernorm` itself.
    #[arg(value_name = "COMMAND")]
    pub(crate) command: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Names to check; `-` or none reads standard input, one name per line. Put names that
    /// start with `-` after `--`.
    #[arg(value_name = "NAME")]
    pub(crate) names: Vec<String>,

    #[command(flatten)]
    pub(crate) existing: ExistingArgs,

    #[command(flatten)]
    pub(crate) scim: ScimArgs,

    /// Print only the failing names, each with its rule codes, then a summary on standard
    /// error. For bulk lists.
    #[arg(long, short = 'q')]
    pub(crate) failing: bool,

    /// Do not report later names that repeat an earlier one (`duplicate`).
    #[arg(long)]
    pub(crate) allow_duplicates: bool,

    /// Write a Markdown summary here (counts, failures by rule, the first 50 failing names with
    /// their fixes), for `$GITHUB_STEP_SUMMARY` or a merge-request comment. The file is
    /// replaced, never appended to: append it yourself (`cat FILE >> "$GITHUB_STEP_SUMMARY"`).
    #[arg(long, value_name = "FILE")]
    pub(crate) summary_md: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct NormalizeArgs {
    /// Text to normalize; `-` or none reads standard input, one per line. Put texts that start
    /// with `-` after `--`.
    #[arg(value_name = "TEXT")]
    pub(crate) texts: Vec<String>,

    /// Lowercase the result.
    #[arg(long)]
    pub(crate) lowercase: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The rule code (e.g. `double-dash`); without one, every rule is listed.
    #[arg(value_name = "CODE")]
    pub(crate) code: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    /// The export: CSV in UTF-8 (with or without BOM) or UTF-16 with BOM; `-` reads standard
    /// input.
    #[arg(value_name = "FILE", default_value = "-", allow_hyphen_values = true)]
    pub(crate) input: PathBuf,

    /// Take the username from this column (name or alias, case-insensitive) as it is.
    #[arg(long, value_name = "NAME", conflicts_with = "mapping")]
    pub(crate) column: Option<String>,

    /// The username mapping: an Entra attribute-mapping expression (default: Hugging Face's
    /// recommended `Replace([mailNickname], ".", "", "", "", "", "")`); with `--idp okta`, Okta
    /// Expression Language or a built-in format; with `--idp google`, a field.
    #[arg(long, value_name = "EXPR")]
    pub(crate) mapping: Option<String>,

    /// The provisioning schema downloaded from Entra (Provisioning > Attribute mappings >
    /// Review your schema > Download): the userName mapping, the matching attribute and the
    /// flow types come from it (userName applied only on creation: no renames; Delete among
    /// the target object actions: a warning).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["mapping", "column"])]
    pub(crate) entra_schema: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) existing: ExistingArgs,

    #[command(flatten)]
    pub(crate) scim: ScimArgs,

    /// Write the report here (CSV, or JSON lines with `--format json`) instead of standard
    /// output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,

    /// Write the summary as JSON here.
    #[arg(long, value_name = "FILE")]
    pub(crate) summary_json: Option<PathBuf>,

    /// Write a Markdown summary here (counts by status and rule, the first 50 failing rows
    /// with their fixes), for `$GITHUB_STEP_SUMMARY` or a merge-request comment. The file is
    /// replaced, never appended to: append it yourself (`cat FILE >> "$GITHUB_STEP_SUMMARY"`).
    #[arg(long, value_name = "FILE")]
    pub(crate) summary_md: Option<PathBuf>,

    /// Write a self-contained HTML report here.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,

    /// Write the input back out with a column holding each row's final username (its own, or
    /// the fix), as UTF-8 CSV with the input's delimiter.
    #[arg(long, value_name = "FILE")]
    pub(crate) fixed_out: Option<PathBuf>,

    /// The name of the column `--fixed-out` adds.
    /// For `--idp okta`, the custom profile attribute of the import CSV (default `hfUsername`);
    /// for `--idp google`, the column of the bulk-update CSV (default `Employee ID`).
    #[arg(long, value_name = "NAME", default_value = DEFAULT_FIXED_COLUMN)]
    pub(crate) fixed_column: String,

    /// The identity provider the export comes from: `entra` (a portal or Graph CSV), `okta`
    /// (the Users API JSON, or a CSV of profile variable names; --mapping is Okta Expression
    /// Language or a built-in format: okta-username, okta-username-prefix, email,
    /// email-lowercase, email-prefix, hf-okta-id) or `google` (the Admin console's Download
    /// users CSV; --mapping or --column names the field). Told from the file when not given
    /// (standard input is not looked at: give it there).
    #[arg(long, value_enum, value_name = "IDP")]
    pub(crate) idp: Option<Idp>,

    /// Never show a progress bar.
    #[arg(long)]
    pub(crate) no_progress: bool,
}

/// The org's current members, from a file.
#[derive(Debug, Args)]
pub(crate) struct ExistingArgs {
    /// Existing org members: one username per line, a CSV with a `userName` column (and, for
    /// the provisioning plan, `externalId` and `active`), or JSON (lines, an array or a SCIM
    /// ListResponse). A file named `*.csv`, or whose first line holds a `,`, `;` or tab, is a
    /// CSV, and a CSV without the column is an error. With externalIds the audit matches rows
    /// to members (update, rename, disable); a member's name is `taken` for anyone else, and
    /// names that read like one get a lookalike warning.
    #[arg(long, value_name = "FILE")]
    pub(crate) existing: Option<PathBuf>,

    /// The column of `--existing` that holds the usernames (case-insensitive; `userName` when
    /// not given). Makes the file a CSV.
    #[arg(long, value_name = "NAME", requires = "existing")]
    pub(crate) existing_column: Option<String>,
}

/// Where the org's current members live, besides `--existing`.
#[derive(Debug, Args)]
pub(crate) struct ScimArgs {
    /// A SCIM 2.0 base URL (ending before `/Users`): its users are the org's members (for
    /// `audit`, fetched once with userName, externalId and active, for the plan; for `check`,
    /// their names are `taken`). The bearer token is read from the environment variable named
    /// by --token-env.
    #[arg(long, value_name = "URL")]
    pub(crate) existing_scim: Option<String>,

    /// The environment variable that holds the SCIM bearer token.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "USERNORM_SCIM_TOKEN",
        requires = "existing_scim"
    )]
    pub(crate) token_env: String,

    /// Seconds one SCIM request may take.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 30.0,
        requires = "existing_scim"
    )]
    pub(crate) scim_timeout: f64,

    /// Allow a plain http:// SCIM URL to a host other than this machine.
    #[arg(long, requires = "existing_scim")]
    pub(crate) allow_insecure_http: bool,
}

#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// The expression, e.g. 'Replace([mailNickname], ".", "", "", "", "", "")', or with
    /// `--idp okta` 'String.substringBefore(user.login, "@")'.
    #[arg(
        value_name = "EXPR",
        required_unless_present = "profile",
        conflicts_with = "profile"
    )]
    pub(crate) expression: Option<String>,

    /// A source attribute as `name=value` (split at the first `=`); repeat it for more, or
    /// for the values of a multi-valued attribute. An attribute not given is absent (null).
    /// With `--idp okta`, `name=` binds `user.name` and `appuser.name=` binds `appuser.name`;
    /// `internal.id=` and `internal.status=` set `user.getInternalProperty(...)`.
    #[arg(long = "attr", short = 'a', value_name = "NAME=VALUE")]
    pub(crate) attrs: Vec<String>,

    /// Evaluate a mapping profile instead of one expression: `huggingface-entra` or a TOML
    /// profile file. Prints the SCIM User resource as JSON.
    #[arg(long, value_name = "NAME|FILE")]
    pub(crate) profile: Option<String>,

    /// The identity provider whose expression language EXPR is written in.
    #[arg(long, value_enum, default_value_t = Idp::Entra)]
    pub(crate) idp: Idp,
}

/// `--fixed-out`'s column when not given.
pub(crate) const DEFAULT_FIXED_COLUMN: &str = "usernorm_username";

/// An identity provider, which decides the mapping language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Idp {
    /// Microsoft Entra ID: attribute-mapping expressions.
    Entra,
    /// Okta: Okta Expression Language.
    Okta,
    /// Google Workspace: no expression language (the userName is a chosen field).
    Google,
}
