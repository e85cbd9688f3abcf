//! The progress display on stderr: a spinner saying what is happening while nothing can be counted (loading the
//! model, segmenting), and a bar once the total is known (input bytes, or articles), with a rounded rate and an
//! estimate of the time left. Shown only when stderr is a terminal and `--quiet` is not given.
//!
//! The state ([`ProgressState`]) is plain data rendered against a time given from outside, so it is tested on a
//! fake clock; [`Progress`] shares it with a ticker thread that redraws it ten times a second on a terminal.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Spinner frames.
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/// Time between redraws on a terminal.
const TICK: Duration = Duration::from_millis(100);
/// The rate is measured over about this much recent time, so it follows the current speed.
const RATE_WINDOW: Duration = Duration::from_secs(20);
/// No estimate of the time left before the bar has moved for this long: early rates mislead.
const ETA_AFTER: Duration = Duration::from_secs(2);
/// Cells of the bar.
const BAR_CELLS: usize = 24;

/// What the counted amount is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Input bytes, shown in kB/MB/GB.
    Bytes,
    /// Articles.
    Articles,
}

/// What the display shows, as of a time measured from its start.
#[derive(Clone, Debug)]
pub struct ProgressState {
    stage: String,
    unit: Unit,
    total: Option<u64>,
    position: u64,
    /// When the current stage started.
    stage_started: Duration,
    /// Recent (time, position) samples of the current stage, oldest first, for the rate.
    samples: Vec<(Duration, u64)>,
}

impl ProgressState {
    fn new() -> Self {
        ProgressState {
            stage: String::new(),
            unit: Unit::Articles,
            total: None,
            position: 0,
            stage_started: Duration::ZERO,
            samples: Vec::new(),
        }
    }

    /// Starts a stage: a spinner with `stage`, counting `unit` up to `total` when it is known.
    fn start(&mut self, now: Duration, stage: &str, unit: Unit, total: Option<u64>) {
        self.stage = stage.to_string();
        self.unit = unit;
        self.total = total;
        self.position = 0;
        self.stage_started = now;
        self.samples = vec![(now, 0)];
    }

    /// Renames the stage, keeping the count (e.g. from segmenting to annotating the same input).
    fn rename(&mut self, stage: &str) {
        self.stage = stage.to_string();
    }

    fn set_position(&mut self, now: Duration, position: u64) {
        self.position = self.total.map_or(position, |total| position.min(total));
        self.samples.push((now, self.position));
        // Keep one sample older than the window, so the window is always covered.
        let recent = self
            .samples
            .iter()
            .position(|(t, _)| now.saturating_sub(*t) <= RATE_WINDOW)
            .unwrap_or(self.samples.len());
        self.samples.drain(..recent.saturating_sub(1));
    }

    /// Units per second over the recent window; `None` before anything was counted.
    fn rate(&self, now: Duration) -> Option<f64> {
        let &(since, from) = self.samples.first()?;
        let seconds = now.saturating_sub(since).as_secs_f64();
        (seconds > 0.0 && self.position > from).then(|| (self.position - from) as f64 / seconds)
    }

    /// Time left at the recent rate, once the stage has run long enough to tell.
    fn eta(&self, now: Duration) -> Option<Duration> {
        let total = self.total?;
        if now.saturating_sub(self.stage_started) < ETA_AFTER {
            return None;
        }
        let rate = self.rate(now)?;
        Some(Duration::from_secs_f64(
            (total - self.position) as f64 / rate,
        ))
    }

    /// One line: spinner, stage, and with a known total a bar, percentage, count, rate and time left.
    pub fn render(&self, now: Duration) -> String {
        let elapsed = now.saturating_sub(self.stage_started);
        let frame = SPINNER[(elapsed.as_millis() / TICK.as_millis()) as usize % SPINNER.len()];
        let mut line = format!("{frame} {}", self.stage);
        match self.total {
            Some(total) => {
                let fraction = if total == 0 {
                    1.0
                } else {
                    self.position as f64 / total as f64
                };
                let filled = ((fraction * BAR_CELLS as f64) as usize).min(BAR_CELLS);
                line += &format!(
                    "  {}{}  {:>3}%  {}",
                    "█".repeat(filled),
                    "░".repeat(BAR_CELLS - filled),
                    (fraction * 100.0).floor() as u64,
                    count_of(self.position, total, self.unit),
                );
            }
            None if self.position > 0 => line += &format!("  {}", amount(self.position, self.unit)),
            None => {}
        }
        if let Some(rate) = self.rate(now) {
            line += &format!("  {}", rate_text(rate, self.unit));
        }
        match self.eta(now) {
            Some(eta) => line += &format!("  {} left", duration_text(eta)),
            None => line += &format!("  {}", duration_text(elapsed)),
        }
        line
    }
}

