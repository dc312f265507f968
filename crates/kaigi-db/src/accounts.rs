//! Accounts: users, Argon2id passwords, role grants, server-side sessions, invitations,
//! password resets and login rate limiting. Everything lives in the database, so any number
//! of kaigi instances behind a load balancer agree on who is signed in and who is locked out.

use crate::Run;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kaigi_core::access::{Grant, Role, Scope};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Actor, NOTHING};
use crate::{Db, DbError, DbResult, Tx, new_id, now, on_db, on_tx};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const SESSION_LIFETIME: Duration = Duration::days(14);
pub const INVITATION_LIFETIME: Duration = Duration::days(14);
pub const RESET_LIFETIME: Duration = Duration::hours(2);
/// Failed logins allowed per account and per address within [`LOGIN_WINDOW`].
pub const LOGIN_FAILURES_ALLOWED: i64 = 5;
pub const LOGIN_WINDOW: Duration = Duration::minutes(15);

/// Hashes a password with Argon2id (the `argon2` crate's defaults: m=19 MiB, t=2, p=1,
/// the OWASP recommendation) and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> DbResult<String> {
    check_password_strength(password)?;
    let failed = |e: &dyn std::fmt::Display| DbError::Internal(format!("password: cannot hash: {e}"));
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let params = Params::default();
    let mut out = [0u8; 32];
    with_memory(params.block_count(), |memory| {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone()).hash_password_into_with_memory(
            password.as_bytes(),
            &salt,
            &mut out,
            memory,
        )
    })
    .map_err(|e| failed(&e))?;
    let phc = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

pub fn check_password_strength(password: &str) -> DbResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(DbError::refused(
            "error-password-short",
            format!("password: at least {MIN_PASSWORD_CHARS} characters"),
        )
        .with("min", MIN_PASSWORD_CHARS));
    }
    Ok(())
}

/// Whether `password` matches the PHC string `phc` (any Argon2 variant and parameters it
/// names; anything unreadable does not match).
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else { return false };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm.as_str()) else { return false };
    let version = match hash.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&hash) else { return false };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else { return false };
    let mut out = vec![0u8; expected.len()];
    let computed = with_memory(params.block_count(), |memory| {
        Argon2::new(algorithm, version, params.clone()).hash_password_into_with_memory(
            password.as_bytes(),
            salt.as_ref(),
            &mut out,
            memory,
        )
    });
    computed.is_ok() && constant_time_eq(&out, expected.as_bytes())
}

/// Equal bytes, compared in a time that does not depend on where they differ (hashes, tokens).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

thread_local! {
    /// The memory Argon2id works in, kept by each thread that hashes and reused: without it
    /// every hash allocates 19 MiB anew, and the allocator keeps much of what bursts of
    /// sign-ins took (measured in BENCHMARKS.md).
    static ARGON2_MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    ARGON2_MEMORY.with(|cell| match cell.try_borrow_mut() {
        Ok(mut memory) => {
            if memory.len() < blocks {
                memory.resize(blocks, Block::default());
            }
            work(&mut memory[..blocks])
        }
        // Never re-entered in practice; a fresh buffer keeps it correct if it were.
        Err(_) => work(&mut vec![Block::default(); blocks]),
    })
}

/// A random token for a link or a cookie, and the hash that is stored in its place.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn normalize_email(email: &str) -> DbResult<String> {
    let email = email.trim();
    if kaigi_core::directory::is_email(email) {
        Ok(email.to_lowercase())
    } else {
        Err(DbError::refused("error-email", "email: not an email address").with("value", email))
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub person_id: Option<Uuid>,
    pub language: Option<String>,
    pub active: bool,
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, person_id, language, active";

pub async fn create_user(
    tx: &mut Tx,
    actor: &Actor,
    email: &str,
    display_name: &str,
    password_hash: Option<&str>,
    person: Option<Uuid>,
) -> DbResult<Uuid> {
    let email = normalize_email(email)?;
    let display_name = kaigi_core::directory::normalize_spaces(display_name);
    if display_name.is_empty() {
        return Err(DbError::empty("name"));
    }
    let id = new_id();
    let now = now();
    let inserted = on_tx!(tx, c => sqlx::query(
        "insert into users (id, email, display_name, password_hash, person_id, active, created_at, updated_at)
         values ($1, $2, $3, $4, $5, true, $6, $6) on conflict (email) do nothing")
        .bind(id).bind(&email).bind(&display_name).bind(password_hash).bind(person).bind(now)
        .rows(c).await)?;
    if inserted == 0 {
        return Err(DbError::refused("error-account-exists", format!("email: an account for {email} exists already"))
            .with("email", &email));
    }
    let after = serde_json::json!({"email": email, "display_name": display_name, "person": person});
    audit::record(tx, actor, "user", &id.to_string(), "create", NOTHING, Some(&after)).await?;
    Ok(id)
}

pub async fn find_user_by_email(db: &Db, email: &str) -> DbResult<Option<User>> {
    let Ok(email) = normalize_email(email) else {
        return Ok(None);
    };
    let sql = format!("select {USER_COLUMNS} from users where email = $1");
    Ok(on_db!(db, pool => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql)).bind(&email).fetch_optional(pool).await)?)
}

