//! Delivers webhook events. Any instance may run this loop: a delivery is claimed in the
//! database before it is sent, so two instances never send the same try twice, and one that
//! stops mid-send leaves it to another after a minute.
//!
//! Each request is a POST of the event's JSON with these headers:
//! `Kaigi-Event` (e.g. `decision.made`), `Kaigi-Delivery` (the delivery's id, the same on every
//! try), `Kaigi-Timestamp` (Unix seconds of this try) and `Kaigi-Signature`
//! (`sha256=` and the hex HMAC-SHA256 of `"{timestamp}.{body}"` keyed by the webhook's secret).
//! Any 2xx answer delivers it; anything else, or none within ten seconds, is tried again later.

use std::net::SocketAddr;
use std::time::Duration;

use kaigi_core::webhooks::{self as rules};
use kaigi_db::webhooks::{self as store, Due};

use crate::AppState;

/// How long a receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

pub async fn deliver_forever(state: AppState) {
    loop {
        if let Err(e) = deliver_due(&state).await {
            tracing::warn!(error = %e, "webhook delivery failed; will retry");
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}

/// Sends every delivery that is due now (at most a batch); returns how many were tried.
pub async fn deliver_due(state: &AppState) -> Result<usize, kaigi_db::DbError> {
    let mut tried = 0;
    for due in store::due(&state.db, 50).await? {
        if !store::claim(&state.db, due.id, due.attempts).await? {
            continue;
        }
        let (status, error) = send(state.config.webhook_private_targets, &due).await;
        if let Some(error) = &error {
            tracing::info!(delivery = %due.id, event = due.event, error, "webhook not delivered");
        }
        store::record_attempt(&state.db, due.id, due.attempts + 1, status, error.as_deref()).await?;
        tried += 1;
    }
    Ok(tried)
}

/// One try: the receiver's status, and why it failed (none when delivered).
async fn send(allow_private: bool, due: &Due) -> (Option<u16>, Option<String>) {
    // Checked again at each try: the rules or the configuration may have changed since.
    let target = match rules::check_url(&due.url, allow_private) {
        Ok(target) => target,
        Err(problem) => return (None, Some(problem.english)),
    };
    let Ok(url) = reqwest::Url::parse(&target.url) else {
        return (None, Some("not a URL".into()));
    };
    let port = url.port_or_known_default().unwrap_or(443);
    // Resolved once, checked, and then only these addresses are called: a name that answers
    // a public address to the check and a private one to the request (DNS rebinding) gets
    // nowhere.
    let addresses: Vec<SocketAddr> = match tokio::net::lookup_host((target.host.as_str(), port)).await {
        Ok(found) => found.collect(),
        Err(e) => return (None, Some(format!("{}: cannot resolve: {e}", target.host))),
    };
    if addresses.is_empty() {
        return (None, Some(format!("{}: no address", target.host)));
    }
    if !allow_private && let Some(private) = addresses.iter().find(|a| !rules::is_public(a.ip())) {
        return (None, Some(format!("{} resolves to {}, which is not a public address", target.host, private.ip())));
    }
    let client = match reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .user_agent(concat!("kaigi-webhooks/", env!("CARGO_PKG_VERSION")))
        .resolve_to_addrs(&target.host, &addresses)
        .build()
    {
        Ok(client) => client,
        Err(e) => return (None, Some(format!("HTTP client: {e}"))),
    };
    let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let signature = rules::signature(&due.secret, timestamp, due.body.as_bytes());
    let sent = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("Kaigi-Event", &due.event)
        .header("Kaigi-Delivery", due.id.to_string())
        .header("Kaigi-Timestamp", timestamp.to_string())
        .header("Kaigi-Signature", signature)
        .body(due.body.clone())
        .send()
        .await;
    match sent {
        Ok(mut response) => {
            let status = response.status();
            if status.is_success() {
                return (Some(status.as_u16()), None);
            }
            // The start of what the receiver said, for the log; the rest is not read.
            let mut said = Vec::new();
            while said.len() < 2048
                && let Ok(Some(chunk)) = response.chunk().await
            {
                said.extend_from_slice(&chunk);
            }
            let said = rules::excerpt(String::from_utf8_lossy(&said).trim());
            (Some(status.as_u16()), Some(format!("HTTP {status}: {said}").trim_end_matches([' ', ':']).to_owned()))
        }
        Err(e) => {
            let why = if e.is_timeout() { format!("no answer within {} s", TIMEOUT.as_secs()) } else { e.to_string() };
            (None, Some(why))
        }
    }
}
