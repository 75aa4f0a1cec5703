//! Who is calling: a device, identified by its bearer token, or a person, by their session.

use crate::AppState;
use crate::db::devices;
use crate::db::people::{self, Person};
use crate::error::ApiError;
use crate::messages::Message;
use crate::secrets;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use peerpulse_core::org_api::{CSRF_HEADER, SESSION_COOKIE};
use peerpulse_core::people::Permission;
use std::time::Instant;
use subtle::ConstantTimeEq;

pub use crate::db::devices::Device;

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(parts)?;
        let device = devices::by_token_hash(&state.db, &secrets::hash(&token))
            .await?
            .ok_or(ApiError::Unauthorized(Message::DeviceTokenUnknown))?;
        state
            .rate_limit
            .take(&device.id, Instant::now())
            .map_err(ApiError::TooManyRequests)?;
        Ok(device)
    }
}

/// The device token of an `Authorization: Bearer` header.
fn bearer_token(parts: &Parts) -> Result<String, ApiError> {
    let header = parts
        .headers
        .get(AUTHORIZATION)
        .ok_or(ApiError::Unauthorized(Message::DeviceTokenMissing))?;
    header
        .to_str()
        .ok()
        .and_then(|h| h.split_once(' '))
        // The scheme name is case-insensitive (RFC 9110, section 11.1).
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
        .map(|(_, token)| token.trim().to_owned())
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized(Message::AuthorizationMalformed))
}

/// The session cookie as it is named and marked where the service is reached at its public
/// URL. Over https its name carries the `__Host-` prefix: a browser keeps such a cookie only if
/// it was set Secure, by this host alone (no Domain) and for every path, so neither a sibling
/// subdomain nor a plain-http page on the way can plant a session of its choosing here. Plain
/// http (a laptop on 127.0.0.1) cannot set Secure cookies, so the name is bare there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionCookie {
    https: bool,
}

impl SessionCookie {
    /// The cookie of a service reached at `public_url`.
    pub fn at(public_url: &str) -> Self {
        let https = public_url
            .get(.."https://".len())
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
        Self { https }
    }

    /// What precedes [`SESSION_COOKIE`] in the cookie's name.
    fn prefix(self) -> &'static str {
        if self.https { "__Host-" } else { "" }
    }

    /// The `Set-Cookie` value that hands `token` to the browser for `max_age` seconds (0, with
    /// an empty token, takes it back).
    pub fn set(self, token: &str, max_age: i64) -> String {
        let secure = if self.https { "; Secure" } else { "" };
        format!(
            "{}{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
            self.prefix()
        )
    }

    /// The session token `parts` carry in this cookie. Over https a cookie of the bare name is
    /// ignored: anyone could have set it.
    pub fn token(self, parts: &Parts) -> Option<String> {
        parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| name.strip_prefix(self.prefix()) == Some(SESSION_COOKIE))
            .map(|(_, token)| token.to_owned())
            .filter(|token| !token.is_empty())
    }
}

/// The session cookie's token, if the request carries one.
pub fn session_token(state: &AppState, parts: &Parts) -> Option<String> {
    SessionCookie::at(&state.public_url).token(parts)
}

/// A signed-in person. Requests that change something must also echo the session's CSRF
/// token in the `x-csrf-token` header; the cookie alone is not enough.
impl FromRequestParts<AppState> for Person {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = session_token(state, parts).ok_or(ApiError::SignInRequired)?;
        let person = people::session(&state.db, &token)
            .await?
            .ok_or(ApiError::SignInRequired)?;
        if !parts.method.is_safe() {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let matches: bool = sent.as_bytes().ct_eq(person.csrf_token.as_bytes()).into();
            if !matches {
                return Err(ApiError::Forbidden(Message::CsrfTokenMissing));
            }
        }
        Ok(person)
    }
}

/// Refuses `person` unless their role allows `permission`.
pub fn require(person: &Person, permission: Permission) -> Result<(), ApiError> {
    if person.role.may(permission) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(Message::RoleNotAllowed))
    }
}

/// Whoever may read an organization's published trends: one of its phones (device token) or
/// one of its people (session).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reader {
    /// The organization read.
    pub org_id: i64,
    /// Who reads: phones read a coarser view than people signed in.
    pub kind: ReaderKind,
    /// What they read with, to tell whether they still may.
    pub credential: Credential,
}

/// What a reader proved who they are with.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// A device token, by its stored hash.
    Device(String),
    /// A session token.
    Session(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Device(_) => "Credential::Device(..)",
            Self::Session(_) => "Credential::Session(..)",
        })
    }
}

impl Credential {
    /// A name for the phone or session that reveals neither token.
    pub fn key(&self) -> String {
        match self {
            Self::Device(hash) => format!("device:{hash}"),
            Self::Session(token) => format!("session:{}", secrets::hash(token)),
        }
    }

    /// Whether it still gives access: the phone is not revoked, the session not ended.
    pub async fn still_valid(&self, state: &AppState) -> Result<bool, ApiError> {
        Ok(match self {
            Self::Device(hash) => devices::by_token_hash(&state.db, hash).await?.is_some(),
            Self::Session(token) => people::session(&state.db, token).await?.is_some(),
        })
    }
}

/// Who reads an organization's trends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReaderKind {
    /// A phone, by its device token.
    Phone,
    /// A person signed in.
    Person,
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(AUTHORIZATION) {
            let device = Device::from_request_parts(parts, state).await?;
            let token = bearer_token(parts)?;
            return Ok(Self {
                org_id: device.org_id,
                kind: ReaderKind::Phone,
                credential: Credential::Device(secrets::hash(&token)),
            });
        }
        let person = Person::from_request_parts(parts, state).await?;
        require(&person, Permission::ReadTrends)?;
        let token = session_token(state, parts).ok_or(ApiError::SignInRequired)?;
        Ok(Self {
            org_id: person.org_id,
            kind: ReaderKind::Person,
            credential: Credential::Session(token),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;
    use axum::http::header::COOKIE;

    fn with_cookies(cookies: &str) -> Parts {
        let request = Request::builder().header(COOKIE, cookies).body(());
        request.expect("a valid request").into_parts().0
    }

    #[test]
    fn over_https_the_session_cookie_is_host_prefixed_and_secure() {
        for url in ["https://pulse.example.org", "HTTPS://pulse.example.org/"] {
            let set = SessionCookie::at(url).set("tok", 60);
            assert_eq!(
                set,
                "__Host-pp_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure"
            );
        }
    }

    #[test]
    fn over_plain_http_the_session_cookie_has_its_bare_name() {
        let set = SessionCookie::at("http://127.0.0.1:8080").set("tok", 60);
        assert_eq!(
            set,
            "pp_session=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=60"
        );
    }

    #[test]
    fn a_session_is_read_only_from_the_cookie_name_the_service_sets() {
        let https = SessionCookie::at("https://pulse.example.org");
        let http = SessionCookie::at("http://127.0.0.1:8080");
        let planted = with_cookies("pp_session=planted; __Host-pp_session=real");
        assert_eq!(https.token(&planted).as_deref(), Some("real"));
        assert_eq!(http.token(&planted).as_deref(), Some("planted"));
        let bare = with_cookies("theme=dark; pp_session=planted");
        assert_eq!(https.token(&bare), None);
        let prefixed = with_cookies("__Host-pp_session=real");
        assert_eq!(http.token(&prefixed), None);
        assert_eq!(https.token(&with_cookies("__Host-pp_session=")), None);
    }
}
