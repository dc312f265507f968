//! The demo forum: an IGF-like edition and a standing committee, generated deterministically
//! from a seed so that every machine gets the same data, and the data reads like a real forum.

use time::{Date, Month};

use crate::directory::{PersonName, StakeholderGroup, UnRegion};
use crate::programme::{ParticipationRole, ProposalStatus, SessionType, VenueKind};
use crate::rng::SplitMix64;

pub const DEMO_PASSWORD: &str = "kaigi-demo-2026";

#[derive(Clone, Debug)]
pub struct DemoForum {
    pub organisations: Vec<DemoOrganisation>,
    pub people: Vec<DemoPerson>,
    pub edition: DemoEdition,
    pub proposals: Vec<DemoProposal>,
    /// Indices into `people` of the programme committee members who evaluate.
    pub evaluators: Vec<usize>,
    pub committee: DemoCommittee,
    pub accounts: Vec<DemoAccount>,
    /// Sessions the secretariat puts on the programme beside the accepted proposals.
    pub sessions: Vec<DemoSession>,
}

/// A track session, lightning talk, networking session or launch the secretariat programmes
/// directly (no call for it), with speakers from the directory.
#[derive(Clone, Debug)]
pub struct DemoSession {
    pub title: String,
    pub kind: &'static str,
    pub description: String,
    pub minutes: i64,
    pub theme: usize,
    pub track: Option<usize>,
    /// Indices into `people`, the first the moderator.
    pub people: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct DemoOrganisation {
    pub name: String,
    pub group: StakeholderGroup,
    pub country: &'static str,
}

#[derive(Clone, Debug)]
pub struct DemoPerson {
    pub name: PersonName,
    pub group: StakeholderGroup,
    pub region: UnRegion,
    pub country: &'static str,
    pub gender: Option<&'static str>,
    pub youth: bool,
    pub organisation: usize,
    /// Where they worked before: people move, and the directory keeps the history.
    pub previous_organisation: Option<usize>,
    pub email: String,
}

#[derive(Clone, Debug)]
pub struct DemoEdition {
    pub slug: &'static str,
    pub name: &'static str,
    pub name_ja: &'static str,
    pub timezone: &'static str,
    pub venue: &'static str,
    pub days: Vec<DemoDay>,
    pub rooms: Vec<DemoRoom>,
    pub tracks: Vec<(&'static str, &'static str)>,
    pub themes: Vec<(&'static str, &'static str)>,
}

#[derive(Clone, Debug)]
pub struct DemoDay {
    pub label: String,
    pub date: Date,
    pub start: &'static str,
    pub end: &'static str,
}

#[derive(Clone, Debug)]
pub struct DemoRoom {
    pub name: String,
    pub capacity: i64,
    pub features: Vec<&'static str>,
}

#[derive(Clone, Debug)]
pub struct DemoProposal {
    pub title: String,
    pub session_type: SessionType,
    pub theme: usize,
    pub track: Option<usize>,
    pub description: String,
    pub status: ProposalStatus,
    pub people: Vec<DemoParticipation>,
}

#[derive(Clone, Debug)]
pub struct DemoParticipation {
    pub person: usize,
    pub role: ParticipationRole,
    pub onsite: bool,
    pub confirmed: bool,
}

#[derive(Clone, Debug)]
pub struct DemoCommittee {
    pub name: &'static str,
    pub name_en: &'static str,
    pub series: &'static str,
    pub members: Vec<usize>,
    pub meetings: Vec<DemoMeeting>,
    /// The minutes of each meeting, in the conventional layout's structure.
    pub minutes: Vec<crate::minutes::MinutesDocument>,
}

#[derive(Clone, Debug)]
pub struct DemoMeeting {
    pub number: i64,
    pub date: Date,
    pub start: &'static str,
    pub end: &'static str,
    pub venue_kind: VenueKind,
    pub venue_text: &'static str,
}

/// A demo sign-in and the role it shows off.
#[derive(Clone, Debug)]
pub struct DemoAccount {
    pub email: String,
    pub person: usize,
    pub role: crate::access::Role,
}

const JP_FAMILY: &[(&str, &str)] = &[
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("高橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
    ("小林", "こばやし"),
    ("加藤", "かとう"),
    ("吉田", "よしだ"),
    ("山田", "やまだ"),
    ("佐々木", "ささき"),
    ("山口", "やまぐち"),
    ("松本", "まつもと"),
    ("井上", "いのうえ"),
    ("木村", "きむら"),
    ("林", "はやし"),
    ("斎藤", "さいとう"),
    ("清水", "しみず"),
    ("山崎", "やまざき"),
    ("森", "もり"),
    ("池田", "いけだ"),
    ("橋本", "はしもと"),
    ("阿部", "あべ"),
    ("石川", "いしかわ"),
    ("山下", "やました"),
    ("中島", "なかじま"),
    ("小川", "おがわ"),
    ("前田", "まえだ"),
    ("岡田", "おかだ"),
    ("長谷川", "はせがわ"),
    ("藤田", "ふじた"),
    ("近藤", "こんどう"),
    ("村上", "むらかみ"),
    ("遠藤", "えんどう"),
    ("青木", "あおき"),
    ("坂本", "さかもと"),
    ("西村", "にしむら"),
    ("野口", "のぐち"),
];
const JP_GIVEN: &[(&str, &str, &str, &str)] = &[
    ("健太", "けんた", "Kenta", "man"),
    ("真理", "まり", "Mari", "woman"),
    ("翔", "しょう", "Sho", "man"),
    ("由美", "ゆみ", "Yumi", "woman"),
    ("陽菜", "ひな", "Hina", "woman"),
    ("一郎", "いちろう", "Ichiro", "man"),
    ("智子", "ともこ", "Tomoko", "woman"),
    ("直人", "なおと", "Naoto", "man"),
    ("浩二", "こうじ", "Koji", "man"),
    ("さくら", "さくら", "Sakura", "woman"),
    ("蓮", "れん", "Ren", "man"),
    ("美咲", "みさき", "Misaki", "woman"),
    ("大輔", "だいすけ", "Daisuke", "man"),
    ("優子", "ゆうこ", "Yuko", "woman"),
    ("拓也", "たくや", "Takuya", "man"),
    ("結衣", "ゆい", "Yui", "woman"),
    ("誠", "まこと", "Makoto", "man"),
    ("愛", "あい", "Ai", "woman"),
    ("亮", "りょう", "Ryo", "man"),
    ("恵", "めぐみ", "Megumi", "woman"),
];
const ROMAJI_FAMILY: &[&str] = &[
    "Sato",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Ito",
    "Watanabe",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Kato",
    "Yoshida",
    "Yamada",
    "Sasaki",
    "Yamaguchi",
    "Matsumoto",
    "Inoue",
    "Kimura",
    "Hayashi",
    "Saito",
    "Shimizu",
    "Yamazaki",
    "Mori",
    "Ikeda",
    "Hashimoto",
    "Abe",
    "Ishikawa",
    "Yamashita",
    "Nakajima",
    "Ogawa",
    "Maeda",
    "Okada",
    "Hasegawa",
    "Fujita",
    "Kondo",
    "Murakami",
    "Endo",
    "Aoki",
    "Sakamoto",
    "Nishimura",
    "Noguchi",
];

struct Region {
    region: UnRegion,
    countries: &'static [&'static str],
    given: &'static [(&'static str, &'static str)],
    family: &'static [&'static str],
}

