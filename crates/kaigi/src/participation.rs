//! `kaigi registration …` and `kaigi stats …`: registration and participation statistics from
//! the command line, on the same storage functions the web pages use.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use clap::Subcommand;
use kaigi_core::directory::Country;
use kaigi_core::participation::{Attendance, Dimension, SMALL_GROUP, Shown, parse_aggregates, suppress, tally, to_csv};
use kaigi_db::registration::{self, CategoryInput, CheckIn, RegistrationInput};
use kaigi_db::{Actor, Db};

use crate::terminal::{ExitWith, emit, open};

fn line(text: impl AsRef<str>) {
    emit(&format!("{}\n", text.as_ref()));
}

#[derive(Subcommand, Debug)]
pub enum RegistrationCommand {
    /// The edition's categories with their onsite places.
    Categories { edition: String },
    /// Add a category, or change the one with this code.
    Category {
        edition: String,
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        name_ja: Option<String>,
        /// Onsite places (leave out for no limit).
        #[arg(long)]
        capacity: Option<i64>,
    },
    /// Everyone registered (CSV with --csv).
    List {
        edition: String,
        #[arg(long)]
        csv: bool,
    },
    /// Register the account with this email (or change its registration).
    Add {
        edition: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        category: String,
        #[arg(long)]
        online: bool,
        #[arg(long)]
        group: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        gender: Option<String>,
        #[arg(long)]
        youth: bool,
        #[arg(long)]
        first_time: bool,
        /// The person agreed to be counted in the statistics.
        #[arg(long)]
        consent: bool,
    },
    /// Cancel the registration of the account with this email.
    Cancel {
        edition: String,
        #[arg(long)]
        email: String,
    },
    /// Check in the holder of a badge code.
    CheckIn { edition: String, code: String },
}

#[derive(Subcommand, Debug)]
pub enum StatsCommand {
    /// An edition's participation figures, beside other editions'.
    Show {
        edition: String,
        /// Also these editions (slugs of kaigi's editions or keys of imported figures).
        #[arg(long = "compare")]
        compare: Vec<String>,
        /// As the public sees them: the figures last published, groups under 5 hidden.
        #[arg(long)]
        public: bool,
        /// CSV in the format `kaigi stats import` reads (not with --public).
        #[arg(long, conflicts_with = "public")]
        csv: bool,
    },
    /// Publish the edition's figures as they are now for the public page, CSV and API.
    Publish { edition: String },
    /// Import past editions' published figures from CSV (edition,name,dimension,category,count):
    /// one transaction; exit 2 with line and field when the file is wrong.
    Import {
        file: std::path::PathBuf,
        /// Replace the figures of editions imported before.
        #[arg(long)]
        replace: bool,
    },
}

async fn edition(db: &Db, slug: &str) -> Result<kaigi_db::editions::Edition> {
    kaigi_db::editions::edition_by_slug(db, slug).await?.ok_or_else(|| anyhow!("no edition {slug:?}"))
}

async fn user_by_email(db: &Db, email: &str) -> Result<uuid::Uuid> {
    Ok(kaigi_db::accounts::find_user_by_email(db, email)
        .await?
        .ok_or_else(|| anyhow!("--email: no account {email:?} (add it with kaigi user add)"))?
        .id)
}

fn parsed<T: std::str::FromStr>(flag: &str, value: &Option<String>) -> Result<Option<T>> {
    value.as_deref().map(|v| v.parse::<T>().map_err(|_| anyhow!("--{flag}: unknown value {v:?}"))).transpose()
}

pub async fn registration(url: &str, command: RegistrationCommand) -> Result<()> {
    let db = open(url).await?;
    let actor = Actor::system("cli");
    match command {
        RegistrationCommand::Categories { edition: slug } => {
            let e = edition(&db, &slug).await?;
            for c in registration::categories(&db, e.id).await? {
                let places = c.onsite_capacity.map_or("no limit".to_owned(), |n| n.to_string());
                line(format!("{}\t{}\tonsite {} of {places}\tonline {}", c.code, c.name, c.onsite_taken, c.online));
            }
        }
        RegistrationCommand::Category { edition: slug, code, name, name_ja, capacity } => {
            let e = edition(&db, &slug).await?;
            registration::save_category(
                &db,
                &actor,
                e.id,
                &CategoryInput { code: code.clone(), name, name_ja, onsite_capacity: capacity },
            )
            .await?;
            line(format!("saved category {code}"));
        }
        RegistrationCommand::List { edition: slug, csv } => {
            let e = edition(&db, &slug).await?;
            let all = registration::registrations(&db, e.id).await?;
            if csv {
                emit(&registration::registrations_csv(registration::REGISTRATION_COLUMNS, &all));
            } else {
                for r in &all {
                    let checked = if r.checked_in_at.is_some() { "checked in" } else { "" };
                    line(format!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{checked}",
                        r.badge_code, r.display_name, r.email, r.category_code, r.attendance, r.status
                    ));
                }
            }
        }
        RegistrationCommand::Add {
            edition: slug,
            email,
            category,
            online,
            group,
            region,
            country,
            gender,
            youth,
            first_time,
            consent,
        } => {
            let e = edition(&db, &slug).await?;
            let user = user_by_email(&db, &email).await?;
            let input = RegistrationInput {
                category,
                attendance: if online { Attendance::Online } else { Attendance::Onsite },
                stakeholder_group: parsed("group", &group)?,
                un_region: parsed("region", &region)?,
                country: country.as_deref().map(Country::parse).transpose().map_err(|e| anyhow!("--country: {e}"))?,
                gender,
                youth,
                first_time,
                consent,
            };
            let base = std::env::var("KAIGI_PUBLIC_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
            let outcome = registration::register(&db, &actor, &e, user, &input, &base).await?;
            let mine = registration::registration_of(&db, e.id, user)
                .await?
                .ok_or_else(|| anyhow!("registration vanished"))?;
            let outcome = format!("{outcome:?}").to_lowercase();
            line(format!("{outcome}: {} {} badge {}", mine.display_name, mine.category_code, mine.badge_code));
        }
        RegistrationCommand::Cancel { edition: slug, email } => {
            let e = edition(&db, &slug).await?;
            let user = user_by_email(&db, &email).await?;
            let done = registration::cancel(&db, &actor, &e, user).await?;
            line(if done { "cancelled" } else { "no confirmed registration to cancel" });
        }
        RegistrationCommand::CheckIn { edition: slug, code } => {
            let e = edition(&db, &slug).await?;
            match registration::check_in(&db, &actor, e.id, &code).await? {
                CheckIn::Done(r) => line(format!("checked in: {} ({})", r.display_name, r.category_code)),
                CheckIn::Already(r) => line(format!(
                    "already checked in: {} at {}",
                    r.display_name,
                    r.checked_in_at.map(|t| t.to_string()).unwrap_or_default()
                )),
                CheckIn::Cancelled(r) => {
                    return Err(ExitWith {
                        code: 3,
                        message: format!("{}'s registration is cancelled", r.display_name),
                    }
                    .into());
                }
            }
        }
    }
    Ok(())
}

