//! Argon2id work (hashing a new password, verifying one at sign-in) on a few threads of its
//! own. Each hash takes 19 MiB and most of a core; on tokio's blocking pool every burst of
//! sign-ins could land on new threads, and the allocator keeps what each thread used
//! (measured: 50 sign-ins at once grew the server by 860 MiB, one at a time still by 210 MiB).
//! A fixed set of threads bounds both the work in flight and the memory kept.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::error::AppError;

type Job = Box<dyn FnOnce() + Send>;

/// A fixed pool of threads for password hashing; the threads end when the pool is dropped.
#[derive(Clone)]
pub struct PasswordHashing {
    jobs: mpsc::Sender<Job>,
}

impl PasswordHashing {
    pub fn new(threads: usize) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            let worker = move || {
                loop {
                    // The lock is held only to take the next job, not while it runs.
                    let next = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    match next {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            };
            if let Err(e) = std::thread::Builder::new().name(format!("kaigi-argon2-{n}")).spawn(worker) {
                tracing::error!(error = %e, "cannot start a password-hashing thread");
            }
        }
        Self { jobs }
    }

    /// Runs `work` on one of the pool's threads, waiting (without blocking the runtime) for
    /// a free one.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = reply.send(work());
            }))
            .map_err(|_| AppError::Internal("the password-hashing threads are gone".into()))?;
        answer.await.map_err(|_| AppError::Internal("a password-hashing job was dropped".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_at_most_the_pool_s_threads() {
        let pool = PasswordHashing::new(2);
        let names: Vec<String> = futures_names(&pool).await;
        let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
        assert!(distinct.len() <= 2, "{distinct:?}");
        assert!(names.iter().all(|n| n.starts_with("kaigi-argon2-")));
    }

    async fn futures_names(pool: &PasswordHashing) -> Vec<String> {
        let mut waiting = Vec::new();
        for _ in 0..20 {
            let pool = pool.clone();
            waiting.push(tokio::spawn(async move {
                pool.run(|| std::thread::current().name().unwrap_or_default().to_owned()).await
            }));
        }
        let mut names = Vec::new();
        for w in waiting {
            if let Ok(Ok(name)) = w.await {
                names.push(name);
            }
        }
        assert_eq!(names.len(), 20);
        names
    }
}