const REGIONS: &[Region] = &[
    Region {
        region: UnRegion::African,
        countries: &["NG", "KE", "GH", "SN", "ZA", "ET", "RW", "EG"],
        given: &[
            ("Amina", "woman"),
            ("Kwame", "man"),
            ("Ngozi", "woman"),
            ("Tendai", "man"),
            ("Fatima", "woman"),
            ("Yohannes", "man"),
            ("Wanjiru", "woman"),
            ("Thabo", "man"),
            ("Aïcha", "woman"),
            ("Kofi", "man"),
        ],
        family: &["Diallo", "Mensah", "Okafor", "Moyo", "Benali", "Tesfaye", "Kamau", "Nkosi", "Ndiaye", "Uwimana"],
    },
    Region {
        region: UnRegion::AsiaPacific,
        countries: &["IN", "ID", "PH", "KR", "VN", "PK", "BD", "NZ", "SA", "TH"],
        given: &[
            ("Priya", "woman"),
            ("Arjun", "man"),
            ("Siti", "woman"),
            ("Budi", "man"),
            ("Maria", "woman"),
            ("Ji-woo", "woman"),
            ("Minh", "man"),
            ("Ayesha", "woman"),
            ("Rahul", "man"),
            ("Aroha", "woman"),
        ],
        family: &["Sharma", "Rahmah", "Santos", "Park", "Nguyen", "Khan", "Rahman", "Ngata", "Al-Qahtani", "Wongsa"],
    },
    Region {
        region: UnRegion::EasternEuropean,
        countries: &["PL", "UA", "RO", "CZ", "EE", "GE", "RS"],
        given: &[
            ("Anna", "woman"),
            ("Ivan", "man"),
            ("Elena", "woman"),
            ("Tomas", "man"),
            ("Marta", "woman"),
            ("Andrii", "man"),
            ("Kristina", "woman"),
            ("Giorgi", "man"),
        ],
        family: &["Kowalska", "Petrov", "Popescu", "Novak", "Horvat", "Shevchenko", "Tamm", "Beridze"],
    },
    Region {
        region: UnRegion::LatinAmericanCaribbean,
        countries: &["BR", "AR", "MX", "CO", "CL", "PE", "BS", "JM"],
        given: &[
            ("Carolina", "woman"),
            ("Diego", "man"),
            ("Lucía", "woman"),
            ("Andrés", "man"),
            ("Camila", "woman"),
            ("Javier", "man"),
            ("Beatriz", "woman"),
            ("Rafael", "man"),
        ],
        family: &["Silva", "Fernández", "Gómez", "Vargas", "Rojas", "Torres", "Pereira", "Campbell"],
    },
    Region {
        region: UnRegion::WesternEuropeanOthers,
        countries: &["DE", "FR", "GB", "US", "CH", "NL", "SE", "AU", "CA"],
        given: &[
            ("Emma", "woman"),
            ("Lucas", "man"),
            ("Sofia", "woman"),
            ("James", "man"),
            ("Sarah", "woman"),
            ("Lars", "man"),
            ("Chloé", "woman"),
            ("Jack", "man"),
            ("Alex", ""),
        ],
        family: &["Schmidt", "Martin", "Rossi", "Wilson", "Johnson", "Nielsen", "Dubois", "Taylor", "Müller", "Brown"],
    },
];

