//! The org's members with their identities, listed from the endpoint: the snapshot a
//! provisioning plan matches export rows against.

use usernorm::{Members, MembersSource, OrgSnapshot, Policy};

use crate::client::ScimClient;
use crate::error::ScimError;
use crate::page::Listing;

/// The attributes a listing of members asks for (RFC 7644 §3.9; the commas need no escaping
/// in a query).
pub(crate) const MEMBER_ATTRIBUTES: &str = "userName,externalId,active";

impl ScimClient {
    /// Every member of the endpoint with its identity: `userName`, `externalId`, `active`
    /// and the SCIM `id`, fetched page by page as [`all_user_names`](Self::all_user_names)
    /// does (`attributes=userName,externalId,active`), with the same bounds and checks (the
    /// externalIds count towards [`ScimOptions::max_listing_bytes`](crate::ScimOptions::max_listing_bytes)), in the order listed, and
    /// the number of pages it took. A user listed twice (by `id`, or by `userName` when it has
    /// none) is kept once.
    ///
    /// ```no_run
    /// use usernorm_scim::{ScimClient, ScimOptions};
    ///
    /// let token = std::env::var("USERNORM_SCIM_TOKEN")?;
    /// let client = ScimClient::new(ScimOptions::new("https://127.0.0.1:8443/scim/v2", token))?;
    /// let (members, pages) = client.all_members()?;
    /// assert!(members.identities);
    /// for m in &members.members {
    ///     println!("{} {:?} {:?}", m.user_name, m.external_id, m.active);
    /// }
    /// # let _ = pages;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`all_user_names`](Self::all_user_names); [`ScimError::NotScim`] also when a user's
    /// `externalId` is not a string or its `active` not a boolean.
    pub fn all_members(&self) -> Result<(Members, usize), ScimError> {
        let mut listing = Listing::keeping_members(self.bounds());
        self.finish_listing(&mut listing)?;
        let pages = listing.pages();
        let members = Members {
            members: listing.into_members(),
            source: MembersSource::Scim,
            identities: true,
        };
        Ok((members, pages))
    }

    /// The org as the endpoint lists it ([`all_members`](Self::all_members)), indexed under
    /// the policy's canonical keys.
    ///
    /// # Errors
    /// As [`all_members`](Self::all_members).
    pub fn snapshot(&self, policy: &Policy) -> Result<OrgSnapshot, ScimError> {
        let (members, _) = self.all_members()?;
        Ok(OrgSnapshot::new(policy, members))
    }
}
