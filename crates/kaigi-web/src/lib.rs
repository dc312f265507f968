//! kaigi's web layer: server-rendered pages and a JSON API over the storage crate. Handlers
//! only orchestrate: the rules live in `kaigi-core`, the data in `kaigi-db`, and who may do
//! what is decided by `kaigi_core::access::permits`, asked in one place ([`auth::require`]).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use kaigi_db::Db;
use tokio::net::TcpListener;

pub mod api;
pub mod auth;
pub mod error;
pub mod hashing;
pub use kaigi_core::i18n;
pub mod mail;
pub mod need;
pub mod pages;
pub mod pdf;
pub mod routes;
pub mod webhooks;

pub use need::{Need, RouteSpec};
pub use routes::route_table;

/// The OpenAPI document of kaigi's JSON API, from the route table.
pub fn openapi_document() -> serde_json::Value {
    api::openapi_document(&route_table())
}

/// Settings read once at start.
#[derive(Clone)]
pub struct Config {
    /// The address people use to reach kaigi, for links in emails ("http://127.0.0.1:8080").
    pub public_url: String,
    /// Mark cookies `Secure` (and use the `__Host-` prefix): on whenever kaigi is served over HTTPS.
    pub secure_cookies: bool,
    /// SMTP server for the outbox, `smtp://user:pass@host:port`; none keeps mail in the outbox.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Trust `X-Forwarded-For` from a load balancer for login rate limiting.
    pub trust_proxy: bool,
    /// What the solvers started from pages may spend instead of their wall-clock time: tests
    /// give steps, so a loaded machine gets the same answer (none in the product).
    pub solver_budget: Option<kaigi_core::budget::Budget>,
    /// Let webhooks call loopback and private-network addresses (a receiver on the same
    /// machine or network); off, only public addresses are called.
    pub webhook_private_targets: bool,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("public_url", &self.public_url)
            .field("secure_cookies", &self.secure_cookies)
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "<redacted>"))
            .field("mail_from", &self.mail_from)
            .field("trust_proxy", &self.trust_proxy)
            .field("solver_budget", &self.solver_budget)
            .field("webhook_private_targets", &self.webhook_private_targets)
            .finish()
    }
}

impl Config {
    pub fn local(port: u16) -> Self {
        Self {
            public_url: format!("http://127.0.0.1:{port}"),
            secure_cookies: false,
            smtp_url: None,
            mail_from: "kaigi <noreply@kaigi.invalid>".into(),
            trust_proxy: false,
            solver_budget: None,
            webhook_private_targets: false,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Shared by every instance (stored in the database), so CSRF tokens made by one
    /// instance verify on another.
    pub secret: Arc<Vec<u8>>,
    /// This instance's search index, rebuilt whenever the database says something changed.
    pub search: kaigi_db::search::SearchCache,
    /// This instance's copy of each edition's latest published programme; which version is the
    /// latest is asked of the database on every use.
    pub published: kaigi_db::publishing::PublishedCache,
    /// Pages rendered for anonymous readers and the schedule files, by everything they show
    /// (`pages::shared`).
    pub pages: pages::shared::PageCache,
    /// Argon2id takes 19 MiB and most of a core per hash: this many threads do it, the rest
    /// wait, so a burst of sign-ins cannot grow the process without bound.
    pub password_hashing: hashing::PasswordHashing,
}

/// Concurrent password hashes per instance.
pub const CONCURRENT_PASSWORD_HASHES: usize = 4;

impl AppState {
    pub async fn new(db: Db, config: Config) -> Result<Self, kaigi_db::DbError> {
        let secret = kaigi_db::accounts::server_secret(&db).await?;
        let adopted = kaigi_db::publishing::adopt_earlier_publications(&db).await?;
        if adopted > 0 {
            tracing::info!(editions = adopted, "published programmes from before versions are version 1");
        }
        Ok(Self {
            db,
            config: Arc::new(config),
            secret: Arc::new(secret),
            search: Default::default(),
            published: Default::default(),
            pages: Default::default(),
            password_hashing: hashing::PasswordHashing::new(CONCURRENT_PASSWORD_HASHES),
        })
    }

    /// Runs Argon2id work (hashing or verifying) off the request threads, a few at a time.
    pub async fn with_password_hashing<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, error::AppError> {
        self.password_hashing.run(work).await
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    routes::build(state)
}

/// Serves on an already bound listener until ctrl-c (tests bind port 0 themselves).
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let mailer = tokio::spawn(mail::deliver_forever(state.clone()));
    let housekeeping = tokio::spawn(housekeeping(state.db.clone()));
    let webhooks = tokio::spawn(webhooks::deliver_forever(state.clone()));
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    // Small responses go out at once instead of waiting for the client's delayed ACK.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let result = axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await;
    mailer.abort();
    housekeeping.abort();
    webhooks.abort();
    result
}

/// Ctrl-C or SIGTERM (what a service manager or a container runtime sends): either lets the
/// requests in flight finish before the server stops.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("interrupted: finishing requests in flight"),
        () = terminate => tracing::info!("SIGTERM: finishing requests in flight"),
    }
}

/// Removes expired sessions, reset links and old login attempts once an hour. Safe to run on
/// every instance at once: each statement only deletes what is already dead.
async fn housekeeping(db: kaigi_db::Db) {
    loop {
        if let Err(e) = kaigi_db::accounts::remove_expired(&db).await {
            tracing::warn!(error = %e, "housekeeping failed; will retry");
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}
