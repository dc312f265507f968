//! `kaigi token …`: personal API tokens from the command line, on the same storage functions
//! as the account page.

use anyhow::{Result, anyhow};
use clap::Subcommand;
use kaigi_core::access::TokenScope;
use kaigi_db::{Actor, tokens};

use crate::terminal::{ExitWith, open};

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Make a token for the account with this email. The token is printed once, alone on the
    /// last line of standard output; only its hash is kept.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for, so its holder can tell tokens apart.
        #[arg(long, default_value = "kaigi token create")]
        name: String,
        /// read: GET only; write: every request the holder's roles allow.
        #[arg(long, default_value = "read")]
        scope: String,
        /// Days until it expires (1 to 366).
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
    /// The account's tokens: id, name, scope, expiry, and whether revoked (tab-separated).
    List {
        #[arg(long)]
        email: String,
    },
    /// Revoke one of the account's tokens at once.
    Revoke {
        #[arg(long)]
        email: String,
        id: uuid::Uuid,
    },
}

async fn user(db: &kaigi_db::Db, email: &str) -> Result<uuid::Uuid> {
    Ok(kaigi_db::accounts::find_user_by_email(db, email)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| ExitWith { code: 2, message: format!("--email: no active account {email:?}") })?
        .id)
}

pub async fn run(url: &str, command: TokenCommand) -> Result<()> {
    let db = open(url).await?;
    let actor = Actor::system("cli");
    match command {
        TokenCommand::Create { email, name, scope, days } => {
            let scope: TokenScope = scope
                .parse()
                .map_err(|_| ExitWith { code: 2, message: format!("--scope {scope:?}: use read or write") })?;
            let user = user(&db, &email).await?;
            let (token, secret) = tokens::create(&db, &actor, user, &name, scope, days)
                .await
                .map_err(|e| ExitWith { code: 2, message: e.to_string() })?;
            outln!(
                "token {} ({}, {}) for {email}, expires {}; shown only now:",
                token.id,
                token.name,
                token.scope,
                token.expires_at.date()
            );
            outln!("{secret}");
        }
        TokenCommand::List { email } => {
            let user = user(&db, &email).await?;
            let now = kaigi_db::now();
            for t in tokens::of_user(&db, user).await? {
                let state = match (t.revoked_at, t.usable(now)) {
                    (Some(_), _) => "revoked",
                    (None, false) => "expired",
                    (None, true) => "active",
                };
                outln!("{}\t{}\t{}\t{}\t{state}", t.id, t.name, t.scope, t.expires_at.date());
            }
        }
        TokenCommand::Revoke { email, id } => {
            let user = user(&db, &email).await?;
            tokens::revoke(&db, &actor, user, id).await.map_err(|e| anyhow!("token {id}: {e}"))?;
            outln!("revoked token {id}");
        }
    }
    Ok(())
}