pub async fn stats(url: &str, command: StatsCommand) -> Result<()> {
    match command {
        StatsCommand::Import { file, replace } => import(url, &file, replace).await,
        StatsCommand::Publish { edition: slug } => {
            let db = open(url).await?;
            let e = edition(&db, &slug).await?;
            let published = kaigi_db::statistics::publish(&db, &Actor::system("cli"), e.id, None).await?;
            line(format!(
                "published the participation figures of {} as version {}: {} participants",
                e.slug, published.number, published.figures.total
            ));
            Ok(())
        }
        StatsCommand::Show { edition: slug, compare, public, csv } => {
            let db = open(url).await?;
            let e = edition(&db, &slug).await?;
            if public {
                let published = kaigi_db::statistics::latest(&db, e.id)
                    .await?
                    .ok_or_else(|| anyhow!("{slug}: the figures are not published yet (kaigi stats publish {slug})"))?;
                let own = published.figures;
                line(format!(
                    "{} — {} participants, version {} published {} (groups under {SMALL_GROUP} hidden)",
                    e.name,
                    own.total,
                    published.number,
                    published.published_at.date()
                ));
                for (dimension, counts) in suppress(&own, SMALL_GROUP) {
                    for (category, shown) in counts {
                        let n = match shown {
                            Shown::Exact(n) => n.to_string(),
                            Shown::Hidden => format!("<{SMALL_GROUP}"),
                        };
                        line(format!("{}\t{category}\t{n}", dimension.code()));
                    }
                }
                return Ok(());
            }
            let own = tally(&registration::participants(&db, e.id).await?);
            let all = registration::all_figures(&db).await?;
            let mut editions = vec![(e.slug.clone(), e.name.clone(), own)];
            for key in &compare {
                let found =
                    all.iter().find(|f| f.key == *key).ok_or_else(|| anyhow!("--compare: no figures for {key:?}"))?;
                editions.push((found.key.clone(), found.name.clone(), found.figures.clone()));
            }
            if csv {
                emit(&to_csv(&editions));
                return Ok(());
            }
            line(format!("{:<28}{}", "", editions.iter().map(|(k, _, _)| format!("{k:>16}")).collect::<String>()));
            line(format!(
                "{:<28}{}",
                "total",
                editions.iter().map(|(_, _, f)| format!("{:>16}", f.total)).collect::<String>()
            ));
            for dimension in Dimension::ALL {
                let mut categories: Vec<&String> =
                    editions.iter().filter_map(|(_, _, f)| f.by.get(dimension)).flat_map(|m| m.keys()).collect();
                categories.sort();
                categories.dedup();
                for category in categories {
                    let label = format!("{}/{category}", dimension.code());
                    line(format!(
                        "{label:<28}{}",
                        editions
                            .iter()
                            .map(|(_, _, f)| {
                                let n = f.count(*dimension, category);
                                let share = if f.total > 0 { n as f64 * 100.0 / f.total as f64 } else { 0.0 };
                                format!("{:>16}", format!("{n} ({share:.1}%)"))
                            })
                            .collect::<String>()
                    ));
                }
            }
            Ok(())
        }
    }
}

async fn import(url: &str, file: &Path, replace: bool) -> Result<()> {
    let text = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8(text).map_err(|e| ExitWith {
        code: 2,
        message: format!("{}: not UTF-8 text (at byte {})", file.display(), e.utf8_error().valid_up_to()),
    })?;
    let rows =
        parse_aggregates(&text).map_err(|e| ExitWith { code: 2, message: format!("{}: {e}", file.display()) })?;
    let db = open(url).await?;
    let summary = registration::import_aggregates(&db, &Actor::system("cli"), &rows, replace).await?;
    line(format!(
        "imported {} figures for {}{}",
        summary.rows,
        summary.editions.join(", "),
        if summary.replaced.is_empty() {
            String::new()
        } else {
            format!(" (replaced {})", summary.replaced.join(", "))
        }
    ));
    Ok(())
}