const ORGS_JP: &[(&str, StakeholderGroup)] = &[
    ("総務省", StakeholderGroup::Government),
    ("経済産業省", StakeholderGroup::Government),
    ("外務省", StakeholderGroup::Government),
    ("デジタル庁", StakeholderGroup::Government),
    ("一般社団法人サンプルネットワーク協会", StakeholderGroup::TechnicalCommunity),
    ("特定非営利活動法人デジタル市民フォーラム", StakeholderGroup::CivilSociety),
    ("株式会社サンプル通信", StakeholderGroup::PrivateSector),
    ("Example Telecom K.K.", StakeholderGroup::PrivateSector),
    ("サンプル大学", StakeholderGroup::Academia),
    ("東都情報大学", StakeholderGroup::Academia),
    ("ユース IGF 東京", StakeholderGroup::CivilSociety),
    ("日本インターネット技術協議会", StakeholderGroup::TechnicalCommunity),
];
const ORG_KINDS: &[(&str, StakeholderGroup)] = &[
    ("Ministry of Digital Affairs", StakeholderGroup::Government),
    ("National Communications Regulator", StakeholderGroup::Government),
    ("Digital Rights Network", StakeholderGroup::CivilSociety),
    ("Open Internet Society", StakeholderGroup::CivilSociety),
    ("Telecom Group", StakeholderGroup::PrivateSector),
    ("Cloud Services Ltd", StakeholderGroup::PrivateSector),
    ("Network Information Centre", StakeholderGroup::TechnicalCommunity),
    ("University", StakeholderGroup::Academia),
];
const IGOS: &[&str] = &["ITU", "UNESCO", "OECD", "UN DESA", "UNDP", "Council of Europe"];

const TOPICS: &[(&str, &str)] = &[
    ("AI governance", "AI ガバナンス"),
    ("meaningful connectivity", "意味のある接続"),
    ("digital public infrastructure", "デジタル公共インフラ"),
    ("online safety for children", "子どものオンライン安全"),
    ("data flows with trust", "信頼性のある自由なデータ流通"),
    ("cybersecurity capacity building", "サイバーセキュリティ能力構築"),
    ("multilingual internet", "多言語インターネット"),
    ("the WSIS+20 review", "WSIS+20 レビュー"),
    ("multistakeholder cooperation", "マルチステークホルダー協力"),
    ("green networks", "環境に配慮したネットワーク"),
    ("disinformation and elections", "偽情報と選挙"),
    ("community networks", "コミュニティネットワーク"),
];
const ANGLES: &[&str] = &[
    "Lessons from the Global South on {}",
    "Youth perspectives on {}",
    "Measuring progress in {}",
    "Regulating {}: what works",
    "Bridging divides through {}",
    "Local voices, global rules: {}",
    "From principles to practice in {}",
];
const ANGLES_JA: &[&str] = &["{}をめぐる日本の経験", "{}とユースの参画", "{}のこれから"];

