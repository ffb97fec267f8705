//! File-system wake sources (`wake_on_path`, SPEC §5): a change of a watched path is a wake hint
//! like an event matching `wake_on`. The probe still decides; the change only says "look now".
//!
//! One watcher per process (one inotify instance on Linux, kqueue/FSEvents elsewhere, through the
//! `notify` crate), one kernel watch per directory however many waits look at it: a path is
//! watched through its parent directory and events are routed by name, so a file that does not
//! exist yet (or is deleted and renamed into place) is seen the same way. A path that is a
//! directory is watched itself: a change of any entry in it wakes. The last wait on a directory
//! to end removes its kernel watch.
//!
//! A watcher that cannot be made or a directory that cannot be watched (inotify's limits) is not
//! an error: the wait polls on its schedule as without the option, and one line on stderr says so.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use once_cell::sync::Lazy;

use crate::error::Error;

type WakeFn = Arc<dyn Fn() + Send + Sync>;

/// What one wait asked for, as watched: a directory and, unless the path is the directory itself,
/// the entry in it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    dir: PathBuf,
    /// `None`: any entry of `dir` (the path named a directory).
    entry: Option<PathBuf>,
}

impl Target {
    fn matches(&self, changed: &Path) -> bool {
        match &self.entry {
            Some(entry) => changed == entry,
            None => changed == self.dir || changed.parent() == Some(self.dir.as_path()),
        }
    }
}

struct Route {
    key: u64,
    target: Target,
    on_wake: WakeFn,
}

/// Directory → the waits looking into it. The event thread reads it; it never takes the control
/// lock, so adding a kernel watch (which waits for the event thread) cannot deadlock with it.
#[derive(Default)]
struct Routes {
    by_dir: HashMap<PathBuf, Vec<Route>>,
}

/// The process's watcher, made on first use. Held while a kernel watch is added or removed, so
/// that the routes and the kernel's watches change together.
struct Control {
    watcher: Option<RecommendedWatcher>,
    /// Why the watcher could not be made (it is not retried: the limit that refused it holds).
    broken: Option<String>,
    /// The process that made the watcher: a forked child has no event thread, so it makes its own.
    pid: u32,
}

struct Registry {
    control: Mutex<Control>,
    routes: Arc<Mutex<Routes>>,
}

static REGISTRY: Lazy<Mutex<Arc<Registry>>> = Lazy::new(|| Mutex::new(Arc::new(Registry::new())));
static NEXT_KEY: AtomicU64 = AtomicU64::new(1);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // No user code runs under these locks; recover from a poisoned one anyway.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Registry {
    fn new() -> Registry {
        Registry {
            control: Mutex::new(Control { watcher: None, broken: None, pid: std::process::id() }),
            routes: Arc::new(Mutex::new(Routes::default())),
        }
    }

    /// This process's registry (a fresh one in the child of a fork).
    fn current() -> Arc<Registry> {
        let mut slot = lock(&REGISTRY);
        if lock(&slot.control).pid != std::process::id() {
            // The parent's event thread is not in this process; its watcher is left behind.
            let orphan = std::mem::replace(&mut *slot, Arc::new(Registry::new()));
            std::mem::forget(orphan);
        }
        Arc::clone(&slot)
    }
}

/// Delivers one file-system event to the waits whose path it touches (on the watcher's thread).
fn route(routes: &Mutex<Routes>, event: notify::Result<Event>) {
    let Ok(event) = event else { return };
    // The probe reading the file is an access, not a change: waking on it would spin.
    if matches!(event.kind, EventKind::Access(_)) {
        return;
    }
    let wakes: Vec<WakeFn> = {
        let routes = lock(routes);
        let mut wakes = Vec::new();
        for changed in &event.paths {
            let dir = changed.parent().unwrap_or(changed);
            for candidate in [dir, changed.as_path()] {
                for r in routes.by_dir.get(candidate).into_iter().flatten() {
                    if r.target.matches(changed) && !wakes.iter().any(|w: &WakeFn| Arc::ptr_eq(w, &r.on_wake)) {
                        wakes.push(Arc::clone(&r.on_wake));
                    }
                }
            }
        }
        wakes
    };
    // Called outside the lock: a wake may do anything (a host's callback).
    for wake in wakes {
        wake();
    }
}

/// The absolute form of `path` (not resolving links: the kernel reports names under the path
/// watched), and how it is watched. An empty path or a missing parent directory is an error
/// text for the option.
fn target(path: &Path) -> Result<Target, String> {
    if path.as_os_str().is_empty() {
        return Err("a path must not be empty".into());
    }
    let absolute = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if absolute.is_dir() {
        return Ok(Target { dir: absolute, entry: None });
    }
    match absolute.parent() {
        Some(dir) if dir.is_dir() => Ok(Target { dir: dir.to_path_buf(), entry: Some(absolute.clone()) }),
        Some(dir) => Err(format!(
            "{}: its directory {} does not exist (a path that does not exist yet is watched through its directory)",
            path.display(),
            dir.display()
        )),
        None => Err(format!("{}: has no directory to watch", path.display())),
    }
}

