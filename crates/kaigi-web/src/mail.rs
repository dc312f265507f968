//! Delivers the outbox through SMTP when one is configured. Any instance may run this loop:
//! a message is claimed in the database before it is sent, so two instances never send it twice.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::AppState;

pub async fn deliver_forever(state: AppState) {
    let Some(url) = state.config.smtp_url.clone() else {
        return;
    };
    let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(&url) {
        Ok(builder) => builder.build(),
        Err(e) => {
            tracing::error!(error = %e, "KAIGI_SMTP_URL is not a valid SMTP URL; mail stays in the outbox");
            return;
        }
    };
    loop {
        if let Err(e) = deliver_once(&state, &transport).await {
            tracing::warn!(error = %e, "outbox delivery failed; will retry");
        }
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
}

async fn deliver_once(
    state: &AppState,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
) -> Result<(), kaigi_db::DbError> {
    for message in kaigi_db::outbox::pending(&state.db, 20).await? {
        if !kaigi_db::outbox::claim(&state.db, message.id, message.attempts).await? {
            continue;
        }
        let email = Message::builder()
            .from(state.config.mail_from.parse().map_err(|e| kaigi_db::DbError::Internal(format!("mail from: {e}")))?)
            .to(match message.to_address.parse() {
                Ok(to) => to,
                Err(e) => {
                    kaigi_db::outbox::mark_failed(&state.db, message.id, &format!("bad address: {e}")).await?;
                    continue;
                }
            })
            .subject(message.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone());
        let result = match email {
            Ok(email) => transport.send(email).await.map(|_| ()).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match result {
            Ok(()) => kaigi_db::outbox::mark_sent(&state.db, message.id).await?,
            Err(e) => kaigi_db::outbox::mark_failed(&state.db, message.id, &e).await?,
        }
    }
    Ok(())
}
