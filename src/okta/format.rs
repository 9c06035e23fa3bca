//! Okta's built-in application username formats, as expressions.

use std::fmt;

use super::Expression;

/// A built-in Okta application username format (the Sign On tab's "Application username
/// format"), by the name the CLI takes, with the expression it stands for.
///
/// Okta's SCIM `userName` is the app username, `user.login` (an e-mail address) by default.
/// [`OktaFormat::HfOktaId`] is the one Hugging Face's Okta guide sets.
///
/// ```
/// use usernorm::okta::OktaFormat;
///
/// let format = OktaFormat::from_name("email-prefix").unwrap();
/// assert_eq!(format, OktaFormat::EmailPrefix);
/// assert_eq!(format.expression(), r#"String.substringBefore(user.email, "@")"#);
/// assert_eq!(format.name(), "email-prefix");
/// assert_eq!(OktaFormat::ALL.len(), 6);
/// assert_eq!(OktaFormat::from_name("Email"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OktaFormat {
    /// `okta-username`: `user.login`, Okta's default.
    OktaUsername,
    /// `okta-username-prefix`: `String.substringBefore(user.login, "@")`.
    OktaUsernamePrefix,
    /// `email`: `user.email`.
    Email,
    /// `email-lowercase`: `String.toLowerCase(user.email)`.
    EmailLowercase,
    /// `email-prefix`: `String.substringBefore(user.email, "@")`.
    EmailPrefix,
    /// `hf-okta-id`: `user.getInternalProperty("id")`, the Okta user id, as Hugging Face's
    /// Okta guide sets the application username.
    HfOktaId,
}

impl OktaFormat {
    /// Every format, Okta's default first.
    pub const ALL: [OktaFormat; 6] = [
        OktaFormat::OktaUsername,
        OktaFormat::OktaUsernamePrefix,
        OktaFormat::Email,
        OktaFormat::EmailLowercase,
        OktaFormat::EmailPrefix,
        OktaFormat::HfOktaId,
    ];

    /// The format with this name (exactly as [`OktaFormat::name`] gives it).
    ///
    /// ```
    /// use usernorm::okta::OktaFormat;
    /// assert_eq!(OktaFormat::from_name("hf-okta-id"), Some(OktaFormat::HfOktaId));
    /// ```
    pub fn from_name(name: &str) -> Option<OktaFormat> {
        OktaFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The name the CLI takes (`--mapping email-prefix`).
    ///
    /// ```
    /// assert_eq!(usernorm::okta::OktaFormat::OktaUsername.name(), "okta-username");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            OktaFormat::OktaUsername => "okta-username",
            OktaFormat::OktaUsernamePrefix => "okta-username-prefix",
            OktaFormat::Email => "email",
            OktaFormat::EmailLowercase => "email-lowercase",
            OktaFormat::EmailPrefix => "email-prefix",
            OktaFormat::HfOktaId => "hf-okta-id",
        }
    }

    /// The Okta Expression Language expression the format stands for.
    ///
    /// ```
    /// assert_eq!(usernorm::okta::OktaFormat::EmailLowercase.expression(), "String.toLowerCase(user.email)");
    /// ```
    pub fn expression(self) -> &'static str {
        match self {
            OktaFormat::OktaUsername => "user.login",
            OktaFormat::OktaUsernamePrefix => r#"String.substringBefore(user.login, "@")"#,
            OktaFormat::Email => "user.email",
            OktaFormat::EmailLowercase => "String.toLowerCase(user.email)",
            OktaFormat::EmailPrefix => r#"String.substringBefore(user.email, "@")"#,
            OktaFormat::HfOktaId => r#"user.getInternalProperty("id")"#,
        }
    }

    /// What the format gives under Hugging Face's rules, in one line, for the summary.
    ///
    /// ```
    /// use usernorm::okta::OktaFormat;
    /// assert!(OktaFormat::Email.description().contains("always rejected"));
    /// assert!(OktaFormat::HfOktaId.description().contains("unreadable"));
    /// ```
    pub fn description(self) -> &'static str {
        match self {
            OktaFormat::OktaUsername => {
                "Okta's default: the Okta username, an e-mail address, always rejected by \
                 Hugging Face's rules (`@` and `.` are not allowed)"
            }
            OktaFormat::OktaUsernamePrefix => {
                "the Okta username before `@`: readable, but a `.` or `_` in it is rejected \
                 and two people may share it"
            }
            OktaFormat::Email => {
                "the primary e-mail address, always rejected by Hugging Face's rules (`@` \
                 and `.` are not allowed)"
            }
            OktaFormat::EmailLowercase => {
                "the primary e-mail address in lowercase, always rejected by Hugging Face's \
                 rules (`@` and `.` are not allowed)"
            }
            OktaFormat::EmailPrefix => {
                "the primary e-mail address before `@`: readable, but a `.` or `_` in it is \
                 rejected and two people may share it"
            }
            OktaFormat::HfOktaId => {
                "the Okta user id, as Hugging Face's Okta guide sets it: valid and unique \
                 but unreadable; the guide asks admins to edit each username by hand at \
                 assignment"
            }
        }
    }

    /// The format's expression, parsed.
    pub(crate) fn parsed(self) -> Result<Expression, super::Error> {
        Expression::parse(self.expression())
    }
}

impl fmt::Display for OktaFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for OktaFormat {
    type Err = String;

    /// As [`OktaFormat::from_name`]; the error lists the names.
    fn from_str(name: &str) -> Result<OktaFormat, String> {
        OktaFormat::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = OktaFormat::ALL.iter().map(|f| f.name()).collect();
            format!(
                "`{name}` is not an Okta username format; the formats are: {}",
                names.join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::OktaFormat;

    #[test]
    fn every_format_parses_and_round_trips_its_name() {
        for format in OktaFormat::ALL {
            assert!(format.parsed().is_ok(), "{format}");
            assert_eq!(OktaFormat::from_name(format.name()), Some(format));
            assert_eq!(format.name().parse::<OktaFormat>(), Ok(format));
            assert!(!format.description().is_empty());
        }
        let err = "login".parse::<OktaFormat>().expect_err("an error");
        assert!(err.contains("okta-username-prefix"), "{err}");
    }
}
