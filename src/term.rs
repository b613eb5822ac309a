//! The terminal: colour decisions, table width and logging, set up once.

use std::io::IsTerminal;

use crate::output::Style;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Colour on a stream: the flag wins; then NO_COLOR and TERM=dumb; then "is it a terminal".
pub fn use_color(choice: ColorChoice, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
            is_tty && !no_color && !dumb
        }
    }
}

/// Style for human output to stdout (`to_stdout`) or to a file.
pub fn stdout_style(choice: ColorChoice, to_stdout: bool) -> Style {
    let tty = to_stdout && std::io::stdout().is_terminal();
    Style {
        color: to_stdout && use_color(choice, tty),
        width: if tty { terminal_width() } else { None },
    }
}

fn terminal_width() -> Option<u16> {
    // comfy-table measures the terminal itself; COLUMNS lets users and tests pin it.
    if let Some(cols) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(cols);
    }
    Some(comfy_table::Table::new().width().unwrap_or(100))
}

/// tracing to stderr: RUST_LOG wins; otherwise -q = errors, default warnings, -v info, -vv debug, -vvv trace.
pub fn init_logging(verbose: u8, quiet: bool, color: ColorChoice) {
    use tracing_subscriber::EnvFilter;
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("agentid={level}")));
    let ansi = use_color(color, std::io::stderr().is_terminal());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(verbose >= 2)
        .without_time()
        .try_init();
}

/// A progress line on stderr for long work: a spinner and a message redrawn
/// from `status` (called ten times a second on its own thread). Shown only
/// when stderr is a terminal and not `--quiet`; cleared when dropped, so the
/// summary line that follows stands alone.
pub struct Progress {
    bar: indicatif::ProgressBar,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// `None` when no progress should be shown.
    pub fn start(
        quiet: bool,
        status: impl Fn(std::time::Duration) -> String + Send + 'static,
    ) -> Option<Progress> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        use std::sync::atomic::{AtomicBool, Ordering};
        let bar = indicatif::ProgressBar::with_draw_target(
            None,
            indicatif::ProgressDrawTarget::stderr_with_hz(10),
        );
        let style = indicatif::ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        bar.set_style(style);
        let started = std::time::Instant::now();
        bar.set_message(status(std::time::Duration::ZERO));
        bar.tick();
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let ticker = {
            let (bar, stop) = (bar.clone(), stop.clone());
            std::thread::Builder::new()
                .name("progress".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        // Drop unparks this thread, so the end is not delayed.
                        std::thread::park_timeout(std::time::Duration::from_millis(100));
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        bar.set_message(status(started.elapsed()));
                        bar.tick();
                    }
                })
                .ok()
        };
        Some(Progress { bar, stop, ticker })
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            t.thread().unpark();
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}

/// One progress bar per live source on stderr, counting its API calls.
/// Shown only when stderr is a terminal and not `--quiet`.
pub struct SourceBars {
    multi: indicatif::MultiProgress,
    bars: std::sync::Mutex<Vec<SourceBar>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

struct SourceBar {
    name: String,
    bar: indicatif::ProgressBar,
    calls: std::sync::Arc<std::sync::atomic::AtomicU64>,
    done: bool,
}

impl std::fmt::Debug for SourceBars {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceBars").finish_non_exhaustive()
    }
}

impl SourceBars {
    /// `None` when no progress should be shown.
    pub fn start(quiet: bool) -> Option<std::sync::Arc<SourceBars>> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bars = std::sync::Arc::new(SourceBars {
            multi: indicatif::MultiProgress::with_draw_target(
                indicatif::ProgressDrawTarget::stderr_with_hz(10),
            ),
            bars: std::sync::Mutex::new(Vec::new()),
            stop: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
        });
        let ticker = bars.clone();
        let _ = std::thread::Builder::new()
            .name("source-progress".into())
            .spawn(move || {
                while !ticker.stop.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    if let Ok(bars) = ticker.bars.lock() {
                        for b in bars.iter().filter(|b| !b.done) {
                            let n = b.calls.load(std::sync::atomic::Ordering::Relaxed);
                            b.bar.set_message(format!("{n} API calls"));
                            b.bar.tick();
                        }
                    }
                }
            });
        Some(bars)
    }

    /// Stops drawing and clears the bars.
    pub fn finish(&self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Ok(bars) = self.bars.lock() {
            for b in bars.iter() {
                b.bar.finish_and_clear();
            }
        }
        let _ = self.multi.clear();
    }
}

impl crate::inventory::live::Watch for SourceBars {
    fn started(&self, name: &str, kind: &str, calls: std::sync::Arc<std::sync::atomic::AtomicU64>) {
        let bar = self.multi.add(indicatif::ProgressBar::new_spinner());
        let style = indicatif::ProgressStyle::with_template("{spinner} {prefix}: {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_prefix(format!("{name} ({kind})"));
        bar.set_message("starting");
        if let Ok(mut bars) = self.bars.lock() {
            bars.push(SourceBar {
                name: name.to_owned(),
                bar,
                calls,
                done: false,
            });
        }
    }

    fn finished(&self, name: &str, ok: bool) {
        if let Ok(mut bars) = self.bars.lock()
            && let Some(b) = bars.iter_mut().find(|b| b.name == name && !b.done)
        {
            b.done = true;
            let n = b.calls.load(std::sync::atomic::Ordering::Relaxed);
            b.bar.finish_with_message(if ok {
                format!("done, {n} API calls")
            } else {
                format!("failed after {n} API calls")
            });
        }
    }
}