pub async fn get_user(db: &Db, id: Uuid) -> DbResult<Option<User>> {
    let sql = format!("select {USER_COLUMNS} from users where id = $1");
    Ok(on_db!(db, pool => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?)
}

pub async fn list_users(db: &Db) -> DbResult<Vec<User>> {
    let sql = format!("select {USER_COLUMNS} from users order by email");
    Ok(on_db!(db, pool => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await)?)
}

pub async fn grant(tx: &mut Tx, actor: &Actor, user: Uuid, grant: &Grant) -> DbResult<()> {
    let now = now();
    let inserted = on_tx!(tx, c => sqlx::query(
        "insert into role_grants (id, user_id, role, scope_kind, scope_id, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)
         on conflict (user_id, role, scope_kind, scope_id) do nothing")
        .bind(new_id()).bind(user).bind(grant.role.code()).bind(grant.scope.kind()).bind(grant.scope.id()).bind(now)
        .rows(c).await)?;
    if inserted == 1 {
        audit::record(tx, actor, "user", &user.to_string(), "grant", NOTHING, Some(grant)).await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    role: String,
    scope_kind: String,
    scope_id: String,
}

pub async fn grants_of(db: &Db, user: Uuid) -> DbResult<Vec<Grant>> {
    let sql =
        "select role, scope_kind, scope_id from role_grants where user_id = $1 order by role, scope_kind, scope_id";
    let rows = on_db!(db, pool => sqlx::query_as::<_, GrantRow>(sql).bind(user).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Grant { role: r.role.parse::<Role>().ok()?, scope: Scope::from_parts(&r.scope_kind, &r.scope_id)? })
        })
        .collect())
}

pub async fn set_language(tx: &mut Tx, actor: &Actor, user: Uuid, language: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("update users set language = $2, updated_at = $3 where id = $1")
        .bind(user).bind(language).bind(now()).rows(c).await)?;
    audit::record(tx, actor, "user", &user.to_string(), "set-language", NOTHING, Some(&language)).await
}

/// The name the account is shown by (normalised spaces, 1–100 characters).
pub async fn set_display_name(tx: &mut Tx, actor: &Actor, user: Uuid, name: &str) -> DbResult<String> {
    let name = kaigi_core::directory::normalize_spaces(name);
    let length = name.chars().count();
    if !(1..=100).contains(&length) {
        return Err(DbError::length("display_name", length, 1, 100));
    }
    on_tx!(tx, c => sqlx::query("update users set display_name = $2, updated_at = $3 where id = $1")
        .bind(user).bind(&name).bind(now()).rows(c).await)?;
    audit::record(tx, actor, "user", &user.to_string(), "set-display-name", NOTHING, Some(&name)).await?;
    Ok(name)
}

/// Ends every session of the account (a lost phone, a shared computer): all sign in again.
pub async fn end_sessions(db: &Db, actor: &Actor, user: Uuid) -> DbResult<u64> {
    let mut tx = db.begin().await?;
    let ended =
        on_tx!(&mut tx, c => sqlx::query("delete from web_sessions where user_id = $1").bind(user).rows(c).await)?;
    audit::record(&mut tx, actor, "user", &user.to_string(), "end-sessions", NOTHING, Some(&ended)).await?;
    tx.commit().await?;
    Ok(ended)
}

pub async fn set_password(tx: &mut Tx, actor: &Actor, user: Uuid, password_hash: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("update users set password_hash = $2, updated_at = $3 where id = $1")
        .bind(user).bind(password_hash).bind(now()).rows(c).await)?;
    // A new password ends every session: whoever had the old one is signed out.
    on_tx!(tx, c => sqlx::query("delete from web_sessions where user_id = $1").bind(user).rows(c).await)?;
    audit::record(tx, actor, "user", &user.to_string(), "set-password", NOTHING, NOTHING).await
}