/// A count out of a total in the total's unit: `22.5/100 MB`, `12/48 articles`.
fn count_of(position: u64, total: u64, unit: Unit) -> String {
    match unit {
        Unit::Bytes => {
            let (divisor, name) = byte_scale(total as f64);
            format!(
                "{}/{} {name}",
                significant(position as f64 / divisor),
                significant(total as f64 / divisor)
            )
        }
        Unit::Articles => format!("{position}/{total} articles"),
    }
}

/// A count with its unit: `12.3 MB`, `1234 articles`.
fn amount(value: u64, unit: Unit) -> String {
    match unit {
        Unit::Bytes => bytes_text(value),
        Unit::Articles => format!("{value} articles"),
    }
}

/// Bytes in decimal units with three significant digits at most: `950 B`, `12.3 MB`, `1.25 GB`.
pub fn bytes_text(bytes: u64) -> String {
    bytes_text_f64(bytes as f64)
}

fn bytes_text_f64(bytes: f64) -> String {
    let (divisor, name) = byte_scale(bytes);
    format!("{} {name}", significant(bytes / divisor))
}

/// The decimal unit bytes read best in, and its size.
fn byte_scale(bytes: f64) -> (f64, &'static str) {
    let mut divisor = 1.0;
    for name in ["B", "kB", "MB", "GB"] {
        if bytes / divisor < 999.5 {
            return (divisor, name);
        }
        divisor *= 1000.0;
    }
    (divisor, "TB")
}

/// A rate rounded so it reads at a glance: `3.2 MB/s`, `42 articles/s`, `0.5 articles/s`.
fn rate_text(rate: f64, unit: Unit) -> String {
    match unit {
        Unit::Bytes => format!("{}/s", bytes_text_f64(rate)),
        Unit::Articles => format!("{} articles/s", significant(rate)),
    }
}