/// Generates the demo forum. The same seed always gives the same forum.
pub fn generate(seed: u64) -> DemoForum {
    let mut rng = SplitMix64::new(seed);
    let mut organisations: Vec<DemoOrganisation> = ORGS_JP
        .iter()
        .map(|(name, group)| DemoOrganisation { name: (*name).to_owned(), group: *group, country: "JP" })
        .collect();
    for igo in IGOS {
        organisations.push(DemoOrganisation {
            name: (*igo).to_owned(),
            group: StakeholderGroup::IntergovernmentalOrganisation,
            country: "CH",
        });
    }
    for region in REGIONS {
        for country in region.countries {
            for (kind, group) in ORG_KINDS {
                organisations.push(DemoOrganisation { name: format!("{country} {kind}"), group: *group, country });
            }
        }
    }
    let orgs_of = |country: &str| -> Vec<usize> {
        organisations.iter().enumerate().filter(|(_, o)| o.country == country).map(|(i, _)| i).collect()
    };
    let igo_orgs: Vec<usize> = (ORGS_JP.len()..ORGS_JP.len() + IGOS.len()).collect();

    let mut people = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // Japanese participants, written in kanji with a reading, or romanised as many write abroad.
    while people.len() < 240 {
        let (family, family_reading) = *rng.pick(JP_FAMILY);
        let (given, given_reading, given_romaji, gender) = *rng.pick(JP_GIVEN);
        let romanised = rng.chance(0.1);
        let fi = JP_FAMILY.iter().position(|(f, _)| *f == family).unwrap_or(0);
        let display =
            if romanised { format!("{} {}", ROMAJI_FAMILY[fi], given_romaji) } else { format!("{family} {given}") };
        if !seen.insert(display.clone()) {
            continue;
        }
        let reading = (!romanised).then(|| format!("{family_reading} {given_reading}"));
        let jp_orgs = orgs_of("JP");
        let organisation = if rng.chance(0.05) { *rng.pick(&igo_orgs) } else { *rng.pick(&jp_orgs) };
        let n = people.len();
        people.push(DemoPerson {
            name: PersonName { display, reading, romanized: Some(format!("{} {}", ROMAJI_FAMILY[fi], given_romaji)) },
            group: organisations[organisation].group,
            region: UnRegion::AsiaPacific,
            country: "JP",
            gender: (!rng.chance(0.08)).then_some(gender),
            youth: rng.chance(0.15),
            organisation,
            previous_organisation: rng.chance(0.1).then(|| *rng.pick(&jp_orgs)).filter(|o| *o != organisation),
            email: format!("person{n:03}@example.org"),
        });
    }
    while people.len() < 600 {
        let region = rng.pick(REGIONS);
        let (given, gender) = *rng.pick(region.given);
        let family = *rng.pick(region.family);
        let display = format!("{given} {family}");
        if !seen.insert(display.clone()) {
            continue;
        }
        let country = *rng.pick(region.countries);
        let local = orgs_of(country);
        let organisation = if rng.chance(0.1) { *rng.pick(&igo_orgs) } else { *rng.pick(&local) };
        let n = people.len();
        people.push(DemoPerson {
            name: PersonName { display, reading: None, romanized: None },
            group: organisations[organisation].group,
            region: region.region,
            country,
            gender: (!gender.is_empty() && !rng.chance(0.05)).then_some(gender),
            youth: rng.chance(0.12),
            organisation,
            previous_organisation: None,
            email: format!("person{n:03}@example.org"),
        });
    }

    let edition = demo_edition();
    let session_mix: &[(SessionType, usize)] = &[
        (SessionType::Workshop, 180),
        (SessionType::OpenForum, 40),
        (SessionType::DynamicCoalition, 18),
        (SessionType::NriSession, 20),
        (SessionType::DayZero, 16),
        (SessionType::LightningTalk, 16),
        (SessionType::LaunchAward, 5),
        (SessionType::TownHall, 5),
    ];
    let mut proposals = Vec::new();
    let mut on_stage = vec![0usize; people.len()];
    for (session_type, count) in session_mix {
        for _ in 0..*count {
            proposals.push(demo_proposal(&mut rng, *session_type, &people, &edition, &mut on_stage));
        }
    }

    // Evaluators: a programme committee balanced across stakeholder groups and regions.
    let mut evaluators = Vec::new();
    let mut i = 7;
    while evaluators.len() < 40 {
        i = (i + 37) % people.len();
        if !evaluators.contains(&i) {
            evaluators.push(i);
        }
    }

    let committee_members: Vec<usize> =
        (0..people.len()).filter(|&p| people[p].name.reading.is_some()).take(14).collect();
    let committee = DemoCommittee {
        name: "日本 IGF 推進タスクフォース",
        name_en: "Japan IGF Task Force",
        series: "日本 IGF 推進タスクフォース会合",
        members: committee_members.clone(),
        meetings: (0..5)
            .map(|k| DemoMeeting {
                number: 54 + k,
                date: Date::from_calendar_date(2026, Month::July, 6).unwrap_or(Date::MIN)
                    + time::Duration::weeks(4 * k),
                start: "18:30",
                end: "20:00",
                venue_kind: if k % 2 == 0 { VenueKind::Hybrid } else { VenueKind::Online },
                venue_text: if k % 2 == 0 {
                    "サンプル会館 3 階会議室 B ／オンライン"
                } else {
                    "オンライン (Zoom)"
                },
            })
            .collect(),
        minutes: Vec::new(),
    };
    let minutes = committee
        .meetings
        .iter()
        .enumerate()
        .map(|(k, m)| demo_minutes(&committee, m, k, &people, &organisations))
        .collect();
    let committee = DemoCommittee { minutes, ..committee };

    let mut accounts = vec![
        DemoAccount { email: "secretariat@kaigi.example".into(), person: 0, role: crate::access::Role::Admin },
        DemoAccount {
            email: "chair@kaigi.example".into(),
            person: committee_members[1],
            role: crate::access::Role::CommitteeMember,
        },
        DemoAccount {
            email: "organiser@kaigi.example".into(),
            person: proposals[0].people[0].person,
            role: crate::access::Role::Organiser,
        },
        DemoAccount { email: "participant@kaigi.example".into(), person: 599, role: crate::access::Role::Participant },
        DemoAccount {
            email: "edition-secretariat@kaigi.example".into(),
            person: 2,
            role: crate::access::Role::Secretariat,
        },
    ];
    for (k, &person) in evaluators.iter().enumerate() {
        accounts.push(DemoAccount {
            email: format!("evaluator{:02}@kaigi.example", k + 1),
            person,
            role: crate::access::Role::Evaluator,
        });
    }

    // From a stream of its own, so the rest of the forum is the same with or without them.
    let sessions = programme_sessions(&mut SplitMix64::new(seed ^ 0x5e55_1015_00f0_f00d), people.len(), &edition);
    DemoForum { organisations, people, edition, proposals, evaluators, committee, accounts, sessions }
}

