//! Webhooks: the events a receiving site may subscribe to, how each delivery is signed so the
//! receiver can tell it came from kaigi, when a failed delivery is tried again, and which
//! addresses kaigi refuses to call (a webhook is a request kaigi makes on a user's behalf,
//! so without this a secretariat could make it probe the machine's own network).

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::problem::Problem;

/// What happened, as a receiver subscribes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Event {
    #[serde(rename = "proposal.submitted")]
    ProposalSubmitted,
    #[serde(rename = "evaluation.submitted")]
    EvaluationSubmitted,
    #[serde(rename = "decision.made")]
    DecisionMade,
    #[serde(rename = "programme.published")]
    ProgrammePublished,
    #[serde(rename = "registration.confirmed")]
    RegistrationConfirmed,
    #[serde(rename = "registration.cancelled")]
    RegistrationCancelled,
    #[serde(rename = "minutes.published")]
    MinutesPublished,
    /// Sent on request from the webhook's page, to try a receiver out; never subscribed to.
    #[serde(rename = "ping")]
    Ping,
}

impl Event {
    /// The events a webhook may subscribe to, in the order pages list them.
    pub const SUBSCRIBABLE: [Event; 7] = [
        Event::ProposalSubmitted,
        Event::EvaluationSubmitted,
        Event::DecisionMade,
        Event::ProgrammePublished,
        Event::RegistrationConfirmed,
        Event::RegistrationCancelled,
        Event::MinutesPublished,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Event::ProposalSubmitted => "proposal.submitted",
            Event::EvaluationSubmitted => "evaluation.submitted",
            Event::DecisionMade => "decision.made",
            Event::ProgrammePublished => "programme.published",
            Event::RegistrationConfirmed => "registration.confirmed",
            Event::RegistrationCancelled => "registration.cancelled",
            Event::MinutesPublished => "minutes.published",
            Event::Ping => "ping",
        }
    }

    pub fn parse(name: &str) -> Option<Event> {
        Self::SUBSCRIBABLE.into_iter().chain([Event::Ping]).find(|e| e.name() == name)
    }

    /// Whether the event belongs to an edition. Minutes belong to a committee, which serves
    /// every edition, so only a site-wide webhook hears of them.
    pub fn of_an_edition(self) -> bool {
        !matches!(self, Event::MinutesPublished)
    }
}

/// The events a webhook listens to, as stored: names separated by spaces.
pub fn parse_events(stored: &str) -> Vec<Event> {
    stored.split_whitespace().filter_map(Event::parse).collect()
}

/// The events chosen on a form or in a body: each known and subscribable, none twice, at
/// least one; a site-wide webhook may take every event, an edition's only its own.
pub fn choose_events<'a>(names: impl IntoIterator<Item = &'a str>, site_wide: bool) -> Result<Vec<Event>, Problem> {
    let mut chosen = Vec::new();
    for name in names {
        let event = Event::parse(name.trim())
            .filter(|e| *e != Event::Ping && (site_wide || e.of_an_edition()))
            .ok_or_else(|| {
                Problem::new(
                    "error-webhook-event",
                    format!("events: no event called {name:?} can be subscribed to here"),
                )
                .with("field", "events")
                .with("value", name)
            })?;
        if !chosen.contains(&event) {
            chosen.push(event);
        }
    }
    if chosen.is_empty() {
        return Err(Problem::new("error-webhook-no-event", "events: choose at least one event").with("field", "events"));
    }
    // Stored in the order pages list them, whatever order they were given in.
    chosen.sort_by_key(|e| Event::SUBSCRIBABLE.iter().position(|s| s == e));
    Ok(chosen)
}

pub fn events_text(events: &[Event]) -> String {
    events.iter().map(|e| e.name()).collect::<Vec<_>>().join(" ")
}

/// How many times a delivery is tried before kaigi gives up on it.
pub const MAX_ATTEMPTS: i64 = 8;

/// How long to wait after the `attempts`-th failed try before the next: 30 seconds, then four
/// times longer each time, at most six hours (about 14 hours from first to last try); none once
/// [`MAX_ATTEMPTS`] tries have failed.
pub fn retry_after(attempts: i64) -> Option<Duration> {
    if !(1..MAX_ATTEMPTS).contains(&attempts) {
        return None;
    }
    let seconds = 30u64.saturating_mul(4u64.saturating_pow((attempts - 1) as u32));
    Some(Duration::from_secs(seconds.min(6 * 3600)))
}

/// The signature header's value for a body sent at `timestamp` (Unix seconds):
/// `sha256=` and the hex HMAC-SHA256, keyed by the webhook's secret, of `"{timestamp}.{body}"`.
/// Signing the timestamp with the body lets a receiver refuse an old delivery replayed.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = keyed(secret, timestamp, body).finalize().into_bytes();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Whether `header` is the signature of `body` at `timestamp`, compared in constant time.
pub fn verify(secret: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.strip_prefix("sha256=") else {
        return false;
    };
    let Some(given) = decode_hex(hex) else {
        return false;
    };
    keyed(secret, timestamp, body).verify_slice(&given).is_ok()
}