/// Three significant digits at most, no trailing zeros: `0.512`, `4.5`, `22.5`, `50`, `315`.
fn significant(value: f64) -> String {
    if value >= 99.5 {
        format!("{value:.0}")
    } else {
        let decimals = if value >= 9.95 {
            1
        } else if value >= 0.995 {
            2
        } else {
            3
        };
        format!("{value:.decimals$}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// A duration in at most two units: `8s`, `1m 05s`, `2h 03m`.
pub fn duration_text(duration: Duration) -> String {
    let seconds = duration.as_secs_f64().round() as u64;
    match seconds {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m {:02}s", s / 60, s % 60),
        s => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
    }
}

/// The time the display measures from its start; a fake one in tests.
pub trait Clock: Send + Sync {
    /// Time since the display started.
    fn now(&self) -> Duration;
}

/// The real clock.
struct SystemClock(Instant);

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
}

/// Shared between the handle and the ticker thread.
struct Shared {
    state: ProgressState,
    /// Where frames go; `None` when the display is hidden.
    writer: Option<Box<dyn Write + Send>>,
    /// Whether a frame is on screen (to be cleared before other output).
    drawn: bool,
    /// Set when the display is finished, to stop the ticker.
    done: bool,
}

/// The state and the writer, shared with the ticker thread; the condition variable wakes the ticker to stop.
type SharedDisplay = Arc<(Mutex<Shared>, Condvar)>;

/// The progress display; usable from worker threads. Dropping it clears the line and stops the ticker.
pub struct Progress {
    shared: SharedDisplay,
    clock: Arc<dyn Clock>,
    ticker: Mutex<Option<JoinHandle<()>>>,
}

/// Whether the display is drawn: on a terminal, unless `--quiet`.
pub fn visible(quiet: bool, stderr_is_terminal: bool) -> bool {
    !quiet && stderr_is_terminal
}

impl Progress {
    /// The display on stderr, drawn only when stderr is a terminal and not `quiet`; otherwise every call is a
    /// cheap no-op.
    pub fn stderr(quiet: bool) -> Self {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock(Instant::now()));
        if !visible(quiet, std::io::stderr().is_terminal()) {
            return Self::with_writer(None, clock);
        }
        let progress = Self::with_writer(Some(Box::new(std::io::stderr())), clock);
        let (shared, clock) = (progress.shared.clone(), progress.clock.clone());
        let ticker = std::thread::spawn(move || tick_until_done(&shared, clock.as_ref()));
        *progress.ticker.lock().unwrap_or_else(|e| e.into_inner()) = Some(ticker);
        progress
    }

    /// A display drawing to `writer` (none: hidden) on `clock`, redrawn only when [`Progress::draw`] is called.
    pub fn with_writer(writer: Option<Box<dyn Write + Send>>, clock: Arc<dyn Clock>) -> Self {
        Progress {
            shared: Arc::new((
                Mutex::new(Shared {
                    state: ProgressState::new(),
                    writer,
                    drawn: false,
                    done: false,
                }),
                Condvar::new(),
            )),
            clock,
            ticker: Mutex::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        lock(&self.shared)
    }

    /// Starts a stage (see [`ProgressState`]): a spinner while `total` is `None`, a bar once it is known.
    pub fn start(&self, stage: &str, unit: Unit, total: Option<u64>) {
        let now = self.clock.now();
        self.lock().state.start(now, stage, unit, total);
    }

    /// Renames the current stage, keeping its count.
    pub fn rename(&self, stage: &str) {
        self.lock().state.rename(stage);
    }

    /// Sets the count of the current stage.
    pub fn set_position(&self, position: u64) {
        let now = self.clock.now();
        self.lock().state.set_position(now, position);
    }

    /// Draws the current frame now (the ticker does it on a terminal).
    #[cfg(test)]
    fn draw(&self) {
        let now = self.clock.now();
        draw(&mut self.lock(), now);
    }

    /// Clears the display, runs `task` (which may print to stderr but must not use the display) and lets the
    /// display come back.
    pub fn suspend<T>(&self, task: impl FnOnce() -> T) -> T {
        let mut shared = self.lock();
        clear(&mut shared);
        task()
    }

    /// Clears the display for good and stops the ticker.
    pub fn finish(&self) {
        {
            let mut shared = self.lock();
            clear(&mut shared);
            shared.done = true;
            self.shared.1.notify_all();
        }
        let ticker = self.ticker.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(ticker) = ticker {
            // A panicked ticker has nothing left to clean up.
            let _ = ticker.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

fn lock(shared: &SharedDisplay) -> MutexGuard<'_, Shared> {
    shared.0.lock().unwrap_or_else(|e| e.into_inner())
}

/// Redraws every [`TICK`] until the display is finished.
fn tick_until_done(shared: &SharedDisplay, clock: &dyn Clock) {
    let mut guard = lock(shared);
    while !guard.done {
        draw(&mut guard, clock.now());
        guard = shared
            .1
            .wait_timeout(guard, TICK)
            .map(|(guard, _)| guard)
            .unwrap_or_else(|e| e.into_inner().0);
    }
}

/// Moves a byte-counted display through the stream of a run: each chunk of input is segmented, then its articles
/// are annotated; the bar crosses the chunk's bytes as its articles are annotated.
pub struct ChunkProgress<'a> {
    progress: &'a Progress,
    /// Bytes read before the chunk, and up to its end.
    chunk: Mutex<(u64, u64)>,
    /// Articles of the chunk to annotate, and annotated so far.
    articles: Mutex<(u64, u64)>,
}

impl<'a> ChunkProgress<'a> {
    /// Follows a run on `progress`, whose stage counts bytes.
    pub fn new(progress: &'a Progress) -> Self {
        ChunkProgress {
            progress,
            chunk: Mutex::new((0, 0)),
            articles: Mutex::new((0, 0)),
        }
    }

    /// A chunk was read, up to `bytes_read` bytes of input; it is being segmented.
    pub fn chunk_read(&self, bytes_read: u64) {
        let mut chunk = self.chunk.lock().unwrap_or_else(|e| e.into_inner());
        *chunk = (chunk.1, bytes_read);
        self.progress.set_position(chunk.0);
        self.progress.rename("segmenting");
    }

    /// The chunk holds `count` articles to annotate.
    pub fn found(&self, count: usize) {
        *self.articles.lock().unwrap_or_else(|e| e.into_inner()) = (count as u64, 0);
        self.progress.rename("annotating");
        if count == 0 {
            self.progress
                .set_position(self.chunk.lock().unwrap_or_else(|e| e.into_inner()).1);
        }
    }

    /// `count` more articles of the chunk were annotated.
    pub fn annotated(&self, count: usize) {
        let (start, end) = *self.chunk.lock().unwrap_or_else(|e| e.into_inner());
        let mut articles = self.articles.lock().unwrap_or_else(|e| e.into_inner());
        articles.1 += count as u64;
        let share = (end - start) * articles.1.min(articles.0) / articles.0.max(1);
        self.progress.set_position(start + share);
    }
}

/// Draws one frame over the previous one.
fn draw(shared: &mut Shared, now: Duration) {
    if shared.done {
        return;
    }
    let line = shared.state.render(now);
    if let Some(writer) = &mut shared.writer {
        // A failed write to stderr is not worth stopping the run for.
        let _ = write!(writer, "\r\x1b[2K{line}").and_then(|()| writer.flush());
        shared.drawn = true;
    }
}

/// Clears the frame on screen, if any.
fn clear(shared: &mut Shared) {
    if let (true, Some(writer)) = (shared.drawn, &mut shared.writer) {
        let _ = write!(writer, "\r\x1b[2K").and_then(|()| writer.flush());
        shared.drawn = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock moved by hand.
    #[derive(Default)]
    struct FakeClock(Mutex<Duration>);

    impl FakeClock {
        fn advance(&self, by: Duration) {
            *self.0.lock().unwrap() += by;
        }
    }

    impl Clock for FakeClock {
        fn now(&self) -> Duration {
            *self.0.lock().unwrap()
        }
    }

    /// A writer whose bytes the test can read afterwards, standing in for a non-terminal stderr.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn last_frame(&self) -> String {
            let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
            text.rsplit("\r\x1b[2K").next().unwrap().to_string()
        }
    }

    /// Adds to the count, as a run does.
    fn add(progress: &Progress, amount: u64) {
        let position = progress.lock().state.position;
        progress.set_position(position + amount);
    }

    fn fake() -> (Progress, Arc<FakeClock>, Captured) {
        let clock = Arc::new(FakeClock::default());
        let captured = Captured::default();
        let progress = Progress::with_writer(Some(Box::new(captured.clone())), clock.clone());
        (progress, clock, captured)
    }

    #[test]
    fn a_spinner_says_what_happens_before_anything_is_counted() {
        let (progress, clock, captured) = fake();
        progress.start("loading the model", Unit::Articles, None);
        clock.advance(Duration::from_millis(3_200));
        progress.draw();
        let frame = captured.last_frame();
        assert!(frame.contains("loading the model"), "{frame}");
        assert!(frame.ends_with("  3s"), "{frame}");
        assert!(!frame.contains('%'), "{frame}");
    }

    #[test]
    fn a_bar_with_a_known_total_gives_a_rounded_rate_and_a_sane_eta() {
        let (progress, clock, captured) = fake();
        progress.start("annotating", Unit::Bytes, Some(100_000_000));
        for _ in 0..10 {
            clock.advance(Duration::from_secs(1));
            add(&progress, 2_254_110);
        }
        progress.draw();
        let frame = captured.last_frame();
        // 22.5 MB of 100 MB in 10 s: 2.25 MB/s, 77.5 MB left take 34 s.
        assert!(frame.contains(" 22%  22.5/100 MB"), "{frame}");
        assert!(frame.contains("2.25 MB/s"), "{frame}");
        assert!(frame.ends_with("34s left"), "{frame}");
    }

    #[test]
    fn the_rate_follows_the_recent_speed() {
        let (progress, clock, captured) = fake();
        progress.start("annotating", Unit::Articles, Some(10_000));
        // A slow first minute, then ten times faster: the rate and the estimate follow the new speed.
        for _ in 0..60 {
            clock.advance(Duration::from_secs(1));
            add(&progress, 5);
        }
        for _ in 0..30 {
            clock.advance(Duration::from_secs(1));
            add(&progress, 50);
        }
        progress.draw();
        let frame = captured.last_frame();
        assert!(frame.contains("1800/10000 articles"), "{frame}");
        assert!(frame.contains(" 50 articles/s"), "{frame}");
        // 8,200 articles left at 50 a second.
        assert!(frame.ends_with("2m 44s left"), "{frame}");
    }

    #[test]
    fn no_estimate_in_the_first_seconds_and_no_rate_before_progress() {
        let (progress, clock, captured) = fake();
        progress.start("annotating", Unit::Articles, Some(48));
        clock.advance(Duration::from_millis(500));
        progress.draw();
        let frame = captured.last_frame();
        assert!(!frame.contains("/s") && !frame.contains("left"), "{frame}");
        add(&progress, 1);
        clock.advance(Duration::from_millis(500));
        progress.draw();
        let frame = captured.last_frame();
        assert!(frame.contains("1/48 articles  1 articles/s  1s"), "{frame}");
    }

    #[test]
    fn the_position_never_passes_the_total() {
        let (progress, clock, captured) = fake();
        progress.start("annotating", Unit::Articles, Some(10));
        clock.advance(Duration::from_secs(3));
        add(&progress, 25);
        progress.draw();
        let frame = captured.last_frame();
        assert!(frame.contains("100%  10/10 articles"), "{frame}");
        assert!(frame.ends_with("0s left"), "{frame}");
    }

    #[test]
    fn suspend_and_finish_clear_the_line_and_a_hidden_display_writes_nothing() {
        let (progress, _clock, captured) = fake();
        progress.start("segmenting", Unit::Bytes, Some(10));
        progress.draw();
        progress.suspend(|| ());
        assert!(captured.0.lock().unwrap().ends_with(b"\r\x1b[2K"));
        progress.finish();
        let written = captured.0.lock().unwrap().len();
        progress.draw();
        assert_eq!(captured.0.lock().unwrap().len(), written);

        let hidden = Progress::with_writer(None, Arc::new(FakeClock::default()));
        hidden.start("segmenting", Unit::Bytes, Some(10));
        add(&hidden, 5);
        hidden.draw();
        hidden.finish();
    }

    #[test]
    fn a_run_crosses_each_chunk_as_its_articles_are_annotated() {
        let (progress, clock, captured) = fake();
        progress.start("reading", Unit::Bytes, Some(2_000));
        let chunks = ChunkProgress::new(&progress);
        let frame = |at: u64| {
            clock.advance(Duration::from_millis(at));
            progress.draw();
            captured.last_frame()
        };
        chunks.chunk_read(1_200);
        assert!(
            frame(100).contains("segmenting  ░"),
            "{}",
            captured.last_frame()
        );
        chunks.found(4);
        chunks.annotated(1);
        let quarter = frame(100);
        assert!(
            quarter.contains("annotating") && quarter.contains(" 15%  0.3/2 kB"),
            "{quarter}"
        );
        chunks.annotated(3);
        assert!(
            frame(100).contains(" 60%  1.2/2 kB"),
            "{}",
            captured.last_frame()
        );
        // The last chunk's articles were all held by a resumed output: the bar still reaches its end.
        chunks.chunk_read(2_000);
        chunks.found(0);
        assert!(
            frame(100).contains("100%  2/2 kB"),
            "{}",
            captured.last_frame()
        );
    }

    #[test]
    fn drawn_only_on_a_terminal_without_quiet() {
        assert!(visible(false, true));
        assert!(!visible(true, true));
        assert!(!visible(false, false));
        assert!(!visible(true, false));
    }

    #[test]
    fn numbers_are_rounded_for_reading() {
        assert_eq!(significant(22.5411), "22.5");
        assert_eq!(significant(0.0801), "0.08");
        assert_eq!(significant(315.7), "316");
        assert_eq!(significant(4.0), "4");
        assert_eq!(bytes_text(950), "950 B");
        assert_eq!(bytes_text(1_254_000_000), "1.25 GB");
        assert_eq!(duration_text(Duration::from_secs(65)), "1m 05s");
        assert_eq!(duration_text(Duration::from_secs(7_380)), "2h 03m");
    }
}