// --- sessions ---------------------------------------------------------------------------

/// Starts a session and returns the cookie token; only its hash is stored.
pub async fn create_session(db: &Db, user: Uuid) -> DbResult<String> {
    let (token, hash) = new_token();
    let now = now();
    on_db!(db, pool => sqlx::query(
        "insert into web_sessions (id, token_hash, user_id, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
        .bind(new_id()).bind(&hash).bind(user).bind(now + SESSION_LIFETIME).bind(now)
        .rows(pool).await)?;
    Ok(token)
}

/// The session behind a cookie, with the user and their grants, if it is live.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session_id: Uuid,
    pub user: User,
    pub grants: Vec<Grant>,
}

pub async fn session_user(db: &Db, token: &str) -> DbResult<Option<SessionUser>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        user_id: Uuid,
        expires_at: OffsetDateTime,
    }
    let sql = "select id, user_id, expires_at from web_sessions where token_hash = $1";
    let row = on_db!(db, pool => sqlx::query_as::<_, Row>(sql).bind(token_hash(token)).fetch_optional(pool).await)?;
    let Some(row) = row.filter(|r| r.expires_at > now()) else {
        return Ok(None);
    };
    let Some(user) = get_user(db, row.user_id).await?.filter(|u| u.active) else {
        return Ok(None);
    };
    let grants = grants_of(db, user.id).await?;
    Ok(Some(SessionUser { session_id: row.id, user, grants }))
}

pub async fn delete_session(db: &Db, token: &str) -> DbResult<()> {
    on_db!(db, pool => sqlx::query("delete from web_sessions where token_hash = $1").bind(token_hash(token)).rows(pool).await)?;
    Ok(())
}

// --- abuse limits ---------------------------------------------------------------------------

/// How many attempts a key may make within a window.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub allowed: i64,
    pub window: Duration,
}

/// Wrong passwords per account.
pub const LOGIN_PER_ACCOUNT: Limit = Limit { allowed: LOGIN_FAILURES_ALLOWED, window: LOGIN_WINDOW };
/// Wrong passwords per client address (a shared office or a conference network has many people).
pub const LOGIN_PER_ADDRESS: Limit = Limit { allowed: LOGIN_FAILURES_ALLOWED * 4, window: LOGIN_WINDOW };

/// Sign-up links asked for, per client address and per email address.
pub const SIGNUP_PER_ADDRESS: Limit = Limit { allowed: 5, window: Duration::minutes(15) };
pub const SIGNUP_PER_EMAIL: Limit = Limit { allowed: 3, window: Duration::hours(1) };
/// Password-reset links asked for, per client address and per account.
pub const RESET_PER_ADDRESS: Limit = Limit { allowed: 5, window: Duration::minutes(15) };
pub const RESET_PER_ACCOUNT: Limit = Limit { allowed: 3, window: Duration::hours(1) };
/// Invitations one account sends (each is an email).
pub const INVITATIONS_PER_ACCOUNT: Limit = Limit { allowed: 200, window: Duration::hours(1) };
/// People added to proposals by email address, per account (each may send a letter).
pub const PEOPLE_BY_EMAIL_PER_ACCOUNT: Limit = Limit { allowed: 30, window: Duration::hours(1) };
/// Rounds of evaluation reminders per call (each writes to every evaluator behind): a script
/// in a loop must not flood the committee's inboxes.
pub const REMINDERS_PER_CALL: Limit = Limit { allowed: 3, window: Duration::hours(24) };

/// One attempt, counted against its key until [`forgive`] (a sign-in that succeeded).
#[derive(Clone, Copy, Debug)]
pub struct Attempt {
    pub id: Uuid,
    /// Within the limit: go ahead. Otherwise refuse, and the attempt still counts.
    pub allowed: bool,
}

/// Records an attempt under `key`, then counts the attempts in the window: record first, count
/// after, each in its own statement, so of any number of concurrent attempts on any number of
/// instances at most `limit.allowed` see a count within the limit (the k-th to be recorded
/// counts at least k).
pub async fn take(db: &Db, key: &str, limit: Limit) -> DbResult<Attempt> {
    let now = now();
    let id = new_id();
    on_db!(db, pool => sqlx::query(
        "insert into login_attempts (id, attempt_key, succeeded, created_at, updated_at) values ($1, $2, false, $3, $3)")
        .bind(id).bind(key).bind(now).rows(pool).await)?;
    let counted = attempts_since(db, key, now - limit.window).await?;
    Ok(Attempt { id, allowed: counted <= limit.allowed })
}