/// Checks that every path can be watched: not empty, and its directory exists (SPEC §2). The
/// error names the option as `option` (the binding's spelling of `wake_on_path`).
pub fn validate_paths(paths: &[PathBuf], option: &str) -> Result<(), Error> {
    for path in paths {
        target(path).map_err(|why| Error::invalid_option(option, why))?;
    }
    Ok(())
}

/// The paths of one wait, watched while it lives; dropping it unwatches (the last wait on a
/// directory removes the kernel watch).
pub struct PathWatch {
    registry: Arc<Registry>,
    keys: Vec<(PathBuf, u64)>,
    degraded: Option<String>,
}

impl PathWatch {
    /// Watches `paths`, calling `on_wake` (from the watcher's thread) on each change of one. An
    /// invalid path is an error naming `option`; a watch the system refuses is not (see
    /// [`PathWatch::degraded`]).
    pub fn new(
        paths: &[PathBuf],
        option: &str,
        on_wake: impl Fn() + Send + Sync + 'static,
    ) -> Result<PathWatch, Error> {
        let targets = paths
            .iter()
            .map(|p| target(p).map_err(|why| Error::invalid_option(option, why)))
            .collect::<Result<Vec<_>, _>>()?;
        let registry = Registry::current();
        let on_wake: WakeFn = Arc::new(on_wake);
        let mut watch = PathWatch { registry: Arc::clone(&registry), keys: Vec::new(), degraded: None };
        let mut control = lock(&registry.control);
        for target in targets {
            let key = NEXT_KEY.fetch_add(1, Ordering::Relaxed);
            let dir = target.dir.clone();
            // Routed before the kernel watch exists, so no change after it is missed.
            let first = {
                let mut routes = lock(&registry.routes);
                let list = routes.by_dir.entry(dir.clone()).or_default();
                list.push(Route { key, target, on_wake: Arc::clone(&on_wake) });
                list.len() == 1
            };
            watch.keys.push((dir.clone(), key));
            if first && let Err(why) = add_watch(&mut control, &registry.routes, &dir) {
                watch.degraded.get_or_insert(why);
            }
        }
        drop(control);
        if let Some(why) = &watch.degraded {
            warn_once(why);
        }
        Ok(watch)
    }

    /// Why some path is not watched (the wait then polls on its schedule), if one is not.
    pub fn degraded(&self) -> Option<&str> {
        self.degraded.as_deref()
    }
}

fn add_watch(control: &mut Control, routes: &Arc<Mutex<Routes>>, dir: &Path) -> Result<(), String> {
    if let Some(why) = &control.broken {
        return Err(why.clone());
    }
    if control.watcher.is_none() {
        let routes = Arc::clone(routes);
        match notify::recommended_watcher(move |event| route(&routes, event)) {
            Ok(w) => control.watcher = Some(w),
            Err(e) => {
                let why = format!("no file-system watcher ({e})");
                control.broken = Some(why.clone());
                return Err(why);
            }
        }
    }
    let watcher = control.watcher.as_mut().expect("made above");
    watcher.watch(dir, RecursiveMode::NonRecursive).map_err(|e| format!("cannot watch {} ({e})", dir.display()))
}

/// One line per process: a wait that cannot be woken by its path still works, only slower.
fn warn_once(why: &str) {
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| {
        eprintln!("liveness: warning: wake_on_path: {why}; such waits poll on their schedule instead");
    });
}

impl Drop for PathWatch {
    fn drop(&mut self) {
        let mut control = lock(&self.registry.control);
        for (dir, key) in self.keys.drain(..) {
            let last = {
                let mut routes = lock(&self.registry.routes);
                let Some(list) = routes.by_dir.get_mut(&dir) else { continue };
                list.retain(|r| r.key != key);
                let last = list.is_empty();
                if last {
                    routes.by_dir.remove(&dir);
                }
                last
            };
            if last && let Some(watcher) = control.watcher.as_mut() {
                // The directory may be gone already (its watch with it): nothing to undo then.
                let _ = watcher.unwatch(&dir);
            }
        }
    }
}

/// How many waits of this process watch `dir` now (0: it has no kernel watch). For tests:
/// watches are shared and removed with the last wait.
pub fn waits_watching(dir: &Path) -> usize {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    lock(&Registry::current().routes).by_dir.get(&dir).map_or(0, Vec::len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_parent_is_invalid_and_names_the_option() {
        let err = validate_paths(&[PathBuf::from("/no/such/dir/file")], "wake_on_path").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("wake_on_path") && text.contains("/no/such/dir"), "{text}");
        assert!(validate_paths(&[PathBuf::new()], "wakeOnPath").unwrap_err().to_string().contains("wakeOnPath"));
    }

    #[test]
    fn a_file_is_watched_through_its_directory_and_a_directory_itself() {
        let dir = std::env::temp_dir();
        let file = target(&dir.join("liveness-not-there")).unwrap();
        assert_eq!(file.dir, std::path::absolute(&dir).unwrap());
        assert!(file.matches(&file.dir.join("liveness-not-there")));
        assert!(!file.matches(&file.dir.join("other")));
        let whole = target(&dir).unwrap();
        assert!(whole.entry.is_none() && whole.matches(&whole.dir.join("any")));
    }
}
