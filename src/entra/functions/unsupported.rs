//! Functions of the reference that cannot be evaluated on an exported row: they evaluate to an
//! error that says why.

use crate::entra::Value;
use crate::entra::context::{Call, Ctx, R};
use crate::entra::error::Fault;

/// `SelectUniqueValue(rule1, rule2, ...)`: not for SCIM applications.
pub(crate) fn select_unique_value(_: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    Err(Fault::new(
        call.span,
        "SelectUniqueValue is not supported for SCIM applications: Microsoft supports it only when provisioning from Workday or SuccessFactors, or through API-driven provisioning, into on-premises Active Directory",
    ))
}

/// `AppRoleAssignmentsComplex` and `SingleAppRoleAssignment`: they read what the service builds
/// from the app's role assignments.
pub(crate) fn app_role_assignments(_: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    Err(Fault::new(
        call.span,
        format!(
            "{} reads the appRoleAssignments object that the provisioning service builds from the app's role assignments; it cannot be evaluated on exported attributes",
            call.name
        ),
    ))
}