/// The HMAC of `"{timestamp}.{body}"` keyed by the secret, before it is read.
fn keyed(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

/// Longest URL a webhook may have.
pub const MAX_URL: usize = 2000;

/// A webhook's address, checked: http or https, a host, no credentials (they would be stored
/// and shown), and, unless private targets are allowed, no host that is plainly this machine
/// or a private network. A name is checked again once resolved, when delivering
/// ([`is_public`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub host: String,
}

pub fn check_url(text: &str, allow_private: bool) -> Result<Target, Problem> {
    let text = text.trim();
    let refuse = |key: &'static str, why: &str| {
        Problem::new(key, format!("url: {why}: {text:?}")).with("field", "url").with("value", text)
    };
    if text.is_empty() {
        return Err(Problem::new("error-field-empty", "url: must not be empty").with("field", "url"));
    }
    if text.chars().count() > MAX_URL {
        return Err(refuse("error-webhook-url", "longer than 2000 characters"));
    }
    // A URI as RFC 3986 writes it: ASCII, no spaces or brackets around it, every `%` a
    // percent-encoding (a page first turns a pasted address into one, see [`as_typed`]).
    if !is_uri_text(text) {
        return Err(refuse("error-webhook-url", "not a URL (RFC 3986)"));
    }
    let url = url::Url::parse(text).map_err(|_| refuse("error-webhook-url", "not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse("error-webhook-url-scheme", "only http and https addresses can be called"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            "error-webhook-url-credentials",
            "an address with a user name or password would be stored and shown; use the secret",
        ));
    }
    let host = match url.host() {
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if !allow_private && (name == "localhost" || name.ends_with(".localhost")) {
                return Err(refuse("error-webhook-url-private", "this machine cannot be called"));
            }
            name
        }
        Some(url::Host::Ipv4(ip)) => {
            if !allow_private && !is_public(IpAddr::V4(ip)) {
                return Err(refuse(
                    "error-webhook-url-private",
                    "a private, loopback or reserved address cannot be called",
                ));
            }
            ip.to_string()
        }
        Some(url::Host::Ipv6(ip)) => {
            if !allow_private && !is_public(IpAddr::V6(ip)) {
                return Err(refuse(
                    "error-webhook-url-private",
                    "a private, loopback or reserved address cannot be called",
                ));
            }
            ip.to_string()
        }
        None => return Err(refuse("error-webhook-url", "no host")),
    };
    Ok(Target { url: url.to_string(), host })
}

fn is_uri_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                if !(at + 2 < bytes.len() && bytes[at + 1].is_ascii_hexdigit() && bytes[at + 2].is_ascii_hexdigit()) {
                    return false;
                }
                at += 3;
                continue;
            }
            b if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b) => {}
            _ => return false,
        }
        at += 1;
    }
    true
}

/// An address as a person pastes it (a host in Japanese, a space in the path) written as the
/// URI it stands for, for [`check_url`]; text that is no address is left as it is, to be
/// refused there.
pub fn as_typed(text: &str) -> String {
    url::Url::parse(text.trim()).map_or_else(|_| text.trim().to_owned(), |u| u.to_string())
}

/// Whether an address is on the public Internet: not loopback, private, link-local (where
/// cloud metadata services live), shared (carrier-grade NAT), documentation, benchmarking,
/// multicast, broadcast or unspecified; an IPv6 address that maps or embeds an IPv4 one is
/// judged by it.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address inside.
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                return is_public_v4(Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8));
            }
            if s[0] == 0x2002 {
                return is_public_v4(Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8));
            }
            !(v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated, still routed inside some networks)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || s[..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible (deprecated)
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (RFC 6598)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

/// A secret for a new webhook when none is given: 32 random bytes from the caller, as hex.
pub fn secret_from(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The shortest and longest secret a person may choose.
pub const SECRET_LENGTH: std::ops::RangeInclusive<usize> = 16..=200;

pub fn check_secret(secret: &str) -> Result<(), Problem> {
    let length = secret.chars().count();
    if !SECRET_LENGTH.contains(&length) || secret.chars().any(char::is_control) {
        return Err(Problem::new(
            "error-webhook-secret",
            format!("secret: 16 to 200 characters without control characters, got {length}"),
        )
        .with("field", "secret"));
    }
    Ok(())
}

/// What to keep of a receiver's answer in the delivery log.
pub fn excerpt(answer: &str) -> String {
    shorten(answer, 500)
}

/// The first `keep` characters of a text, with "…" when there was more (a page's column, a
/// stored excerpt); never cut inside a character.
pub fn shorten(text: &str, keep: usize) -> String {
    match text.char_indices().nth(keep) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_with_an_ipv4_inside_is_judged_by_it() {
        assert!(!is_public("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!is_public("64:ff9b::a9fe:a9fe".parse().unwrap()));
        assert!(!is_public("2002:c0a8:0101::1".parse().unwrap()));
        assert!(is_public("2002:0808:0808::1".parse().unwrap()));
        assert!(is_public("2606:4700::1111".parse().unwrap()));
    }

    #[test]
    fn backoff_grows_and_stops() {
        let waits: Vec<u64> = (1..=MAX_ATTEMPTS).map(|n| retry_after(n).map_or(0, |d| d.as_secs())).collect();
        assert_eq!(waits, [30, 120, 480, 1920, 7680, 21600, 21600, 0]);
        assert_eq!(retry_after(0), None);
    }
}