/// About 150 sessions beside the accepted proposals, so that the published programme has the
/// 250–300 sessions of a real IGF: every track's own sessions, lightning talks, networking
/// sessions and launches; a fifth of them in Japanese.
fn programme_sessions(rng: &mut SplitMix64, people: usize, edition: &DemoEdition) -> Vec<DemoSession> {
    let mut on_stage = vec![0usize; people];
    let mut out = Vec::new();
    let mut cast = |rng: &mut SplitMix64, n: usize| {
        let mut chosen: Vec<usize> = Vec::new();
        let mut tries = 0;
        while chosen.len() < n.min(people) {
            let p = rng.below(people);
            tries += 1;
            // At most two of these each, unless the directory is too small for that.
            if !chosen.contains(&p) && (on_stage[p] < 2 || tries > 50 * people) {
                on_stage[p] += 1;
                chosen.push(p);
            }
        }
        chosen
    };
    for (track, (name, name_ja)) in edition.tracks.iter().enumerate() {
        for _ in 0..7 {
            let (topic, topic_ja) = *rng.pick(TOPICS);
            let japanese = rng.chance(0.2);
            let title = if japanese {
                format!("{name_ja}トラック：{}", rng.pick(ANGLES_JA).replace("{}", topic_ja))
            } else {
                format!("{name} track: {}", rng.pick(ANGLES).replace("{}", topic))
            };
            let description = if japanese {
                format!("{name_ja}トラックの参加者が{topic_ja}について議論する。")
            } else {
                format!("Participants of the {name} track discuss {topic}.")
            };
            let speakers = 3 + rng.below(3);
            let people = cast(rng, speakers);
            out.push(DemoSession {
                title,
                kind: "track-session",
                description,
                minutes: 60,
                theme: rng.below(edition.themes.len()),
                track: Some(track),
                people,
            });
        }
    }
    for k in 0..104 {
        let (topic, topic_ja) = *rng.pick(TOPICS);
        let japanese = rng.chance(0.2);
        let (kind, minutes, title, description, speakers) = match k % 13 {
            0..=6 => (
                "lightning-talk",
                30,
                if japanese {
                    rng.pick(ANGLES_JA).replace("{}", topic_ja)
                } else {
                    rng.pick(ANGLES).replace("{}", topic)
                },
                if japanese {
                    format!("{topic_ja}について 15 分で話す。")
                } else {
                    format!("Fifteen minutes on {topic}.")
                },
                1,
            ),
            7..=9 => (
                "networking",
                60,
                if japanese {
                    format!("ネットワーキング：{topic_ja}に取り組む人々")
                } else {
                    format!("Networking: people working on {topic}")
                },
                if japanese {
                    "自己紹介と意見交換の時間。".to_owned()
                } else {
                    "Introductions and open exchange.".to_owned()
                },
                2,
            ),
            _ => (
                "launch-award",
                30,
                if japanese {
                    format!("{topic_ja}に関する報告書の発表")
                } else {
                    format!("Launch of a report on {topic}")
                },
                if japanese {
                    format!("{topic_ja}に関する新しい報告書を紹介する。")
                } else {
                    format!("A new report on {topic} is presented.")
                },
                2 + rng.below(2),
            ),
        };
        let people = cast(rng, speakers);
        out.push(DemoSession {
            title,
            kind,
            description,
            minutes,
            theme: rng.below(edition.themes.len()),
            track: None,
            people,
        });
    }
    out
}

