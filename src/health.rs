//! Which long-running loops are alive, for `/healthz`: a loop that ended (a panic, a bug,
//! an early return) while the bot still answers webhooks would otherwise go unnoticed
//! while nobody gets an answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct Liveness {
    loops: Mutex<Vec<(&'static str, Arc<AtomicBool>)>>,
}

/// Held by a running loop; dropping it (the loop ended, or unwound) marks it down.
pub struct LoopGuard(Arc<AtomicBool>);

impl Drop for LoopGuard {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Liveness {
    /// A loop named `name` starts now.
    pub fn register(&self, name: &'static str) -> LoopGuard {
        let alive = Arc::new(AtomicBool::new(true));
        if let Ok(mut loops) = self.loops.lock() {
            loops.push((name, alive.clone()));
        }
        LoopGuard(alive)
    }

    /// The loops that are not running any more.
    pub fn down(&self) -> Vec<&'static str> {
        match self.loops.lock() {
            Ok(loops) => loops
                .iter()
                .filter(|(_, alive)| !alive.load(Ordering::SeqCst))
                .map(|(name, _)| *name)
                .collect(),
            Err(_) => vec!["health registry"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_loop_that_panics_is_reported_down() {
        let live = Arc::new(Liveness::default());
        let guard = live.register("processor");
        let _kept = live.register("sender:telegram");
        assert!(live.down().is_empty());
        let task = tokio::spawn(async move {
            let _guard = guard;
            panic!("a bug");
        });
        assert!(task.await.is_err());
        assert_eq!(live.down(), vec!["processor"]);
    }
}
