//! The org and the provisioning plan an audit predicts against: the members from
//! `--existing` and `--existing-scim`, and the matching and flow types from `--entra-schema`.

use usernorm::audit::{EntraMapping, Plan, SchemaPlan, UsernameSource};
use usernorm::entra::ProvisioningSchema;
use usernorm::{LookalikeIndex, Members, MembersSource, OrgSnapshot, Policy};

use crate::args::AuditArgs;
use crate::{CliError, config, scim};

/// The org as the audit sees it.
pub(crate) struct Org {
    pub(crate) snapshot: OrgSnapshot,
    /// How the members were fetched from SCIM, for the summary.
    pub(crate) fetched: Option<String>,
}

impl Org {
    /// The members of `--existing` and of `--existing-scim`, together.
    pub(crate) fn load(args: &AuditArgs, policy: &Policy) -> Result<Org, CliError> {
        let mut members = config::members(&args.existing)?
            .unwrap_or_else(|| Members::from_names(Vec::<String>::new()));
        let mut fetched = None;
        if let Some((live, pages)) = scim::members(&args.scim)? {
            fetched = Some(format!(
                "SCIM: fetched {} member{} (userName, externalId, active) in {pages} page{}",
                live.members.len(),
                if live.members.len() == 1 { "" } else { "s" },
                if pages == 1 { "" } else { "s" }
            ));
            if members.members.is_empty() {
                members.source = MembersSource::Scim;
            }
            members.identities = true;
            members.members.extend(live.members);
        }
        Ok(Org {
            snapshot: OrgSnapshot::new(policy, members),
            fetched,
        })
    }

    /// The members' names, for lookalike warnings.
    pub(crate) fn lookalikes<'p>(&self, policy: &'p Policy) -> LookalikeIndex<'p> {
        let mut index = LookalikeIndex::new(policy);
        for member in self.snapshot.members() {
            index.insert(&member.user_name);
        }
        index
    }
}

/// What `--entra-schema` sets: the username mapping and the plan's matching and flows.
pub(crate) struct Schema {
    pub(crate) mapping: Box<dyn UsernameSource>,
    settings: SchemaPlan,
}

impl Schema {
    /// Reads the provisioning schema downloaded from Entra.
    pub(crate) fn load(path: &std::path::Path) -> Result<Schema, CliError> {
        let text = config::read_text(path)?;
        let at = |e: String| CliError::new(format!("--entra-schema {}: {e}", path.display()));
        let schema = ProvisioningSchema::parse(&text).map_err(|e| at(e.to_string()))?;
        let settings = SchemaPlan::new(&schema).map_err(|e| at(e.to_string()))?;
        let mapping = EntraMapping::parse(&settings.expression)
            .map_err(|e| at(format!("the userName mapping ({}): {e}", settings.path)))?;
        Ok(Schema {
            mapping: Box::new(mapping),
            settings,
        })
    }

    /// The plan over `org` with the schema's settings.
    pub(crate) fn plan<'a>(&self, org: &'a OrgSnapshot) -> Plan<'a> {
        self.settings.apply(Plan::new(org))
    }
}