/// Minutes of one committee meeting, as a minute-taker would write them: the topics move on
/// from meeting to meeting, action items are given with owners and due dates, and the last
/// meeting asks for the next date.
fn demo_minutes(
    committee: &DemoCommittee,
    meeting: &DemoMeeting,
    k: usize,
    people: &[DemoPerson],
    organisations: &[DemoOrganisation],
) -> crate::minutes::MinutesDocument {
    use crate::minutes::{AgendaItem, MinutesDocument, Participant, Venue};
    let members: Vec<&DemoPerson> = committee.members.iter().map(|&m| &people[m]).collect();
    let family = |p: &DemoPerson| p.name.display.split(' ').next().unwrap_or_default().to_owned();
    // Most members attend; one or two miss each meeting.
    let attending: Vec<&DemoPerson> =
        members.iter().enumerate().filter(|(i, _)| (i + k) % 7 != 3).map(|(_, p)| *p).collect();
    let participants = attending
        .iter()
        .map(|p| {
            let (f, g) = p.name.display.split_once(' ').unwrap_or((&p.name.display, ""));
            Participant {
                family: f.to_owned(),
                given: g.to_owned(),
                affiliation: organisations[p.organisation].name.clone(),
            }
        })
        .collect::<Vec<_>>();
    let owner = |i: usize| family(attending[i % attending.len()]);
    let date = |d: time::Date| format!("{}/{}", u8::from(d.month()), d.day());
    let due = meeting.date + time::Duration::weeks(2);
    let topics = [
        (
            "IGF 2026 ワークショップ提案の検討",
            "提案書の骨子を確認し、登壇者候補の多様性（地域・ジェンダー・ステークホルダー）を検討した。",
        ),
        ("ユース参画とメンター制度", "ユースの登壇機会とメンター制度の運用案について意見交換した。"),
        ("WSIS+20 レビューへの意見提出", "政府の意見募集（パブリックコメント）への対応方針を議論した。"),
        (
            "日本 IGF の開催準備",
            "会場、ハイブリッド運営、通訳の手配状況を確認した。APrIGF 2025 の参加報告を共有し、学生向け勉強会の開催も検討した。",
        ),
        ("IGF 2026 本会合の振り返り準備", "報告会の構成と、参加者アンケートの設問を検討した。"),
    ];
    let (topic, summary) = topics[k % topics.len()];
    let mut items = vec![
        AgendaItem {
            number: "1".into(),
            title: "開会".into(),
            timebox_min: Some(5),
            body: format!("- {}氏より開会の挨拶があった。", owner(0)),
        },
        AgendaItem {
            number: "2".into(),
            title: "前回議論の振り返り".into(),
            timebox_min: Some(5),
            body: format!("- 第 {} 回会合の議事録案を確認した。", meeting.number - 1),
        },
        AgendaItem {
            number: "3".into(),
            title: "宿題の進捗確認".into(),
            timebox_min: Some(10),
            body: "- 前回の宿題について担当者より報告があった。".into(),
        },
        AgendaItem {
            number: "4".into(),
            title: "政府からの報告".into(),
            timebox_min: Some(10),
            body: format!(
                "- {}氏より、マルチステークホルダー・ガイドラインの検討状況について報告があった。\n  - 意見募集は来月締め切りの見込み",
                owner(1)
            ),
        },
        AgendaItem {
            number: "5".into(),
            title: topic.into(),
            timebox_min: Some(40),
            body: format!(
                "- {summary}\n- 意見交換\n  - 地域バランスに配慮すべき（{}氏）\n  - オンライン参加者の発言機会を確保したい（{}氏）\n- 方針案のとおり進める【この案でいくこととする】",
                owner(2),
                owner(3)
            ),
        },
        AgendaItem {
            number: "6".into(),
            title: "本日の議論を受けた Todo 確認".into(),
            timebox_min: Some(10),
            body: format!(
                "- {topic}の資料案の作成（{}）：{} まで\n- 関係者への連絡（{}、{}）：{} 月中",
                owner(k + 4),
                date(due),
                owner(k + 5),
                owner(k + 6),
                u8::from(due.month())
            ),
        },
    ];
    let next = meeting.date + time::Duration::weeks(4);
    items.push(AgendaItem {
        number: "7".into(),
        title: "次回打合せ予定".into(),
        timebox_min: Some(5),
        body: format!(
            "- 次回アジェンダ（たたき台）\n  - 政府からの報告\n  - {}\n- 次回打合せの開催時期\n  - 次回開催候補は {}、{}、{} のいずれかとしたい→{}氏の都合を伺って日程を決めることとする\n    - 18 時 30 分から開始",
            topics[(k + 1) % topics.len()].0,
            date(next),
            date(next + time::Duration::days(2)),
            date(next + time::Duration::days(7)),
            owner(1),
        ),
    });
    MinutesDocument {
        series: Some(committee.series.to_owned()),
        number: Some(meeting.number),
        date: Some(format!(
            "{:04}-{:02}-{:02}",
            meeting.date.year(),
            u8::from(meeting.date.month()),
            meeting.date.day()
        )),
        start: Some(meeting.start.to_owned()),
        end: Some(meeting.end.to_owned()),
        venue: Venue { kind: Some(meeting.venue_kind.code().to_owned()), text: meeting.venue_text.to_owned() },
        hosts: vec!["一般社団法人サンプルネットワーク協会".into(), "特定非営利活動法人デジタル市民フォーラム".into()],
        stated_count: Some(participants.len() as i64),
        participants,
        chair: Some(attending[0].name.display.clone()),
        minute_taker: Some(attending[1 % attending.len()].name.display.clone()),
        materials: vec![format!("資料 1：{topic}（案）"), "資料 2：スケジュール".into()],
        items,
        ..MinutesDocument::default()
    }
}

