//! `kaigi-bench http`: the home page under load beside a static file server serving the same
//! bytes, in the same run, plus the cold start and memory of `kaigi demo`. Both servers run as
//! child processes; the load generator (HTTP/1.1 keep-alive, N connections) runs here.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

pub struct HttpBench {
    pub db: Option<String>,
    pub connections: usize,
    pub seconds: u64,
    pub path: String,
}

/// Serves the files of `dir` (for the reference measurement), or with `memory` the bytes of
/// its index.html from memory for every request (the framework's ceiling).
pub async fn static_server(dir: &Path, port: u16, memory: bool) -> Result<()> {
    let app = if memory {
        let bytes = axum::body::Bytes::from(std::fs::read(dir.join("index.html"))?);
        axum::Router::new().fallback(move || {
            let bytes = bytes.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes) }
        })
    } else {
        axum::Router::new().fallback_service(tower_http::services::ServeDir::new(dir))
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    // As kaigi does: without TCP_NODELAY a body written after its headers waits for a delayed ACK.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await?;
    Ok(())
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn wait_for_200(port: u16, path: &str, deadline: Duration) -> Result<Duration> {
    let start = Instant::now();
    while start.elapsed() < deadline {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)).await
            && let Ok((status, _)) = request(&mut stream, path).await
            && status == 200
        {
            return Ok(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    bail!("no 200 from 127.0.0.1:{port}{path} within {deadline:?}")
}

/// One GET on a kept-alive connection: the status and the body.
async fn request(stream: &mut TcpStream, path: &str) -> Result<(u16, Vec<u8>)> {
    let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: ja\r\n\r\n");
    exchange(stream, &head, "").await
}

pub struct Load {
    pub requests: usize,
    pub errors: usize,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Load {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

async fn load(port: u16, path: &str, connections: usize, duration: Duration) -> Result<Load> {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let path = path.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok();
            while start.elapsed() < duration {
                let Some(s) = stream.as_mut() else {
                    errors += 1;
                    stream = TcpStream::connect(("127.0.0.1", port)).await.ok();
                    continue;
                };
                let t = Instant::now();
                match request(s, &path).await {
                    Ok((200, _)) => latencies.push(t.elapsed()),
                    _ => {
                        errors += 1;
                        stream = TcpStream::connect(("127.0.0.1", port)).await.ok();
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (l, e) = task.await?;
        latencies.extend(l);
        errors += e;
    }
    let seconds = start.elapsed().as_secs_f64();
    latencies.sort();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(f64::NAN)
    };
    Ok(Load { requests: latencies.len(), errors, seconds, p50_ms: pick(0.50), p99_ms: pick(0.99) })
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// The `kaigi` binary built beside this one (same profile, same target directory).
fn kaigi_exe() -> Result<PathBuf> {
    let exe = std::env::current_exe()?.with_file_name(format!("kaigi{}", std::env::consts::EXE_SUFFIX));
    if !exe.is_file() {
        bail!("{} is missing; build both: cargo build --release -p kaigi -p kaigi-bench", exe.display());
    }
    Ok(exe)
}

/// A `kaigi` child process.
fn spawn(args: &[&str]) -> Result<Child> {
    spawn_exe(kaigi_exe()?, args)
}

fn spawn_exe(exe: PathBuf, args: &[&str]) -> Result<Child> {
    Command::new(exe)
        .args(args)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start a kaigi child process")
}

pub async fn run(options: HttpBench) -> Result<()> {
    let scratch = tempfile_dir()?;
    let db = match &options.db {
        Some(db) => db.clone(),
        None => scratch.join("bench.db").to_string_lossy().into_owned(),
    };
    // Fill the database first, so the timed start is a start on an existing database.
    fill_with_demo(&db)?;

    let kaigi_port = free_port()?;
    let launched = Instant::now();
    let mut kaigi = spawn(&["--db", &db, "demo", "--port", &kaigi_port.to_string()])?;
    wait_for_200(kaigi_port, &options.path, Duration::from_secs(60)).await?;
    let cold_start = launched.elapsed();
    let pid = kaigi.id().ok_or_else(|| anyhow!("kaigi exited"))?;
    let rss_idle = rss_kib(pid);

    let mut stream = TcpStream::connect(("127.0.0.1", kaigi_port)).await?;
    let (_, body) = request(&mut stream, &options.path).await?;
    drop(stream);
    std::fs::write(scratch.join("index.html"), &body)?;
    let scratch_arg = scratch.to_string_lossy().into_owned();
    let static_port = free_port()?;
    let memory_port = free_port()?;
    let bench = std::env::current_exe()?;
    let mut reference =
        spawn_exe(bench.clone(), &["static-server", "--dir", &scratch_arg, "--port", &static_port.to_string()])?;
    let mut ceiling =
        spawn_exe(bench, &["static-server", "--memory", "--dir", &scratch_arg, "--port", &memory_port.to_string()])?;
    wait_for_200(static_port, "/index.html", Duration::from_secs(10)).await?;
    wait_for_200(memory_port, "/index.html", Duration::from_secs(10)).await?;

    let duration = Duration::from_secs(options.seconds);
    let served = load(static_port, "/index.html", options.connections, duration).await?;
    let in_memory = load(memory_port, "/index.html", options.connections, duration).await?;
    let dynamic = load(kaigi_port, &options.path, options.connections, duration).await?;
    let rss_loaded = rss_kib(pid);
    for child in [&mut kaigi, &mut reference, &mut ceiling] {
        child.kill().await.ok();
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "kaigi-bench http — {} bytes of {} (ja), {} connections, {} s each, {cores} cores",
        body.len(),
        options.path,
        options.connections,
        options.seconds
    );
    println!(
        "cold start of `kaigi demo` on an existing database, to the first 200: {:.0} ms",
        cold_start.as_secs_f64() * 1000.0
    );
    let mib = |k: Option<u64>| k.map_or_else(|| "?".to_owned(), |k| (k / 1024).to_string());
    println!("resident memory of the demo server: {} MiB idle, {} MiB after the load", mib(rss_idle), mib(rss_loaded));
    println!("{:<32} {:>9} {:>9} {:>9} {:>7}", "server", "req/s", "p50 ms", "p99 ms", "errors");
    for (name, l) in
        [("static file server (ServeDir)", &served), ("the same bytes from memory", &in_memory), ("kaigi", &dynamic)]
    {
        println!("{name:<32} {:>9.0} {:>9.2} {:>9.2} {:>7}", l.per_second(), l.p50_ms, l.p99_ms, l.errors);
    }
    for (name, reference) in [("static file server", &served), ("bytes from memory", &in_memory)] {
        println!(
            "kaigi / {name}: throughput {:.2}x, p99 latency {:.2}x",
            dynamic.per_second() / reference.per_second(),
            dynamic.p99_ms / reference.p99_ms
        );
    }
    Ok(())
}

/// Fills the database at `db` with the demo forum, in a child process as a user would.
fn fill_with_demo(db: &str) -> Result<()> {
    let status = std::process::Command::new(kaigi_exe()?)
        .args(["--db", db, "demo", "--no-serve"])
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .status()?;
    if !status.success() {
        bail!("kaigi demo --no-serve failed");
    }
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("kaigi-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// `kaigi-bench assign`: the exact assignment solver on an IGF-sized call (3,000 proposals,
/// 100 evaluators, 3 per proposal), and beside it a textbook exact min-cost flow (successive
/// shortest paths with Dijkstra on the whole graph) on a call small enough to wait for.
pub fn assign(proposals: usize, evaluators: usize, per_proposal: usize, reference_proposals: usize) -> Result<()> {
    use kaigi_core::assignment::{Instance, prepare, solve};
    let make = |n_p: usize| -> Result<Instance> {
        let mut rng = kaigi_core::rng::SplitMix64::new(2026);
        let themes = ["ai", "access", "rights", "security", "climate"];
        let evaluators: Vec<serde_json::Value> = (0..evaluators)
            .map(|e| {
                serde_json::json!({"id": format!("e{e}"), "organisation": format!("o{}", rng.below(60)),
                "themes": [themes[rng.below(5)], themes[rng.below(5)]]})
            })
            .collect();
        let proposals: Vec<serde_json::Value> = (0..n_p)
            .map(|p| serde_json::json!({"id": format!("p{p}"), "organisations": [format!("o{}", rng.below(60)), format!("o{}", rng.below(200))],
                "theme": themes[rng.below(5)]}))
            .collect();
        let affinity: Vec<serde_json::Value> = (0..n_p * 5)
            .map(|_| serde_json::json!({"evaluator": format!("e{}", rng.below(evaluators.len())), "proposal": format!("p{}", rng.below(n_p)),
                "score": rng.below(100) as f64 / 50.0}))
            .collect();
        Ok(serde_json::from_value(
            serde_json::json!({"per_proposal": per_proposal, "evaluators": evaluators, "proposals": proposals, "affinity": affinity}),
        )?)
    };
    let big = make(proposals)?;
    let timed = |inst: &Instance| -> Result<(f64, f64)> {
        let start = Instant::now();
        let solution = solve(inst).map_err(|e| anyhow!("{e}"))?;
        Ok((start.elapsed().as_secs_f64() * 1000.0, solution.objective))
    };
    let mut runs: Vec<f64> = Vec::new();
    let mut objective = 0.0;
    for _ in 0..5 {
        let (ms, obj) = timed(&big)?;
        runs.push(ms);
        objective = obj;
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "kaigi-bench assign — {proposals} proposals × {evaluators} evaluators × {per_proposal} per proposal: median {:.0} ms, min {:.0} ms, max {:.0} ms over 5 runs (objective {objective:.2})",
        runs[2], runs[0], runs[4]
    );
    let small = make(reference_proposals)?;
    let (ours, our_objective) = timed(&small)?;
    let start = Instant::now();
    let reference = reference_min_cost_flow(&prepare(&small).map_err(|e| anyhow!("{e}"))?);
    let theirs = start.elapsed().as_secs_f64() * 1000.0;
    println!(
        "on {reference_proposals} proposals: kaigi {ours:.1} ms, textbook min-cost flow {theirs:.1} ms ({:.1}x faster); objectives {our_objective:.6} and {:.6}",
        theirs / ours,
        reference.unwrap_or(f64::NAN)
    );
    Ok(())
}

/// Successive shortest paths with Dijkstra and potentials on the full flow network.
fn reference_min_cost_flow(prep: &kaigi_core::assignment::Prepared) -> Option<f64> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let (n_e, n_p, k) = (prep.n_e, prep.n_p, prep.k);
    let (s, t, n) = (n_p + n_e, n_p + n_e + 1, n_p + n_e + 2);
    let (mut to, mut cap, mut cost, mut adj) = (Vec::new(), Vec::new(), Vec::new(), vec![Vec::new(); n]);
    let mut add = |u: usize, v: usize, c: i64, w: f64, adj: &mut Vec<Vec<usize>>| {
        adj[u].push(to.len());
        to.push(v);
        cap.push(c);
        cost.push(w);
        adj[v].push(to.len());
        to.push(u);
        cap.push(0);
        cost.push(-w);
    };
    for p in 0..n_p {
        add(s, p, k as i64, 0.0, &mut adj);
        for e in 0..n_e {
            if prep.eligible[p * n_e + e] {
                add(p, n_p + e, 1, -prep.affinity[p * n_e + e], &mut adj);
            }
        }
    }
    for e in 0..n_e {
        add(n_p + e, t, prep.capacity[e] as i64, 0.0, &mut adj);
    }
    // Initial potentials from the acyclic network.
    let mut pi = vec![0.0f64; n];
    for e in 0..n_e {
        pi[n_p + e] =
            (0..n_p).filter(|&p| prep.eligible[p * n_e + e]).map(|p| -prep.affinity[p * n_e + e]).fold(0.0, f64::min);
    }
    pi[t] = (0..n_e).map(|e| pi[n_p + e]).fold(0.0, f64::min);
    let mut total = 0.0;
    for _ in 0..n_p * k {
        let mut dist = vec![f64::INFINITY; n];
        let mut prev = vec![usize::MAX; n];
        let mut heap = BinaryHeap::new();
        dist[s] = 0.0;
        heap.push((Reverse(OrderedF64(0.0)), s));
        while let Some((Reverse(OrderedF64(d)), u)) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            for &edge in &adj[u] {
                if cap[edge] > 0 {
                    let v = to[edge];
                    let nd = d + (cost[edge] + pi[u] - pi[v]).max(0.0);
                    if nd < dist[v] {
                        dist[v] = nd;
                        prev[v] = edge;
                        heap.push((Reverse(OrderedF64(nd)), v));
                    }
                }
            }
        }
        if !dist[t].is_finite() {
            return None;
        }
        for v in 0..n {
            pi[v] += dist[v].min(dist[t]);
        }
        let mut v = t;
        while v != s {
            let edge = prev[v];
            cap[edge] -= 1;
            cap[edge ^ 1] += 1;
            total += cost[edge];
            v = to[edge ^ 1];
        }
    }
    Some(-total)
}

#[derive(PartialEq)]
struct OrderedF64(f64);

impl Eq for OrderedF64 {}

impl PartialOrd for OrderedF64 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedF64 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// `kaigi-bench seat`: the WSIS+20-sized roundtable (140 invitees at 20 tables of 7, some seats
/// pinned) over several seeds: time, score, and the proven lower bound it is compared with.
pub fn seat(instances: u64, seconds: f64) -> Result<()> {
    use kaigi_core::seating::{Instance, solve};
    let groups = ["minister", "regulator", "un", "industry", "academia", "civil-society", "technical"];
    let regions =
        ["african", "asia-pacific", "eastern-european", "latin-american-caribbean", "western-european-others"];
    let mut at_bound = 0;
    let mut worst_gap: f64 = 0.0;
    let mut times = Vec::new();
    for seed in 0..instances {
        let mut rng = kaigi_core::rng::SplitMix64::new(seed);
        let tables: Vec<serde_json::Value> =
            (0..20).map(|t| serde_json::json!({"id": format!("t{:02}", t + 1), "seats": 7})).collect();
        let people: Vec<serde_json::Value> = (0..140)
            .map(|p| {
                let mut person = serde_json::json!({"id": format!("x{p:03}"),
                    // Skewed like real invitations: many ministers and industry, few academics.
                    "group": groups[[0, 0, 0, 1, 1, 2, 3, 3, 3, 4, 5, 5, 6][rng.below(13)]],
                    "region": regions[[0, 1, 1, 1, 2, 3, 4, 4][rng.below(8)]]});
                if p < 20 {
                    // The twenty ministers who chair a table each are pinned to it.
                    person["group"] = serde_json::json!("minister");
                    person["pinned_table"] = serde_json::json!(format!("t{:02}", p + 1));
                }
                person
            })
            .collect();
        let instance: Instance = serde_json::from_value(serde_json::json!({"tables": tables, "people": people}))?;
        let start = Instant::now();
        let solution = solve(&instance, Duration::from_secs_f64(seconds)).map_err(|e| anyhow!("{e}"))?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let gap = (solution.score - solution.lower_bound) / solution.lower_bound.max(1.0);
        worst_gap = worst_gap.max(gap);
        if gap <= 1e-12 {
            at_bound += 1;
        }
        println!(
            "seed {seed}: score {} lower bound {} ({:.2}% above) in {:.1} ms",
            solution.score,
            solution.lower_bound,
            gap * 100.0,
            times[times.len() - 1]
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "kaigi-bench seat — {instances} roundtables of 140 at 20 × 7 (20 pinned): {at_bound} provably optimal (score = lower bound), worst {:.2}% above the bound; median {:.1} ms, max {:.1} ms (budget {seconds} s)",
        worst_gap * 100.0,
        times[times.len() / 2],
        times[times.len() - 1]
    );
    Ok(())
}

/// The timetabler on IGF-sized editions, against exhaustive search on small ones, and on the
/// real published schedules re-timetabled from their from-frab instances.
pub fn schedule(instances: u64, seconds: f64, schedules: &[std::path::PathBuf], real_seconds: f64) -> Result<()> {
    use kaigi_core::timetable::{Problem, evaluate, exhaustive, generate, search, slots_from_placements};
    println!("IGF-sized editions: 300 sessions, 14 rooms, 5 days (budget {seconds} s each)");
    let mut feasible_times = Vec::new();
    for seed in 0..instances {
        let problem = Problem::new(&generate::igf(seed, 300, 14)).map_err(|e| anyhow!("{e}"))?;
        let start = Instant::now();
        let (slots, stats) = search(&problem, Duration::from_secs_f64(seconds), seed);
        let took = start.elapsed();
        let e = evaluate(&problem, &slots);
        if let Some(t) = stats.feasible_after {
            feasible_times.push(t.as_secs_f64() * 1000.0);
        }
        println!(
            "  seed {seed}: hard {} soft score {} after {:.2} s; no hard violation after {}; {} moves tried",
            e.hard.total(),
            e.score,
            took.as_secs_f64(),
            stats.feasible_after.map_or("never".into(), |t| format!("{:.0} ms", t.as_secs_f64() * 1000.0)),
            stats.iterations
        );
    }
    feasible_times.sort_by(f64::total_cmp);
    if let (Some(median), Some(max)) = (feasible_times.get(feasible_times.len() / 2), feasible_times.last()) {
        println!(
            "  {} of {instances} without hard violations; first reached in median {median:.0} ms, max {max:.0} ms",
            feasible_times.len()
        );
    }
    println!("Small editions against exhaustive search (7 sessions, 2 rooms, 2 days, 30-minute grid, 0.2 s budget)");
    let (mut equal, mut solved) = (0, 0);
    for seed in 0..20u64 {
        let mut instance = generate::igf(1000 + seed, 7, 2);
        for d in &mut instance.days {
            d.end = "12:00".into();
            d.breaks.clear();
        }
        instance.days.truncate(2);
        instance.grid_minutes = 30;
        for s in &mut instance.sessions {
            s.days = None;
            s.needs.clear();
            s.audience = 0.0;
            s.preferred_days.retain(|d| d == "day0" || d == "day1");
            if s.pinned.is_some() {
                s.pinned = None;
            }
        }
        instance.sessions.truncate(7);
        let problem = Problem::new(&instance).map_err(|e| anyhow!("{e}"))?;
        let Some((_, optimum)) = exhaustive(&problem, 50_000_000) else { continue };
        solved += 1;
        let (slots, _) = search(&problem, Duration::from_secs_f64(0.2), seed);
        let e = evaluate(&problem, &slots);
        if e.hard.total() == 0 && (e.score - optimum).abs() < 1e-9 {
            equal += 1;
        }
        println!("  seed {seed}: exhaustive optimum {optimum}, timetabler {} (hard {})", e.score, e.hard.total());
    }
    println!("  the timetabler found the exact optimum on {equal} of {solved} instances");
    for path in schedules {
        let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
        let schedule = kaigi_core::frab::parse(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
        let (instance, published, _) = kaigi_core::frab::to_instance(&schedule);
        let problem = Problem::new(&instance).map_err(|e| anyhow!("{e}"))?;
        let before = evaluate(&problem, &slots_from_placements(&problem, &published).map_err(|e| anyhow!("{e}"))?);
        let start = Instant::now();
        let (slots, _) = search(&problem, Duration::from_secs_f64(real_seconds), 7);
        let took = start.elapsed();
        let after = evaluate(&problem, &slots);
        println!(
            "{}: {} sessions, {} rooms, {} days — published: {} hard ({} person clashes, {} room clashes), score {}; re-timetabled in {:.1} s: {} hard, score {}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
            problem.sessions.len(),
            problem.rooms.len(),
            problem.days.len(),
            before.hard.total(),
            before.hard.person_clash,
            before.hard.room_clash,
            before.score,
            took.as_secs_f64(),
            after.hard.total(),
            after.score
        );
    }
    Ok(())
}

/// The search index on mixed Japanese and English documents, against a plain substring scan
/// of the same documents (the reference for both speed and recall).
pub fn search(documents: usize, queries: usize) -> Result<()> {
    use kaigi_core::access::Permission;
    use kaigi_core::search::{Document, Filters, Index, Kind, fold};
    let ja = [
        "マルチステークホルダー",
        "の議論を行った。",
        "勉強会",
        "インターネットガバナンス",
        "について意見交換した。",
        "ＡＰｒＩＧＦ　２０２５",
        "WSIS+20 レビュー",
        "ユースの参画",
        "次回までに資料を準備する。",
        "ﾊｲﾌﾞﾘｯﾄﾞ形式",
        "政府からの報告があった。",
        "人工知能の安全性",
        "サイバーセキュリティ",
        "宿題の進捗を確認した。",
    ];
    let en = [
        "multistakeholder",
        "internet governance",
        "the session discussed",
        "meaningful access",
        "WSIS+20 review",
        "APrIGF 2025",
        "youth engagement",
        "data flows with trust",
        "AI safety",
        "remote participation",
        "capacity building",
        "the working group agreed",
    ];
    let mut rng = kaigi_core::rng::SplitMix64::new(20_000);
    // A vocabulary like real minutes have: thousands of words, most of them rare, and the
    // forum's recurring phrases among them.
    let pool: Vec<char> = "会議議事録政府民間市民社会技術学術国際協力情報通信安全保障人権自由接続教育若者地域開発環境気候経済標準化規制透明性説明責任信頼データ流通検討報告提案資料確認準備開催参加登壇運営委員予算日程調整意見募集回答結果課題対応方針"
        .chars()
        .chain("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん".chars())
        .chain("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロン".chars())
        .collect();
    let ja_words: Vec<String> = (0..4000).map(|_| (0..2 + rng.below(3)).map(|_| *rng.pick(&pool)).collect()).collect();
    let letters: Vec<char> = "abcdefghijklmnopqrstuvwxyz".chars().collect();
    let en_words: Vec<String> =
        (0..4000).map(|_| (0..3 + rng.below(7)).map(|_| *rng.pick(&letters)).collect()).collect();
    let docs: Vec<Document> = (0..documents)
        .map(|i| {
            let japanese = rng.chance(0.6);
            let words = 60 + rng.below(400);
            let mut body = String::new();
            for w in 0..words {
                if rng.chance(0.01) {
                    let phrase: &str = if japanese { ja[rng.below(ja.len())] } else { en[rng.below(en.len())] };
                    body.push_str(phrase);
                } else if japanese {
                    body.push_str(&ja_words[rng.below(ja_words.len())]);
                    if w % 12 == 11 {
                        body.push('。');
                    }
                } else {
                    body.push_str(&en_words[rng.below(en_words.len())]);
                }
                if !japanese {
                    body.push(' ');
                }
            }
            let title = if japanese {
                format!("第{}回 {}", i, ja[rng.below(ja.len())])
            } else {
                format!("Session {i}: {}", en[rng.below(en.len())])
            };
            Document {
                kind: if i % 5 == 0 { Kind::Proposal } else { Kind::Minutes },
                id: i.to_string(),
                title,
                body,
                url: format!("/d/{i}"),
                edition: None,
                series: None,
                date: None,
                access: Permission::Public,
            }
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.title.len() + d.body.len()).sum();
    let started = Instant::now();
    let index = Index::new(docs.clone());
    let indexing = started.elapsed();
    // The reference scan works on pre-folded text, as any scan would cache it.
    let folded: Vec<(String, String)> = docs.iter().map(|d| (fold(&d.title), fold(&d.body))).collect();
    let mut query_list: Vec<String> =
        ["マルチステークホルダー", "勉強会", "APrIGF 2025", "WSIS+20", "ﾏﾙﾁ", "存在しない単語", "governance"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    while query_list.len() < queries {
        let d = rng.pick(&docs);
        let chars: Vec<char> = d.body.chars().collect();
        let len = 2 + rng.below(8);
        if chars.len() > len {
            let start = rng.below(chars.len() - len);
            query_list.push(chars[start..start + len].iter().collect());
        }
    }
    let (mut index_times, mut scan_times) = (Vec::new(), Vec::new());
    let (mut expected_total, mut found_total, mut extra) = (0usize, 0usize, 0usize);
    for q in &query_list {
        let t = Instant::now();
        let hits = index.search(q, &Filters::default(), |_| true);
        // What a results page costs: every match found and ranked, snippets for the first 20.
        let shown: usize = hits.iter().take(20).map(|h| h.snippet().hit.len()).sum();
        index_times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(shown);
        let t = Instant::now();
        let fq = fold(q);
        let expected: Vec<usize> = folded
            .iter()
            .enumerate()
            .filter(|(_, (a, b))| a.contains(&fq) || b.contains(&fq))
            .map(|(i, _)| i)
            .collect();
        scan_times.push(t.elapsed().as_secs_f64() * 1000.0);
        let found: std::collections::HashSet<usize> = hits.iter().filter_map(|h| h.document.id.parse().ok()).collect();
        expected_total += expected.len();
        found_total += expected.iter().filter(|i| found.contains(i)).count();
        extra += found.len() - expected.iter().filter(|i| found.contains(i)).count();
    }
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() as f64 - 1.0) * p).round() as usize]
    };
    let (i50, i99) = (pct(&mut index_times, 0.5), pct(&mut index_times, 0.99));
    let (s50, s99) = (pct(&mut scan_times, 0.5), pct(&mut scan_times, 0.99));
    println!(
        "kaigi-bench search — {documents} documents ({:.1} MB, 60 % Japanese), {} queries",
        bytes as f64 / 1e6,
        query_list.len()
    );
    println!(
        "  indexing: {:.2} s ({:.0} documents/s)",
        indexing.as_secs_f64(),
        documents as f64 / indexing.as_secs_f64()
    );
    println!(
        "  index query: p50 {i50:.2} ms, p99 {i99:.2} ms (all matches found and ranked, snippets for the first 20)"
    );
    println!(
        "  substring scan of pre-folded text: p50 {s50:.2} ms, p99 {s99:.2} ms — the index is {:.1}× faster at p50",
        s50 / i50.max(1e-9)
    );
    println!(
        "  recall against the scan: {found_total} of {expected_total} ({:.2} %), {extra} results the scan does not have; {:.0} matching documents per query on average",
        100.0 * found_total as f64 / expected_total.max(1) as f64,
        expected_total as f64 / query_list.len() as f64
    );
    Ok(())
}

/// `kaigi-bench register`: a registration rush over loopback. A kaigi server runs in this
/// process; `concurrency` clients, each on its own keep-alive connection and signed in as one
/// of the people, open the registration form (for its CSRF token) and send it, onsite, for a
/// category with places for three quarters of them; whoever is refused sends the form again
/// for online attendance, as the page offers. Afterwards the database must hold exactly one
/// confirmed registration per person and exactly as many onsite as there are places. Beside
/// it, in the same run: the same number of `GET /healthz` requests over the same connections
/// (the server's floor) and of minimal one-row write transactions (the database's floor).
pub async fn register(participants: usize, concurrency: usize, postgres: Option<String>) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("kaigi-bench-register-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir)?;
    let sqlite = kaigi_db::Db::connect(dir.join("kaigi.db").to_str().unwrap_or("kaigi-bench.db")).await?;
    let result = register_on("SQLite", &sqlite, participants, concurrency).await;
    sqlite.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    result?;
    if let Some(url) = postgres {
        let schema = format!("bench_{}", uuid::Uuid::now_v7().simple());
        let admin = kaigi_db::Db::connect_postgres(&url, None).await?;
        let sql = |s: String| sqlx::AssertSqlSafe(s);
        if let kaigi_db::Db::Postgres(pool) = &admin {
            sqlx::query(sql(format!("create schema {schema}"))).execute(pool).await?;
        }
        let db = kaigi_db::Db::connect_postgres(&url, Some(&schema)).await?;
        let result = register_on("PostgreSQL", &db, participants, concurrency).await;
        db.close().await;
        if let kaigi_db::Db::Postgres(pool) = &admin {
            sqlx::query(sql(format!("drop schema {schema} cascade"))).execute(pool).await?;
        }
        result?;
    }
    Ok(())
}

/// One HTTP/1.1 exchange on a keep-alive connection (the request's head and body as written):
/// the status and the body, which must come with a content-length.
async fn exchange(stream: &mut TcpStream, head: &str, body: &str) -> Result<(u16, Vec<u8>)> {
    exchange_with_headers(stream, head, body).await.map(|(status, _, body)| (status, body))
}

/// [`exchange`], with the response's headers (lower-cased) as well.
async fn exchange_with_headers(stream: &mut TcpStream, head: &str, body: &str) -> Result<(u16, String, Vec<u8>)> {
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut buffer = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("connection closed");
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let original = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let headers = original.to_lowercase();
    let status: u16 =
        headers.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| anyhow!("bad status line"))?;
    let length: usize = headers
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| anyhow!("response without content-length"))?;
    while buffer.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("connection closed mid-body");
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    Ok((status, original, buffer[header_end..header_end + length].to_vec()))
}

/// Peak resident memory of a process so far (VmHWM).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// `kaigi-bench sign-in`: the abuse limits and the cap on concurrent password hashes, on the
/// demo server behind a (pretend) load balancer. Three bursts of `attempts` requests at once:
/// cheap POSTs (the reference), wrong passwords for one account (how many are checked), and
/// wrong passwords for as many accounts from as many addresses (every one checked: how far
/// memory grows while Argon2id runs).
pub async fn sign_in(attempts: usize) -> Result<()> {
    let scratch = tempfile_dir()?;
    let db = scratch.join("bench.db").to_string_lossy().into_owned();
    fill_with_demo(&db)?;
    let port = free_port()?;
    let mut kaigi = spawn(&["--db", &db, "demo", "--port", &port.to_string(), "--trust-proxy"])?;
    wait_for_200(port, "/healthz", Duration::from_secs(60)).await?;
    let pid = kaigi.id().ok_or_else(|| anyhow!("kaigi exited"))?;
    // A CSRF cookie and its token, as a browser gets them from the sign-in page.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let head = "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    let (_, headers, body) = exchange_with_headers(&mut stream, head, "").await?;
    let cookie = headers
        .lines()
        .filter_map(|l| l.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie")).map(|(_, v)| v))
        .map(|c| c.trim().split(';').next().unwrap_or_default().to_owned())
        .find(|c| c.starts_with("kaigi_csrf="))
        .ok_or_else(|| anyhow!("no CSRF cookie from /login"))?;
    let page = String::from_utf8_lossy(&body);
    let token = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or_else(|| anyhow!("no CSRF token on /login"))?
        .to_owned();
    let idle = rss_kib(pid);

    let burst = |path: &'static str, form: Box<dyn Fn(usize) -> (String, String) + Send + Sync>| {
        let (cookie, token) = (cookie.clone(), token.clone());
        let form = std::sync::Arc::new(form);
        async move {
            let started = Instant::now();
            let mut tasks = Vec::new();
            for i in 0..attempts {
                let (cookie, token, form) = (cookie.clone(), token.clone(), form.clone());
                tasks.push(tokio::spawn(async move {
                    let (fields, address) = form(i);
                    let body = format!("csrf={}&{fields}", encode(&token));
                    let head = format!(
                        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nX-Forwarded-For: {address}\r\n\
                         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
                    exchange(&mut stream, &head, &body).await.map(|(status, _)| status)
                }));
            }
            let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
            for t in tasks {
                *statuses.entry(t.await??).or_default() += 1;
            }
            anyhow::Ok((statuses, started.elapsed()))
        }
    };
    let reference =
        burst("/language", Box::new(|i| ("lang=ja&next=%2F".into(), format!("203.0.113.{}", i % 250)))).await?;
    let after_reference = peak_rss_kib(pid);
    let one_account = burst(
        "/login",
        Box::new(|_| ("email=participant%40kaigi.example&password=wrong-password-1".into(), "198.51.100.1".into())),
    )
    .await?;
    let many = burst(
        "/login",
        Box::new(|i| {
            (
                format!("email=nobody{i}%40example.org&password=wrong-password-1"),
                format!("10.{}.{}.1", i / 250, i % 250),
            )
        }),
    )
    .await?;
    let peak = peak_rss_kib(pid);
    kaigi.kill().await.ok();
    let _ = std::fs::remove_dir_all(&scratch);

    let mib = |k: Option<u64>| k.map_or_else(|| "?".to_owned(), |k| format!("{:.0}", k as f64 / 1024.0));
    let show = |s: &std::collections::BTreeMap<u16, usize>| {
        s.iter().map(|(status, n)| format!("{n}× {status}")).collect::<Vec<_>>().join(", ")
    };
    println!(
        "kaigi-bench sign-in — {attempts} requests at once per burst, at most {} password hashes at once",
        kaigi_web::CONCURRENT_PASSWORD_HASHES
    );
    println!(
        "reference: {attempts} language switches (no hashing): {} in {:.0} ms",
        show(&reference.0),
        reference.1.as_secs_f64() * 1e3
    );
    println!(
        "one account, wrong password: {} in {:.0} ms (422 = checked, 429 = refused before checking; limit {})",
        show(&one_account.0),
        one_account.1.as_secs_f64() * 1e3,
        kaigi_db::accounts::LOGIN_FAILURES_ALLOWED
    );
    println!(
        "{attempts} accounts from {attempts} addresses, wrong passwords: {} in {:.0} ms",
        show(&many.0),
        many.1.as_secs_f64() * 1e3
    );
    println!(
        "resident memory: {} MiB idle, peak {} MiB after the reference, peak {} MiB after the sign-ins",
        mib(idle),
        mib(after_reference),
        mib(peak)
    );
    Ok(())
}

/// Percent-encodes a form value.
fn encode(s: &str) -> String {
    kaigi_web::auth::form_urlencoded_component(s).replace('/', "%2F")
}

async fn register_on(label: &str, db: &kaigi_db::Db, participants: usize, concurrency: usize) -> Result<()> {
    use kaigi_core::participation::Attendance;
    use kaigi_db::registration::{self, CategoryInput};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    db.migrate().await?;
    let actor = kaigi_db::Actor::system("bench");
    let new = kaigi_db::setup::NewEdition {
        slug: "rush".into(),
        name: "Registration rush".into(),
        name_ja: None,
        timezone: "Asia/Tokyo".into(),
        venue: None,
        starts_on: time::macros::date!(2027 - 06 - 01),
        ends_on: time::macros::date!(2027 - 06 - 03),
    };
    let edition_id = kaigi_db::setup::create_edition(db, &actor, &new).await?;
    let places = (participants * 3 / 4) as i64;
    let category = CategoryInput {
        code: "delegate".into(),
        name: "Delegate".into(),
        name_ja: None,
        onsite_capacity: Some(places),
    };
    registration::save_category(db, &actor, edition_id, &category).await?;
    let users = kaigi_db::demo::bulk_accounts(db, "rush", participants).await?;
    // Signed in already: the rush measures registering, not Argon2id.
    let mut tokens = Vec::with_capacity(participants);
    for user in &users {
        tokens.push(kaigi_db::accounts::create_session(db, *user).await?);
    }
    let tokens = Arc::new(tokens);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let state = kaigi_web::AppState::new(db.clone(), kaigi_web::Config::local(port)).await?;
    let server = tokio::spawn(kaigi_web::serve(listener, state));

    // Each client works through people until none are left: (elapsed, latencies of the sends).
    async fn clients<F, Fut>(port: u16, concurrency: usize, jobs: usize, work: F) -> Result<(Duration, Vec<Duration>)>
    where
        F: Fn(usize, TcpStream) -> Fut + Send + Sync + 'static + Clone,
        Fut: std::future::Future<Output = Result<(TcpStream, Duration)>> + Send,
    {
        let next = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..concurrency.max(1) {
            let (next, work) = (next.clone(), work.clone());
            tasks.push(tokio::spawn(async move {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
                stream.set_nodelay(true)?;
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= jobs {
                        return Ok::<_, anyhow::Error>(latencies);
                    }
                    let (s, latency) = work(i, stream).await?;
                    stream = s;
                    latencies.push(latency);
                }
            }));
        }
        let mut latencies = Vec::new();
        for t in tasks {
            latencies.extend(t.await??);
        }
        latencies.sort();
        Ok((start.elapsed(), latencies))
    }

    let (floor, floor_latencies) = clients(port, concurrency, participants, |_, mut stream| async move {
        let t = Instant::now();
        let (status, _) = exchange(&mut stream, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "").await?;
        if status != 200 {
            bail!("/healthz answered {status}");
        }
        Ok((stream, t.elapsed()))
    })
    .await?;
    let writes = {
        let start = Instant::now();
        let next = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..concurrency.max(1) {
            let (db, next) = (db.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= participants {
                        return Ok::<_, anyhow::Error>(());
                    }
                    kaigi_db::demo::minimal_write(&db, &format!("bench-{i}")).await?;
                }
            }));
        }
        for t in tasks {
            t.await??;
        }
        start.elapsed()
    };

    let refused = Arc::new(AtomicUsize::new(0));
    let (elapsed, latencies) = {
        let (tokens, refused) = (tokens.clone(), refused.clone());
        clients(port, concurrency, participants, move |i, mut stream| {
            let (tokens, refused) = (tokens.clone(), refused.clone());
            async move {
                let cookies = format!("kaigi_session={}; kaigi_csrf=rush-csrf-cookie-of-participant-{i:06}", tokens[i]);
                let head = format!(
                    "GET /editions/rush/registration HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookies}\r\n\r\n"
                );
                let (status, page) = exchange(&mut stream, &head, "").await?;
                let page = String::from_utf8_lossy(&page);
                let csrf = page
                    .split("name=\"csrf\" value=\"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .ok_or_else(|| anyhow!("registration form ({status}) without a CSRF token"))?
                    .to_owned();
                let send = |attendance: &str| {
                    let body = format!(
                        "csrf={}&category=delegate&attendance={attendance}&stakeholder_group=civil-society&un_region=asia-pacific&country=JP&consent=1",
                        percent(&csrf)
                    );
                    let head = format!(
                        "POST /editions/rush/registration HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookies}\r\n\
                         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    (head, body)
                };
                let t = Instant::now();
                let (head, body) = send(Attendance::Onsite.code());
                let (mut status, _) = exchange(&mut stream, &head, &body).await?;
                if status == 422 {
                    refused.fetch_add(1, Ordering::Relaxed);
                    let (head, body) = send(Attendance::Online.code());
                    status = exchange(&mut stream, &head, &body).await?.0;
                }
                if status != 303 {
                    bail!("registering answered {status}");
                }
                Ok((stream, t.elapsed()))
            }
        })
        .await?
    };
    server.abort();

    let categories = registration::categories(db, edition_id).await?;
    let onsite: i64 = categories.iter().map(|c| c.onsite_taken).sum();
    let online: i64 = categories.iter().map(|c| c.online).sum();
    let all = registration::registrations(db, edition_id).await?;
    let confirmed = all.iter().filter(|r| r.confirmed()).count();
    let mut people: Vec<uuid::Uuid> = all.iter().map(|r| r.user_id).collect();
    people.sort();
    people.dedup();
    let onsite_rows = all.iter().filter(|r| r.confirmed() && r.attendance == "onsite").count() as i64;
    if onsite != places || onsite_rows != places || confirmed != participants || people.len() != participants {
        bail!(
            "{label}: {onsite} places counted, {onsite_rows} onsite registrations, {confirmed} confirmed for {} people, \
             for {places} places and {participants} people",
            people.len()
        );
    }
    let pick = |l: &[Duration], q: f64| {
        l.get(((l.len() as f64 * q) as usize).min(l.len().saturating_sub(1))).copied().unwrap_or_default()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "kaigi-bench register — {label}, over loopback, {concurrency} clients: {participants} registrations in {:.2} s \
         ({:.0}/s; each = form + send), send latency p50 {:.1} ms, p99 {:.1} ms; {} refused onsite and registered online; \
         afterwards {confirmed} confirmed, one per person, {onsite} of {places} onsite places, {online} online: none lost, \
         duplicated or overbooked. Same run: {participants} GET /healthz in {:.2} s (p99 {:.1} ms), \
         {participants} one-row write transactions in {:.2} s; the rush took {:.1}x the writes.",
        elapsed.as_secs_f64(),
        participants as f64 / elapsed.as_secs_f64(),
        ms(pick(&latencies, 0.5)),
        ms(pick(&latencies, 0.99)),
        refused.load(Ordering::Relaxed),
        floor.as_secs_f64(),
        ms(pick(&floor_latencies, 0.99)),
        writes.as_secs_f64(),
        elapsed.as_secs_f64() / writes.as_secs_f64()
    );
    Ok(())
}

/// Percent-encodes a form value.
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