/// The attempt went well (the password was right): it no longer counts. Nothing else is
/// reset — a sign-in to one's own account does not wipe the failures of others from the
/// same address.
pub async fn forgive(db: &Db, attempt: Attempt) -> DbResult<()> {
    on_db!(db, pool => sqlx::query("update login_attempts set succeeded = true, updated_at = $2 where id = $1")
        .bind(attempt.id).bind(now()).rows(pool).await)?;
    Ok(())
}

async fn attempts_since(db: &Db, key: &str, since: OffsetDateTime) -> DbResult<i64> {
    let sql = "select count(*) from login_attempts where attempt_key = $1 and succeeded = false and created_at > $2";
    Ok(on_db!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(key).bind(since).fetch_one(pool).await)?)
}

/// Attempts for `key` that count within the sign-in window (for tests and the admin view).
pub async fn recent_failures(db: &Db, key: &str) -> DbResult<i64> {
    attempts_since(db, key, now() - LOGIN_WINDOW).await
}

// --- invitations and password resets ------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub scope_kind: String,
    pub scope_id: String,
    pub expires_at: OffsetDateTime,
    pub accepted_at: Option<OffsetDateTime>,
}

impl Invitation {
    pub fn grant(&self) -> Option<Grant> {
        Some(Grant { role: self.role.parse().ok()?, scope: Scope::from_parts(&self.scope_kind, &self.scope_id)? })
    }

    pub fn is_open(&self) -> bool {
        self.accepted_at.is_none() && self.expires_at > now()
    }
}

/// Creates an invitation and returns the token for the link (sent through the outbox by the caller).
pub async fn create_invitation(tx: &mut Tx, actor: &Actor, email: &str, grant: &Grant) -> DbResult<String> {
    let email = normalize_email(email)?;
    let (token, hash) = new_token();
    let id = new_id();
    let now = now();
    on_tx!(tx, c => sqlx::query(
        "insert into invitations (id, email, token_hash, role, scope_kind, scope_id, invited_by, expires_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
        .bind(id).bind(&email).bind(&hash).bind(grant.role.code()).bind(grant.scope.kind()).bind(grant.scope.id())
        .bind(actor.user_id).bind(now + INVITATION_LIFETIME).bind(now)
        .rows(c).await)?;
    let after = serde_json::json!({"email": email, "grant": grant});
    audit::record(tx, actor, "invitation", &id.to_string(), "create", NOTHING, Some(&after)).await?;
    Ok(token)
}

pub async fn find_invitation(db: &Db, token: &str) -> DbResult<Option<Invitation>> {
    let sql =
        "select id, email, role, scope_kind, scope_id, expires_at, accepted_at from invitations where token_hash = $1";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Invitation>(sql).bind(token_hash(token)).fetch_optional(pool).await)?)
}

/// Accepts an open invitation to an address without an account: creates the account with
/// the role and marks the invitation used, all or nothing. An address that has an account
/// (now, or by the time this runs) is refused: see [`accept_invitation_as`].
pub async fn accept_invitation(db: &Db, token: &str, display_name: &str, password_hash: &str) -> DbResult<Uuid> {
    let (invitation, grant, mut tx) = use_invitation(db, token).await?;
    let actor = Actor::system(&invitation.email);
    // create_user refuses an address that has an account, inside this transaction.
    let user = create_user(&mut tx, &actor, &invitation.email, display_name, Some(password_hash), None).await?;
    self::grant(&mut tx, &actor, user, &grant).await?;
    tx.commit().await?;
    Ok(user)
}