fn demo_edition() -> DemoEdition {
    let day0 = Date::from_calendar_date(2026, Month::December, 14).unwrap_or(Date::MIN);
    let mut rooms = vec![
        DemoRoom { name: "Main Hall A".into(), capacity: 1000, features: vec!["hybrid", "interpretation"] },
        DemoRoom { name: "Main Hall B".into(), capacity: 1000, features: vec!["hybrid", "interpretation"] },
        DemoRoom { name: "Conference Room 300".into(), capacity: 300, features: vec!["hybrid"] },
    ];
    for k in 1..=11 {
        rooms.push(DemoRoom { name: format!("Workshop Room {k}"), capacity: 80, features: vec!["hybrid"] });
    }
    DemoEdition {
        slug: "igf-2026",
        name: "Internet Governance Forum 2026 (demo)",
        name_ja: "インターネット・ガバナンス・フォーラム 2026（デモ）",
        timezone: "Asia/Tokyo",
        venue: "Kyoto International Conference Center (demo)",
        days: (0..5)
            .map(|d| DemoDay {
                label: format!("Day {d}"),
                date: day0 + time::Duration::days(d),
                start: "09:00",
                end: "18:30",
            })
            .collect(),
        rooms,
        tracks: vec![
            ("High-Level Leaders", "ハイレベルリーダーズ"),
            ("Parliamentary", "議員"),
            ("Youth", "ユース"),
            ("Business", "ビジネス"),
            ("Judiciary", "司法"),
            ("Newcomers", "ニューカマー"),
        ],
        themes: vec![
            ("AI and emerging technologies", "AI と新興技術"),
            ("Universal access and meaningful connectivity", "ユニバーサルアクセスと意味のある接続"),
            ("Human rights and freedoms online", "オンラインの人権と自由"),
            ("Trust, security and stability", "信頼・セキュリティ・安定性"),
            ("Sustainability and the environment", "持続可能性と環境"),
        ],
    }
}

