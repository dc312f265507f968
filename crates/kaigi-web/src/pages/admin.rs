//! Site administration: accounts and invitations, the audit log, the outbox.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::access::{Grant, Role, Scope};
use kaigi_db::{accounts, audit, outbox};
use serde::Deserialize;

use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    page: Page,
    users: usize,
    unsent: usize,
    smtp: bool,
}

pub async fn dashboard(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let users = accounts::list_users(&state.db).await?.len();
    let unsent = outbox::pending(&state.db, 10_000).await?.len();
    render(&AdminPage { page: Page::titled(&ctx, "nav-admin"), users, unsent, smtp: state.config.smtp_url.is_some() })
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Page,
    entity: String,
    rows: Vec<AuditRow>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    entity: Option<String>,
}

pub async fn audit_log(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AuditQuery>,
) -> AppResult<Html<String>> {
    let entity = q.entity.unwrap_or_default();
    let filter = Some(entity.trim()).filter(|e| !e.is_empty());
    let rows = audit::list(&state.db, filter, 200)
        .await?
        .into_iter()
        .map(|e| AuditRow {
            at: i18n::format_timestamp(ctx.lang, e.created_at),
            actor: e.actor_label,
            entity: e.entity,
            entity_id: e.entity_id,
            action: e.action,
            before: e.before_json.unwrap_or_default(),
            after: e.after_json.unwrap_or_default(),
        })
        .collect();
    render(&AuditPage { page: Page::titled(&ctx, "audit-title"), entity, rows })
}

pub struct OutboxRow {
    pub at: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    page: Page,
    rows: Vec<OutboxRow>,
}

pub async fn outbox(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let page = Page::titled(&ctx, "outbox-title");
    let rows = outbox::list(&state.db, 200)
        .await?
        .into_iter()
        .map(|m| OutboxRow {
            at: i18n::format_timestamp(ctx.lang, m.created_at),
            state: match (&m.sent_at, &m.last_error) {
                (Some(at), _) => format!("{} {}", page.t("outbox-sent"), i18n::format_timestamp(ctx.lang, *at)),
                (None, Some(error)) => format!("{}: {error}", page.t("outbox-failed")),
                (None, None) => page.t("outbox-queued"),
            },
            to: m.to_address,
            subject: m.subject,
            body: m.body,
        })
        .collect();
    render(&OutboxPage { page, rows })
}

pub struct UserRow {
    pub email: String,
    pub name: String,
    pub roles: Vec<String>,
    pub active: bool,
}

pub struct ScopeChoice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    page: Page,
    users: Vec<UserRow>,
    roles: Vec<(String, String)>,
    scopes: Vec<ScopeChoice>,
}

pub async fn users(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let page = Page::titled(&ctx, "users-title");
    let editions = kaigi_db::editions::list_editions(&state.db).await?;
    let committees = kaigi_db::editions::list_committees(&state.db).await?;
    let mut rows = Vec::new();
    for user in accounts::list_users(&state.db).await? {
        let roles = accounts::grants_of(&state.db, user.id)
            .await?
            .iter()
            .map(|g| {
                let scope = match &g.scope {
                    Scope::Global => String::new(),
                    Scope::Edition(id) => {
                        editions.iter().find(|e| e.id.to_string() == *id).map(|e| e.slug.clone()).unwrap_or_default()
                    }
                    Scope::Committee(id) => {
                        committees.iter().find(|c| c.id.to_string() == *id).map(|c| c.name.clone()).unwrap_or_default()
                    }
                };
                format!("{} {scope}", vocab(ctx.lang, "role", Some(g.role.code())))
            })
            .collect();
        rows.push(UserRow { email: user.email, name: user.display_name, roles, active: user.active });
    }
    let mut scopes = vec![ScopeChoice { value: "global:".into(), label: page.t("scope-global") }];
    scopes.extend(editions.iter().map(|e| ScopeChoice { value: format!("edition:{}", e.id), label: e.name.clone() }));
    scopes
        .extend(committees.iter().map(|c| ScopeChoice { value: format!("committee:{}", c.id), label: c.name.clone() }));
    let roles = Role::ALL.iter().map(|r| (r.code().to_owned(), vocab(ctx.lang, "role", Some(r.code())))).collect();
    render(&UsersPage { page, users: rows, roles, scopes })
}

#[derive(Deserialize)]
pub struct InviteForm {
    email: String,
    role: String,
    scope: String,
    #[serde(default)]
    lang: String,
}

/// Invites someone with a role; the link goes out through the outbox in the chosen language.
pub async fn invite(State(state): State<AppState>, ctx: Ctx, Form(form): Form<InviteForm>) -> AppResult<Response> {
    let role: Role = form.role.parse().map_err(|e: kaigi_core::directory::UnknownCode| AppError::from(e))?;
    let (kind, id) = form.scope.split_once(':').unwrap_or((form.scope.as_str(), ""));
    let scope = Scope::from_parts(kind, id).ok_or_else(|| AppError::not_a_choice("scope", &form.scope))?;
    let grant = Grant::new(role, scope).map_err(|p| AppError::Refused(vec![p]))?;
    let key = format!("invitations:{}", ctx.user_id().map(|u| u.to_string()).unwrap_or_default());
    if !accounts::take(&state.db, &key, accounts::INVITATIONS_PER_ACCOUNT).await?.allowed {
        return Err(AppError::TooManyRequests);
    }
    let lang = Lang::parse(&form.lang).unwrap_or(ctx.lang);
    let mut tx = state.db.begin().await?;
    let token = accounts::create_invitation(&mut tx, &ctx.actor(), &form.email, &grant).await?;
    let link = format!("{}/invitations/{token}", state.config.public_url);
    let body = i18n::t_args(
        lang,
        "mail-invite-body",
        &[("role", vocab(lang, "role", Some(role.code())).into()), ("link", link.into())],
    );
    outbox::enqueue(&mut tx, form.email.trim(), &i18n::t(lang, "mail-invite-subject"), &body).await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/outbox").into_response())
}
