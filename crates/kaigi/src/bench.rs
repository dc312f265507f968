//! `kaigi bench http`: the home page under load beside a static file server serving the same
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
    stream.write_all(head.as_bytes()).await?;
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
    let headers = String::from_utf8_lossy(&buffer[..header_end]).to_lowercase();
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
    Ok((status, buffer[header_end..header_end + length].to_vec()))
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

fn spawn(args: &[&str]) -> Result<Child> {
    let exe = std::env::current_exe()?;
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
    let status = std::process::Command::new(std::env::current_exe()?)
        .args(["--db", &db, "demo", "--no-serve"])
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .status()?;
    if !status.success() {
        bail!("kaigi demo --no-serve failed");
    }

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
    let mut reference = spawn(&["bench", "static-server", "--dir", &scratch_arg, "--port", &static_port.to_string()])?;
    let mut ceiling =
        spawn(&["bench", "static-server", "--memory", "--dir", &scratch_arg, "--port", &memory_port.to_string()])?;
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
        "kaigi bench http — {} bytes of {} (ja), {} connections, {} s each, {cores} cores",
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

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("kaigi-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