fn demo_proposal(
    rng: &mut SplitMix64,
    session_type: SessionType,
    people: &[DemoPerson],
    edition: &DemoEdition,
    on_stage: &mut [usize],
) -> DemoProposal {
    let (topic_en, topic_ja) = *rng.pick(TOPICS);
    let japanese = rng.chance(0.2);
    let title =
        if japanese { rng.pick(ANGLES_JA).replace("{}", topic_ja) } else { rng.pick(ANGLES).replace("{}", topic_en) };
    // Sentences drawn from small pools: proposals on one topic share some of them, as real
    // near-duplicate proposals do (the candidates for a joint session).
    let description = if japanese {
        let opener = rng
            .pick(&[
                "本セッションでは{}について、マルチステークホルダーの視点から議論する。",
                "国内外の IGF での議論を踏まえ、{}がまだオンラインにいない人々にとって何を意味するかを問う。",
                "若者と初参加者が中心となって{}を語るセッションである。",
                "規制当局と研究者が地域を越えて{}の経験を持ち寄る。",
            ])
            .replace("{}", topic_ja);
        let middle = [
            "政府、民間、市民社会、技術コミュニティ、学術界の登壇者が、それぞれの経験と課題を共有する。",
            "アフリカ、アジア太平洋、中南米の事例を比較する。",
            "小島嶼国の事例から、うまくいった点といかなかった点を示す。",
            "昨年のベストプラクティス・フォーラムの成果を出発点とする。",
            "各登壇者が政策課題の一つに 3 分で答える。",
        ];
        let (m1, m2) = (rng.below(middle.len()), rng.below(middle.len()));
        let close = rng.pick(&[
            "ハイブリッド形式でオンライン参加者とも意見交換を行い、会期間活動への提言をまとめる。",
            "成果は WSIS+20 レビューへの意見として共有する。",
            "2 週間以内に短い報告書を公開する。",
        ]);
        format!("{opener}{}{}{close}", middle[m1], if m2 != m1 { middle[m2] } else { "" })
    } else {
        let opener = rng.pick(&[
            "This session brings government, business, civil society, the technical community and academia together on {}.",
            "Drawing on national and regional IGF discussions, this session asks what {} means for people not yet online.",
            "Youth and newcomers lead this conversation on {}.",
            "Regulators and researchers from several regions compare notes on {}.",
        ])
        .replace("{}", topic_en);
        let middle = [
            "Speakers share evidence and open questions from their own work.",
            "Case studies from Africa, Asia-Pacific and Latin America are compared.",
            "Examples from small island states show what worked and what did not.",
            "The discussion starts from last year's best practice forum.",
            "Each speaker answers one policy question in three minutes.",
        ];
        let (m1, m2) = (rng.below(middle.len()), rng.below(middle.len()));
        let close = rng.pick(&[
            "Remote participants join through moderated Q&A, and the session closes with concrete recommendations for the IGF's intersessional work.",
            "Outcomes feed into the WSIS+20 review.",
            "A short report will be published within two weeks.",
        ]);
        let second = if m2 != m1 { format!(" {}", middle[m2]) } else { String::new() };
        format!("{opener} {}{second} {close}", middle[m1])
    };
    let speakers = match session_type {
        SessionType::LightningTalk => 1,
        SessionType::Workshop => 3 + rng.below(3),
        _ => 2 + rng.below(4),
    };
    let mut chosen: Vec<usize> = Vec::new();
    // Most people speak in up to three proposals (the IGF's limit); a few prolific speakers
    // go past it, as in real calls, so that the screening has something to find.
    while chosen.len() < speakers + 2 {
        let p = if rng.chance(0.008) { rng.below(10) } else { rng.below(people.len()) };
        let on_stage_role = !chosen.is_empty();
        if !chosen.contains(&p) && (p < 10 || !on_stage_role || on_stage[p] < 3) {
            if on_stage_role {
                on_stage[p] += 1;
            }
            chosen.push(p);
        }
    }
    let mut participation = vec![
        DemoParticipation { person: chosen[0], role: ParticipationRole::Organiser, onsite: true, confirmed: true },
        DemoParticipation {
            person: chosen[1],
            role: ParticipationRole::Moderator,
            onsite: rng.chance(0.95),
            confirmed: true,
        },
    ];
    for &p in &chosen[2..] {
        participation.push(DemoParticipation {
            person: p,
            role: ParticipationRole::Speaker,
            onsite: rng.chance(0.88),
            confirmed: rng.chance(0.95),
        });
    }
    let track = match session_type {
        SessionType::DayZero | SessionType::Workshop if rng.chance(0.25) => Some(rng.below(edition.tracks.len())),
        _ => None,
    };
    DemoProposal {
        title,
        session_type,
        theme: rng.below(edition.themes.len()),
        track,
        description,
        status: if rng.chance(0.03) { ProposalStatus::Withdrawn } else { ProposalStatus::Submitted },
        people: participation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_forum_is_igf_sized_and_deterministic() {
        let a = generate(2026);
        let b = generate(2026);
        assert_eq!(a.people.len(), 600);
        assert_eq!(a.proposals.len(), 300);
        assert_eq!(a.evaluators.len(), 40);
        assert_eq!(a.edition.rooms.len(), 14);
        assert_eq!(a.edition.days.len(), 5);
        assert_eq!(a.people[123].name, b.people[123].name);
        assert_eq!(a.proposals[77].title, b.proposals[77].title);
    }

    #[test]
    fn every_stakeholder_group_region_and_session_type_appears() {
        let forum = generate(2026);
        for group in StakeholderGroup::ALL {
            assert!(forum.people.iter().any(|p| p.group == *group), "{group}");
        }
        for region in UnRegion::ALL {
            assert!(forum.people.iter().any(|p| p.region == *region), "{region}");
        }
        for t in SessionType::ALL.iter().filter(|t| **t != SessionType::Main) {
            assert!(forum.proposals.iter().any(|p| p.session_type == *t), "{t}");
        }
    }
}
