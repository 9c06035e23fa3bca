//! `--existing-scim`: the org's members behind a live SCIM 2.0 endpoint.

use usernorm::Policy;

use crate::CliError;
use crate::args::ScimArgs;

/// The live registry, when `--existing-scim` is given.
#[cfg(feature = "scim")]
pub(crate) type Live = Option<usernorm_scim::ScimRegistry>;
/// This build has no SCIM support; the registry is never there.
#[cfg(not(feature = "scim"))]
pub(crate) type Live = Option<usernorm::EmptyRegistry>;

/// Connects to the endpoint named by `--existing-scim`, with the token from the environment.
#[cfg(feature = "scim")]
pub(crate) fn connect(args: &ScimArgs, policy: &Policy) -> Result<Live, CliError> {
    let Some(options) = options(args)? else {
        return Ok(None);
    };
    usernorm_scim::ScimRegistry::new(policy, options)
        .map(Some)
        .map_err(|e| CliError::new(e.to_string()))
}

/// Every member of the endpoint named by `--existing-scim`, with userName, externalId and
/// active, and the pages it took; `None` without the option.
#[cfg(feature = "scim")]
pub(crate) fn members(args: &ScimArgs) -> Result<Option<(usernorm::Members, usize)>, CliError> {
    let Some(options) = options(args)? else {
        return Ok(None);
    };
    let client =
        usernorm_scim::ScimClient::new(options).map_err(|e| CliError::new(e.to_string()))?;
    client
        .all_members()
        .map(Some)
        .map_err(|e| CliError::new(e.to_string()))
}

#[cfg(not(feature = "scim"))]
pub(crate) fn members(args: &ScimArgs) -> Result<Option<(usernorm::Members, usize)>, CliError> {
    connect(args, &Policy::huggingface()).map(|_| None)
}

/// The client's options from the arguments, the token from the environment.
#[cfg(feature = "scim")]
fn options(args: &ScimArgs) -> Result<Option<usernorm_scim::ScimOptions>, CliError> {
    use std::time::Duration;

    let Some(url) = &args.existing_scim else {
        return Ok(None);
    };
    let token = std::env::var(&args.token_env).map_err(|_| {
        CliError::new(format!(
            "--existing-scim needs the bearer token in the environment variable {} \
             (--token-env names another); it is never taken from an argument",
            args.token_env
        ))
    })?;
    if !(args.scim_timeout > 0.0 && args.scim_timeout <= 3600.0) {
        return Err(CliError::new(
            "--scim-timeout must be between 0 and 3600 seconds".to_owned(),
        ));
    }
    let mut options = usernorm_scim::ScimOptions::new(url.as_str(), token);
    options.timeout = Duration::from_secs_f64(args.scim_timeout);
    options.allow_insecure_http = args.allow_insecure_http;
    Ok(Some(options))
}

#[cfg(not(feature = "scim"))]
pub(crate) fn connect(args: &ScimArgs, _policy: &Policy) -> Result<Live, CliError> {
    match &args.existing_scim {
        Some(_) => Err(CliError::new(
            "this build of usernorm has no SCIM support".to_owned(),
        )),
        None => Ok(None),
    }
}

/// How the endpoint was asked and why, for the summary.
#[cfg(feature = "scim")]
pub(crate) fn summary(live: &Live) -> Option<String> {
    let stats = live.as_ref()?.stats();
    let why = stats.why.map(|why| format!(": {why}")).unwrap_or_default();
    Some(match stats.fetched {
        Some((names, pages)) => format!(
            "SCIM: fetched all {names} userNames in {pages} page{} (after {} single lookups), checked locally{why}",
            if pages == 1 { "" } else { "s" },
            stats.lookups
        ),
        None => format!(
            "SCIM: looked up {} name{} one by one{why}",
            stats.lookups,
            if stats.lookups == 1 { "" } else { "s" }
        ),
    })
}

#[cfg(not(feature = "scim"))]
pub(crate) fn summary(_live: &Live) -> Option<String> {
    None
}