/// Accepts an open invitation for the account `user`, who must be the account of the
/// invitation's address (the caller has checked they are signed in as it).
pub async fn accept_invitation_as(db: &Db, token: &str, user: Uuid) -> DbResult<()> {
    let (invitation, grant, mut tx) = use_invitation(db, token).await?;
    let owner = get_user(db, user).await?.ok_or(DbError::NotFound("user"))?;
    if owner.email != normalize_email(&invitation.email)? {
        return Err(DbError::NotFound("invitation"));
    }
    self::grant(&mut tx, &Actor::user(user, &owner.email), user, &grant).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks an open invitation used, in a transaction the caller finishes.
async fn use_invitation(db: &Db, token: &str) -> DbResult<(Invitation, Grant, Tx)> {
    let invitation =
        find_invitation(db, token).await?.filter(Invitation::is_open).ok_or(DbError::NotFound("invitation"))?;
    let grant = invitation.grant().ok_or(DbError::Internal("invitation: unknown role".into()))?;
    let mut tx = db.begin().await?;
    let used = on_tx!(&mut tx, c => sqlx::query("update invitations set accepted_at = $2, updated_at = $2 where id = $1 and accepted_at is null")
        .bind(invitation.id).bind(now()).rows(c).await)?;
    if used == 0 {
        return Err(DbError::NotFound("invitation"));
    }
    Ok((invitation, grant, tx))
}

/// Creates a reset token for the user, or nothing if no such account exists (the caller
/// answers the same either way, so the form does not reveal who has an account).
pub async fn create_password_reset(tx: &mut Tx, user: Uuid) -> DbResult<String> {
    let (token, hash) = new_token();
    let now = now();
    on_tx!(tx, c => sqlx::query(
        "insert into password_resets (id, user_id, token_hash, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
        .bind(new_id()).bind(user).bind(&hash).bind(now + RESET_LIFETIME).bind(now).rows(c).await)?;
    Ok(token)
}

/// The user a live reset token belongs to.
pub async fn password_reset_user(db: &Db, token: &str) -> DbResult<Option<Uuid>> {
    let sql = "select user_id from password_resets where token_hash = $1 and used_at is null and expires_at > $2";
    Ok(
        on_db!(db, pool => sqlx::query_scalar::<_, Uuid>(sql).bind(token_hash(token)).bind(now()).fetch_optional(pool).await)?,
    )
}

pub async fn use_password_reset(db: &Db, token: &str, password_hash: &str) -> DbResult<Uuid> {
    let user = password_reset_user(db, token).await?.ok_or(DbError::NotFound("password reset link"))?;
    let mut tx = db.begin().await?;
    let used = on_tx!(&mut tx, c => sqlx::query("update password_resets set used_at = $2, updated_at = $2 where token_hash = $1 and used_at is null")
        .bind(token_hash(token)).bind(now()).rows(c).await)?;
    if used == 0 {
        return Err(DbError::NotFound("password reset link"));
    }
    set_password(&mut tx, &Actor::system("password-reset"), user, password_hash).await?;
    tx.commit().await?;
    Ok(user)
}

/// Deletes expired sessions and password-reset links, and login attempts older than a day
/// (far outside the rate-limit window). Returns how many rows went.
pub async fn remove_expired(db: &Db) -> DbResult<u64> {
    let now = now();
    let day_ago = now - Duration::days(1);
    let mut removed = 0;
    for (sql, before) in [
        ("delete from web_sessions where expires_at < $1", now),
        ("delete from password_resets where expires_at < $1", now),
        ("delete from login_attempts where created_at < $1", day_ago),
    ] {
        removed += on_db!(db, pool => sqlx::query(sql).bind(before).rows(pool).await)?;
    }
    Ok(removed)
}

/// The server secret (for CSRF tokens), created once and shared by every instance.
pub async fn server_secret(db: &Db) -> DbResult<Vec<u8>> {
    let read = "select value from settings where key = 'server_secret'";
    if let Some(v) = on_db!(db, pool => sqlx::query_scalar::<_, String>(read).fetch_optional(pool).await)? {
        return URL_SAFE_NO_PAD.decode(v).map_err(|_| DbError::Internal("settings: server_secret is corrupt".into()));
    }
    let (candidate, _) = new_token();
    let now = now();
    on_db!(db, pool => sqlx::query("insert into settings (key, value, created_at, updated_at) values ('server_secret', $1, $2, $2) on conflict (key) do nothing")
        .bind(&candidate).bind(now).rows(pool).await)?;
    // Another instance may have won the race: read back whatever is stored.
    let stored = on_db!(db, pool => sqlx::query_scalar::<_, String>(read).fetch_one(pool).await)?;
    URL_SAFE_NO_PAD.decode(stored).map_err(|_| DbError::Internal("settings: server_secret is corrupt".into()))
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    use super::*;

    #[test]
    fn hashes_are_standard_phc_strings_both_ways() {
        let ours = hash_password("correct horse battery").unwrap_or_default();
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        assert!(verify_password("correct horse battery", &ours));
        assert!(!verify_password("correct horse battery!", &ours));
        let parsed = PasswordHash::new(&ours).expect("a PHC string");
        assert!(Argon2::default().verify_password(b"correct horse battery", &parsed).is_ok(), "the crate reads ours");
        let theirs = Argon2::default().hash_password(b"another password 1").expect("hash").to_string();
        assert!(verify_password("another password 1", &theirs), "we read the crate's");
        assert!(!verify_password("another password 2", &theirs));
        assert!(!verify_password("x", "not a hash"));
    }
}
