//! Generates the benchmark corpus: a complete midad site of N fictional Arabic news articles.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --articles 10000 --out /dev/shm/corpus [--seed 42]
//! ```
//!
//! The site has `config.toml`, a copy of `themes/akhbar/`, 8 sections, 40 authors, a most-read
//! list, 20 abstract SVG lead images and N articles with 8–14-word headlines and 400–900-word
//! bodies (subheadings, lists, quotes, a table in 1 article of 10 and a code block in 1 of 50,
//! Latin names, acronyms and numbers inside Arabic sentences), in YAML and TOML front matter,
//! dated over the 3 years before 2026-11-29. It is the input of `bench/run.sh`, so it is built
//! for three things: it is deterministic (each article draws from its own SplitMix64 stream, so
//! the output depends on the seed alone, not on threads or timing), realistic enough to exercise
//! every output of the theme, and fast (articles are composed by pushing phrase-bank slices into
//! one reused buffer per thread).
//!
//! The sentences come from the phrase banks in `bank.rs`, written for this generator.

mod bank;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use bank::{G, SECTIONS, Section};

/// The command line.
#[derive(Parser)]
#[command(about = "Generate a midad benchmark site of fictional Arabic news articles")]
struct Args {
    /// Number of articles.
    #[arg(long, default_value_t = 1000)]
    articles: usize,
    /// The site folder to create (it must not exist, or be empty).
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator: the same seed and count give the same site.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Delete the folder first if it exists.
    #[arg(long)]
    force: bool,
}

/// Articles are dated in the 3 years before this instant.
const END: &str = "2026-11-29T00:00:00+02:00";
const SPAN_SECONDS: i64 = 3 * 365 * 86_400;
const N_IMAGES: usize = 20;
const N_AUTHORS: usize = 40;

/// An error message for the user, naming the file concerned.
type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_corpus: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result {
    let started = Instant::now();
    prepare_out(&args.out, args.force)?;

    let tz = jiff::tz::TimeZone::get("Africa/Cairo").map_err(|e| e.to_string())?;
    let end: jiff::Timestamp = END.parse().map_err(|e: jiff::Error| e.to_string())?;
    let corpus = Corpus::new(args.seed, end, tz);

    write_site_files(&args.out, &corpus, args.articles)?;

    let n_threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let bytes = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n_threads)
            .map(|thread_idx| {
                let corpus = &corpus;
                let out = &args.out;
                scope.spawn(move || {
                    write_articles(corpus, out, args.articles, thread_idx, n_threads)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("invariant: article threads do not panic"))
            .sum::<Result<u64>>()
    })?;

    println!(
        "gen_corpus: {} articles, {:.1} MB of Markdown in `{}` ({:.2} s, seed {})",
        args.articles,
        bytes as f64 / 1e6,
        args.out.display(),
        started.elapsed().as_secs_f64(),
        args.seed
    );
    Ok(())
}

/// Creates `out`, refusing to write into a non-empty folder unless `force`.
fn prepare_out(out: &Path, force: bool) -> Result {
    if out.exists() {
        let empty = fs::read_dir(out).map_err(|e| io_error(out, e))?.next().is_none();
        if !empty {
            if !force {
                return Err(format!(
                    "`{}` is not empty: remove it or pass `--force` to replace it",
                    out.display()
                ));
            }
            fs::remove_dir_all(out).map_err(|e| io_error(out, e))?;
        }
    }
    create_dir(out)
}

fn io_error(path: &Path, error: std::io::Error) -> String {
    format!("`{}`: {error}", path.display())
}

fn create_dir(path: &Path) -> Result {
    fs::create_dir_all(path).map_err(|e| io_error(path, e))
}

fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result {
    fs::write(path, contents).map_err(|e| io_error(path, e))
}

/// SplitMix64: tiny, fast and good enough for text; one stream per article keeps the output
/// independent of how articles are spread over threads.
struct Rng(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The generator of stream `stream` (an article, an image…) under `seed`; streams start at
    /// hashed, not consecutive, states so they do not overlap.
    fn new(seed: u64, stream: u64) -> Rng {
        Rng(mix(seed.wrapping_mul(GOLDEN) ^ mix(stream.wrapping_add(1))))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// A number in `0..n` (`n` below 2^32).
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo + 1) as usize) as u64
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// What every article draws from: tags, authors, dates.
struct Corpus {
    seed: u64,
    end: jiff::Timestamp,
    tz: jiff::tz::TimeZone,
    /// About 300 tags, shuffled by the seed so the popular ones change with it.
    tags: Vec<String>,
    /// Keys of `data/authors.toml`.
    author_keys: Vec<String>,
    /// Cumulative shares of the sections, for a weighted pick.
    section_bounds: Vec<u32>,
}

impl Corpus {
    fn new(seed: u64, end: jiff::Timestamp, tz: jiff::tz::TimeZone) -> Corpus {
        let mut tags: Vec<String> = bank::TAG_HEADS
            .iter()
            .flat_map(|head| bank::TAG_TAILS.iter().map(move |tail| format!("{head} {tail}")))
            .chain(bank::TAGS_PLAIN.iter().map(|tag| (*tag).to_owned()))
            .collect();
        let mut rng = Rng::new(seed, u64::MAX);
        for i in (1..tags.len()).rev() {
            tags.swap(i, rng.below(i + 1));
        }
        let author_keys = authors().map(|author| author.key).collect();
        let section_bounds = SECTIONS
            .iter()
            .scan(0, |total, section| {
                *total += section.share;
                Some(*total)
            })
            .collect();
        Corpus { seed, end, tz, tags, author_keys, section_bounds }
    }

    /// The section of article `idx`, drawn from its own stream so that `most_read.toml` can name
    /// existing files without generating them first.
    fn section_of(&self, idx: usize) -> usize {
        let total = self.section_bounds.last().copied().unwrap_or(1);
        let mut rng = Rng::new(self.seed, ((idx as u64) << 1) | 1);
        let draw = rng.below(total as usize) as u32;
        self.section_bounds.iter().position(|&bound| draw < bound).unwrap_or(0)
    }
}

/// The content path of article `idx` (relative to `content/`).
fn article_path(section: &Section, idx: usize) -> String {
    format!("{}/a{idx:06}.md", section.key)
}

/// Writes everything but the articles: config, theme, sections, data, images.
fn write_site_files(out: &Path, corpus: &Corpus, n_articles: usize) -> Result {
    write(
        &out.join("config.toml"),
        "# A benchmark site made by `cargo run --release --example gen_corpus`: every article, \
         person and company in it is fictional.\n\
         title = \"مداد: موقع قياس الأداء\"\n\
         description = \"موقع إخباري مولد آليًا لقياس أداء مداد، وكل أخباره وأسمائه خيالية\"\n\
         base_url = \"https://bench.midad.example/\"\n\
         language = \"ar\"\n\
         timezone = \"Africa/Cairo\"\n\
         theme = \"akhbar\"\n\
         per_page = 20\n",
    )?;

    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes").join("akhbar");
    copy_dir(&theme, &out.join("themes").join("akhbar"))?;

    for (weight, section) in SECTIONS.iter().enumerate() {
        let dir = out.join("content").join(section.key);
        create_dir(&dir)?;
        write(
            &dir.join("_index.md"),
            format!(
                "+++\ntitle = \"{}\"\ndescription = \"{}\"\nweight = {}\n+++\n",
                section.title,
                section.description,
                weight + 1
            ),
        )?;
    }

    let data = out.join("data");
    create_dir(&data)?;
    let mut authors_toml = String::from("# The 40 fictional authors of the benchmark site.\n");
    for author in authors() {
        authors_toml.push_str(&format!(
            "\n[{}]\nname = \"{}\"\ngender = \"{}\"\nbio = \"{}\"\n",
            author.key, author.name, author.gender, author.bio
        ));
    }
    write(&data.join("authors.toml"), authors_toml)?;

    let mut most_read = String::from("# Rank order, most read first.\narticles = [\n");
    if n_articles > 0 {
        for rank in 0..10.min(n_articles) {
            let idx = (rank * 7919 + 13) % n_articles;
            let section = &SECTIONS[corpus.section_of(idx)];
            most_read.push_str(&format!("  \"{}\",\n", article_path(section, idx)));
        }
    }
    most_read.push_str("]\n");
    write(&data.join("most_read.toml"), most_read)?;

    let images = out.join("static").join("images").join("corpus");
    create_dir(&images)?;
    for image_idx in 0..N_IMAGES {
        write(&images.join(format!("{}.svg", image_idx + 1)), svg(corpus.seed, image_idx))?;
    }
    Ok(())
}

/// Copies a folder recursively.
fn copy_dir(from: &Path, to: &Path) -> Result {
    create_dir(to)?;
    for entry in fs::read_dir(from).map_err(|e| io_error(from, e))? {
        let entry = entry.map_err(|e| io_error(from, e))?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(|e| io_error(&entry.path(), e))?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).map_err(|e| io_error(&target, e))?;
        }
    }
    Ok(())
}

/// An entry of `data/authors.toml`.
struct Author {
    key: String,
    name: String,
    gender: &'static str,
    bio: String,
}

/// The 40 authors: 20 men and 20 women, each the editor of a section's beat.
fn authors() -> impl Iterator<Item = Author> {
    (0..N_AUTHORS).map(|idx| {
        let woman = idx % 2 == 1;
        let (first, first_latin) = if woman { bank::WOMEN[idx / 2] } else { bank::MEN[idx / 2] };
        let (family, family_latin) = bank::FAMILY[(idx * 7) % bank::FAMILY.len()];
        let beat = SECTIONS[idx % SECTIONS.len()].beat;
        let year = 2008 + (idx * 5) % 17;
        let bio = if woman {
            format!("محررة {beat}، انضمت إلى فريق الموقع عام {year}.")
        } else {
            format!("محرر {beat}، انضم إلى فريق الموقع عام {year}.")
        };
        Author {
            key: format!("{first_latin}-{family_latin}"),
            name: format!("{first} {family}"),
            gender: if woman { "female" } else { "male" },
            bio,
        }
    })
}

/// A small abstract lead image (no text): a coloured background and a few shapes.
fn svg(seed: u64, image_idx: usize) -> String {
    let mut rng = Rng::new(seed ^ 0x5356_4700, image_idx as u64);
    let (background, _) = bank::COLOURS[image_idx % bank::COLOURS.len()];
    let (colour, _) = bank::COLOURS[(image_idx * 3 + 5) % bank::COLOURS.len()];
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1200 675\" width=\"1200\" \
         height=\"675\"><rect width=\"1200\" height=\"675\" fill=\"{background}\"/>"
    );
    for _ in 0..4 {
        let (x, y) = (rng.range(80, 1120), rng.range(60, 615));
        let size = rng.range(60, 220);
        let opacity = rng.range(5, 9);
        let shape = match image_shape(image_idx) {
            0 => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"{size}\""),
            1 => format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{size}\"",
                x.saturating_sub(size),
                y.saturating_sub(size / 2),
                size * 2
            ),
            2 => format!(
                "<polygon points=\"{x},{} {},{} {},{}\"",
                y.saturating_sub(size),
                x + size,
                y + size / 2,
                x.saturating_sub(size),
                y + size / 2
            ),
            _ => format!(
                "<line x1=\"{}\" y1=\"675\" x2=\"{}\" y2=\"0\" stroke=\"{colour}\" \
                 stroke-width=\"{}\"",
                x.saturating_sub(300),
                x + 100,
                size / 3
            ),
        };
        svg.push_str(&shape);
        svg.push_str(&format!(" fill=\"{colour}\" opacity=\"0.{opacity}\"/>"));
    }
    svg.push_str("</svg>\n");
    svg
}

/// Which shape image `image_idx` draws; with the background this makes the 20 images distinct.
fn image_shape(image_idx: usize) -> usize {
    (image_idx + image_idx / bank::COLOURS.len()) % bank::SHAPES.len()
}

/// The text alternative of image `image_idx`, matching what [`svg`] draws.
fn push_image_alt(out: &mut String, image_idx: usize) {
    let (_, background) = bank::COLOURS[image_idx % bank::COLOURS.len()];
    let (_, colour) = bank::COLOURS[(image_idx * 3 + 5) % bank::COLOURS.len()];
    out.push_str("رسم تجريدي: ");
    out.push_str(bank::SHAPES[image_shape(image_idx)]);
    out.push(' ');
    out.push_str(colour);
    out.push_str(" على خلفية ");
    out.push_str(background);
}

/// Writes articles `thread_idx`, `thread_idx + n_threads`, …; returns the bytes written.
fn write_articles(
    corpus: &Corpus,
    out: &Path,
    n_articles: usize,
    thread_idx: usize,
    n_threads: usize,
) -> Result<u64> {
    let content = out.join("content");
    let mut text = Text::default();
    let mut bytes = 0;
    for idx in (thread_idx..n_articles).step_by(n_threads) {
        let section = &SECTIONS[corpus.section_of(idx)];
        text.article(corpus, section, idx);
        write(&content.join(article_path(section, idx)), &text.file)?;
        bytes += text.file.len() as u64;
    }
    Ok(bytes)
}

/// The buffers one thread reuses for every article.
#[derive(Default)]
struct Text {
    file: String,
    title: String,
    line: String,
}

/// Front matter syntax.
#[derive(Clone, Copy, PartialEq)]
enum Fence {
    Yaml,
    Toml,
}

impl Text {
    /// Composes article `idx` into `self.file`.
    fn article(&mut self, corpus: &Corpus, section: &'static Section, idx: usize) {
        let mut rng = Rng::new(corpus.seed, (idx as u64) << 1);
        let fence = if rng.one_in(2) { Fence::Yaml } else { Fence::Toml };
        let file = &mut self.file;
        file.clear();
        file.push_str(if fence == Fence::Yaml { "---\n" } else { "+++\n" });

        headline(&mut rng, section, &mut self.title);
        push_key(file, fence, "title");
        push_quoted(file, &self.title);

        let date = corpus.end.as_second() - 1 - rng.below(SPAN_SECONDS as usize) as i64;
        let date = date - date % 60;
        push_key(file, fence, "date");
        push_date(file, corpus, date);
        if rng.one_in(5) {
            let updated = date + rng.range(1, 12) as i64 * 3_600;
            if updated < corpus.end.as_second() {
                push_key(file, fence, "updated");
                push_date(file, corpus, updated);
            }
        }

        let first = rng.below(corpus.author_keys.len());
        if rng.one_in(5) {
            let second =
                (first + 1 + rng.below(corpus.author_keys.len() - 1)) % corpus.author_keys.len();
            push_key(file, fence, "authors");
            push_list(file, [&corpus.author_keys[first], &corpus.author_keys[second]]);
        } else {
            push_key(file, fence, "author");
            push_quoted(file, &corpus.author_keys[first]);
        }

        let mut tags = [0usize; 5];
        let n_tags = rng.range(2, 5) as usize;
        for tag_idx in 0..n_tags {
            // Squaring a uniform draw makes a few tags popular and most rare, as on real sites.
            let draw = loop {
                let u = rng.below(1 << 16) as u64;
                let draw = ((u * u * corpus.tags.len() as u64) >> 32) as usize;
                if !tags[..tag_idx].contains(&draw) {
                    break draw;
                }
            };
            tags[tag_idx] = draw;
        }
        push_key(file, fence, "tags");
        push_list(file, tags[..n_tags].iter().map(|&tag| &corpus.tags[tag]));

        if rng.one_in(2) {
            self.line.clear();
            action(&mut rng, section, &mut self.line, Opening::Lede);
            push_key(file, fence, "summary");
            push_quoted(file, &self.line);
        }

        let image_idx = idx % N_IMAGES;
        push_key(file, fence, "image");
        file.push_str("\"/images/corpus/");
        push_int(file, image_idx as u64 + 1);
        file.push_str(".svg\"\n");
        self.line.clear();
        self.line.push_str(rng.pick(bank::CAPTION_LEADS));
        self.line.push(' ');
        self.line.push_str(rng.pick(bank::PLACES));
        push_key(file, fence, "image_caption");
        push_quoted(file, &self.line);
        self.line.clear();
        push_image_alt(&mut self.line, image_idx);
        push_key(file, fence, "image_alt");
        push_quoted(file, &self.line);
        if rng.one_in(3) {
            push_key(file, fence, "image_credit");
            push_quoted(file, "رسم: فريق مداد");
        }
        if rng.one_in(200) {
            push_key(file, fence, "featured");
            file.push_str("true\n");
        }
        if rng.one_in(500) {
            push_key(file, fence, "breaking");
            file.push_str("true\n");
        }
        file.push_str(if fence == Fence::Yaml { "---\n\n" } else { "+++\n\n" });

        let year = jiff::Timestamp::from_second(date)
            .map(|ts| ts.to_zoned_datetime(corpus.tz.clone()).year())
            .unwrap_or(2026);
        body(&mut rng, section, file, year);
    }
}

fn push_key(out: &mut String, fence: Fence, key: &str) {
    out.push_str(key);
    out.push_str(if fence == Fence::Yaml { ": " } else { " = " });
}

/// A double-quoted string, valid in YAML and TOML alike, and the end of the line.
fn push_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str("\"\n");
}

/// A flow list of quoted strings, valid in YAML and TOML alike, and the end of the line.
fn push_list<'a>(out: &mut String, items: impl IntoIterator<Item = &'a String>) {
    out.push('[');
    for (item_idx, item) in items.into_iter().enumerate() {
        if item_idx > 0 {
            out.push_str(", ");
        }
        out.push('"');
        out.push_str(item);
        out.push('"');
    }
    out.push_str("]\n");
}

/// An RFC 3339 date with the Cairo offset of that day (+02:00, or +03:00 in summer time).
fn push_date(out: &mut String, corpus: &Corpus, second: i64) {
    let Ok(ts) = jiff::Timestamp::from_second(second) else {
        out.push_str(END);
        out.push('\n');
        return;
    };
    let zoned = ts.to_zoned_datetime(corpus.tz.clone());
    push_padded(out, zoned.year() as u64, 4);
    out.push('-');
    push_padded(out, zoned.month() as u64, 2);
    out.push('-');
    push_padded(out, zoned.day() as u64, 2);
    out.push('T');
    push_padded(out, zoned.hour() as u64, 2);
    out.push(':');
    push_padded(out, zoned.minute() as u64, 2);
    out.push_str(":00");
    let offset = zoned.offset().seconds();
    out.push(if offset < 0 { '-' } else { '+' });
    push_padded(out, u64::from(offset.unsigned_abs() / 3_600), 2);
    out.push(':');
    push_padded(out, u64::from(offset.unsigned_abs() % 3_600 / 60), 2);
    out.push('\n');
}

fn push_int(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        out.push(char::from(digit));
    }
}

fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut pad = 1;
    for _ in 1..width {
        pad *= 10;
        if n < pad {
            out.push('0');
        }
    }
    push_int(out, n);
}

/// A percentage such as `12.4` (without the sign).
fn push_pct(out: &mut String, rng: &mut Rng) {
    push_int(out, rng.range(1, 35));
    out.push('.');
    push_int(out, rng.range(1, 9));
}

/// `template` with each `#` replaced by a number: a percentage before `%`, else 11 to 99.
fn push_filled(out: &mut String, rng: &mut Rng, template: &str) {
    for (piece_idx, piece) in template.split('#').enumerate() {
        if piece_idx > 0 {
            if piece.starts_with('%') {
                push_pct(out, rng);
            } else {
                push_int(out, rng.range(11, 99));
            }
        }
        out.push_str(piece);
    }
}

fn gendered<'a>(g: G, (masculine, feminine): (&'a str, &'a str)) -> &'a str {
    match g {
        G::M => masculine,
        G::F => feminine,
    }
}

fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Who acts in a sentence.
struct Subject {
    text: &'static str,
    acronym: Option<&'static str>,
    g: G,
}

impl Subject {
    fn pick(rng: &mut Rng, section: &Section) -> Subject {
        if rng.one_in(10) {
            let (text, acronym, g) = rng.pick(bank::ORGS);
            return Subject { text, acronym: Some(acronym), g };
        }
        let (text, g) = rng.pick(section.subjects);
        Subject { text, acronym: None, g }
    }

    fn push(&self, out: &mut String) {
        out.push_str(self.text);
        if let Some(acronym) = self.acronym {
            out.push_str(" (");
            out.push_str(acronym);
            out.push(')');
        }
    }
}

fn object(rng: &mut Rng, section: &Section) -> &'static str {
    if rng.one_in(5) { rng.pick(bank::SHARED_OBJECTS) } else { rng.pick(section.objects) }
}

fn metric(rng: &mut Rng, section: &Section) -> (&'static str, G) {
    if rng.one_in(3) { rng.pick(bank::SHARED_METRICS) } else { rng.pick(section.metrics) }
}

/// An Arabic name of gender `g`.
fn push_person(out: &mut String, rng: &mut Rng, g: G) {
    let (first, _) = match g {
        G::M => rng.pick(bank::MEN),
        G::F => rng.pick(bank::WOMEN),
    };
    out.push_str(first);
    out.push(' ');
    out.push_str(rng.pick(bank::FAMILY).0);
}

fn pick_gender(rng: &mut Rng) -> G {
    if rng.one_in(2) { G::M } else { G::F }
}

/// A headline of 8 to 14 words: subject, present verb, object and a distinguishing clause.
fn headline(rng: &mut Rng, section: &Section, out: &mut String) {
    for _attempt in 0..16 {
        out.clear();
        match rng.below(24) {
            0 | 1 => {
                out.push_str(rng.pick(bank::COMPANIES));
                out.push(' ');
                out.push_str(rng.pick(bank::VERBS_PRESENT).1);
                out.push(' ');
                out.push_str(object(rng, section));
            }
            2 => {
                let (_, acronym, g) = rng.pick(bank::ORGS);
                out.push_str(acronym);
                out.push(' ');
                out.push_str(gendered(g, rng.pick(bank::VERBS_PRESENT)));
                out.push(' ');
                out.push_str(object(rng, section));
            }
            3 => {
                push_int(out, rng.range(3, 10));
                out.push_str(" قرارات جديدة بشأن ");
                out.push_str(object(rng, section));
            }
            4 => {
                push_int(out, rng.range(3, 10));
                out.push_str(" أسباب وراء تأخر ");
                out.push_str(object(rng, section));
            }
            5 => {
                push_pct(out, rng);
                out.push_str("% زيادة في ");
                out.push_str(metric(rng, section).0);
            }
            6 => {
                push_int(out, rng.range(11, 99));
                out.push_str(" مليار جنيه لتمويل ");
                out.push_str(object(rng, section));
            }
            _ => {
                let (subject, g) = rng.pick(section.subjects);
                out.push_str(subject);
                out.push(' ');
                out.push_str(gendered(g, rng.pick(bank::VERBS_PRESENT)));
                out.push(' ');
                out.push_str(object(rng, section));
            }
        }
        out.push(' ');
        clause(rng, out);
        let mut n_words = count_words(out);
        if n_words <= 12 {
            let before = out.len();
            out.push(' ');
            clause(rng, out);
            n_words = count_words(out);
            if n_words > 14 {
                out.truncate(before);
                n_words = count_words(out);
            }
        }
        if (8..=14).contains(&n_words) {
            return;
        }
    }
}

/// A clause that sets a headline apart: a place, a date, a sum.
fn clause(rng: &mut Rng, out: &mut String) {
    match rng.below(13) {
        0..=2 => out.push_str(rng.pick(bank::PLACES)),
        3 => {
            out.push_str("بحلول عام ");
            push_int(out, rng.range(2027, 2035));
        }
        4 => {
            out.push_str("خلال ");
            push_int(out, rng.range(3, 10));
            out.push_str(" أشهر");
        }
        5 => {
            out.push_str("بتكلفة ");
            push_int(out, rng.range(11, 999));
            out.push(' ');
            out.push_str(rng.pick(bank::MONEY));
        }
        6 => {
            out.push_str("للمرة الأولى منذ ");
            push_int(out, rng.range(2005, 2023));
        }
        7 => out.push_str(if rng.one_in(2) {
            "قبل نهاية العام"
        } else {
            "وسط ترقب واسع"
        }),
        8 => {
            out.push_str("بمشاركة ");
            push_int(out, rng.range(11, 60));
            out.push_str(" دولة");
        }
        9 => {
            out.push_str("بعد مفاوضات استمرت ");
            push_int(out, rng.range(3, 10));
            out.push_str(" أسابيع");
        }
        10 => {
            out.push_str("لدعم ");
            push_int(out, rng.range(11, 999));
            out.push_str(" ألف أسرة");
        }
        _ => {
            out.push_str("في ");
            out.push_str(rng.pick(bank::MONTHS));
            out.push_str(" المقبل");
        }
    }
}

/// How a sentence starts: the lede of an article, or a sentence that follows others.
#[derive(Clone, Copy, PartialEq)]
enum Opening {
    Lede,
    Follow,
}

/// «وأعلنت الحكومة، صباح اليوم، خطة … في القاهرة، بهدف ….»
fn action(rng: &mut Rng, section: &Section, out: &mut String, opening: Opening) {
    let subject = Subject::pick(rng, section);
    if opening == Opening::Follow {
        out.push_str(rng.pick(bank::OPENERS));
    }
    // Verb, subject, object: a preposition or verbal noun of the verb («كشفت … عن») goes after
    // the subject.
    let verb = gendered(subject.g, rng.pick(bank::VERBS_PAST));
    let (verb, verb_rest) = verb.split_once(' ').unwrap_or((verb, ""));
    out.push_str(verb);
    out.push(' ');
    subject.push(out);
    if opening == Opening::Lede || rng.one_in(3) {
        out.push_str("، ");
        out.push_str(rng.pick(bank::TIMES));
        out.push('،');
    }
    if !verb_rest.is_empty() {
        out.push(' ');
        out.push_str(verb_rest);
    }
    out.push(' ');
    out.push_str(object(rng, section));
    if opening == Opening::Lede || rng.one_in(2) {
        out.push(' ');
        out.push_str(rng.pick(bank::PLACES));
    }
    if rng.one_in(2) {
        out.push_str("، ");
        out.push_str(rng.pick(bank::PURPOSES));
    }
    out.push('.');
}

/// What an article has said already, so that it does not repeat itself: a bit per entry of the
/// banks whose sentences would stand out if repeated (all have fewer than 64 entries).
#[derive(Default)]
struct Said {
    quotes: u64,
    claims: u64,
    forecasts: u64,
    events: u64,
    context: bool,
}

impl Rng {
    /// An entry of `items` not yet marked in `said`, then marked; when all were said, any.
    fn pick_fresh<T: Copy>(&mut self, items: &[T], said: &mut u64) -> T {
        debug_assert!(items.len() <= 64);
        let mut idx = self.below(items.len());
        for _ in 0..items.len() {
            if *said & (1 << idx) == 0 {
                break;
            }
            idx = (idx + 1) % items.len();
        }
        *said |= 1 << idx;
        items[idx]
    }
}

/// One sentence of a paragraph, of a kind drawn by weight.
fn sentence(rng: &mut Rng, section: &Section, out: &mut String, said: &mut Said) {
    let mut kind = rng.below(100);
    if (88..=92).contains(&kind) {
        if said.context {
            kind = 0;
        }
        said.context = true;
    }
    match kind {
        0..=29 => action(rng, section, out, Opening::Follow),
        30..=43 => {
            // An Arabic name with a role: «وقال أحمد سالم، الخبير الاقتصادي، إن «…».»
            let g = pick_gender(rng);
            let (masculine, feminine, conj) = rng.pick(bank::SAY);
            out.push('و');
            out.push_str(gendered(g, (masculine, feminine)));
            out.push(' ');
            push_person(out, rng, g);
            out.push_str("، ");
            out.push_str(gendered(g, rng.pick(bank::ROLES)));
            out.push_str("، ");
            out.push_str(conj);
            out.push_str(" «");
            out.push_str(rng.pick_fresh(bank::QUOTES, &mut said.quotes));
            out.push_str("».");
        }
        44..=48 => {
            let (name, g) = rng.pick(bank::LATIN_PEOPLE);
            let (masculine, feminine, conj) = rng.pick(bank::SAY);
            out.push('و');
            out.push_str(gendered(g, (masculine, feminine)));
            out.push(' ');
            out.push_str(name);
            out.push_str("، ");
            out.push_str(gendered(g, rng.pick(bank::LATIN_ROLES)));
            out.push_str(" في شركة ");
            out.push_str(rng.pick(bank::COMPANIES));
            out.push_str("، ");
            out.push_str(conj);
            out.push_str(" «");
            out.push_str(rng.pick_fresh(bank::QUOTES, &mut said.quotes));
            out.push_str("».");
        }
        49..=60 => {
            let (name, g) = metric(rng, section);
            out.push_str(rng.pick(bank::OPENERS));
            out.push_str(gendered(g, rng.pick(bank::CHANGE)));
            out.push(' ');
            out.push_str(name);
            out.push_str(" بنسبة ");
            push_pct(out, rng);
            out.push_str("% ");
            out.push_str(rng.pick(bank::PERIODS));
            out.push_str("، مقارنة بنحو ");
            push_pct(out, rng);
            out.push_str("% ");
            out.push_str(rng.pick(bank::PERIODS_BEFORE));
            out.push('.');
        }
        61..=65 => {
            let (name, acronym, g) = rng.pick(bank::ORGS);
            out.push_str(rng.pick(bank::OPENERS));
            out.push_str(gendered(g, ("توقع", "توقعت")));
            out.push(' ');
            out.push_str(name);
            out.push_str(" (");
            out.push_str(acronym);
            out.push_str(") في تقرير حديث أن ");
            let forecast = rng.pick_fresh(bank::FORECASTS, &mut said.forecasts);
            push_filled(out, rng, forecast);
            out.push('.');
        }
        66..=73 => {
            let (subject, g) = rng.pick(section.subjects);
            let (masculine, feminine, conj) = rng.pick(bank::SAY);
            out.push('و');
            out.push_str(gendered(g, (masculine, feminine)));
            out.push(' ');
            out.push_str(subject);
            out.push(' ');
            out.push_str(conj);
            out.push(' ');
            out.push_str(rng.pick_fresh(bank::CLAIMS, &mut said.claims));
            out.push('.');
        }
        74..=81 => {
            let subject = Subject::pick(rng, section);
            out.push_str(gendered(subject.g, ("وكان", "وكانت")));
            out.push(' ');
            subject.push(out);
            out.push_str(" قد ");
            out.push_str(gendered(subject.g, rng.pick(bank::VERBS_PAST)));
            out.push(' ');
            out.push_str(object(rng, section));
            out.push(' ');
            out.push_str(rng.pick(bank::PAST_WHENS));
            out.push('.');
        }
        82..=87 => {
            out.push_str("ومن المقرر أن ");
            out.push_str(rng.pick_fresh(bank::EVENTS, &mut said.events));
            out.push(' ');
            if rng.one_in(2) {
                out.push_str(rng.pick(bank::WHENS));
            } else {
                out.push_str("في ");
                out.push_str(rng.pick(bank::MONTHS));
                out.push_str(" المقبل");
            }
            out.push('.');
        }
        88..=92 => {
            out.push_str("ويأتي ذلك في وقت ");
            out.push_str(rng.pick(bank::CONTEXTS));
            out.push('.');
        }
        _ => {
            let subject = Subject::pick(rng, section);
            out.push_str(rng.pick(bank::OPENERS));
            out.push_str(gendered(subject.g, ("خصص", "خصصت")));
            out.push(' ');
            subject.push(out);
            out.push_str(" نحو ");
            push_int(out, rng.range(11, 999));
            out.push(' ');
            out.push_str(rng.pick(bank::MONEY));
            out.push_str(" ل");
            out.push_str(rng.pick(bank::MASDARS));
            out.push(' ');
            out.push_str(rng.pick(bank::TARGETS));
            if rng.one_in(2) {
                out.push(' ');
                out.push_str(rng.pick(bank::PLACES));
            }
            out.push('.');
        }
    }
}

/// A paragraph of `n` sentences after an optional first one already in `out`; returns the
/// words added.
fn paragraph(
    rng: &mut Rng,
    section: &Section,
    out: &mut String,
    said: &mut Said,
    n: usize,
) -> usize {
    let start = out.len();
    for sentence_idx in 0..n {
        if sentence_idx > 0 {
            out.push(' ');
        }
        sentence(rng, section, out, said);
    }
    out.push_str("\n\n");
    count_words(&out[start..])
}

/// The Markdown body: a lede, then paragraphs with subheadings, a list, a quote and sometimes
/// a table or a code block, until 400 to 900 words.
fn body(rng: &mut Rng, section: &Section, out: &mut String, year: i16) {
    let target = rng.range(405, 855) as usize;
    let mut want_table = rng.one_in(10);
    let mut want_code = rng.one_in(50);
    let mut want_list = !rng.one_in(4);
    let mut want_quote = rng.one_in(2);
    let mut headings: [&str; 12] = [""; 12];
    let mut n_headings = 0;
    let mut said = Said::default();

    let start = out.len();
    action(rng, section, out, Opening::Lede);
    out.push(' ');
    let mut n_words = count_words(&out[start..]);
    let n_sentences = rng.range(1, 2) as usize;
    n_words += paragraph(rng, section, out, &mut said, n_sentences);

    let mut since_heading = 1;
    while n_words < target {
        if since_heading >= 2 && n_headings < headings.len() && rng.one_in(2) {
            let heading = loop {
                let heading = if rng.one_in(3) {
                    rng.pick(section.headings)
                } else {
                    rng.pick(bank::HEADINGS)
                };
                if !headings[..n_headings].contains(&heading) {
                    break heading;
                }
            };
            headings[n_headings] = heading;
            n_headings += 1;
            out.push_str("## ");
            out.push_str(heading);
            out.push_str("\n\n");
            n_words += count_words(heading);
            since_heading = 0;
            continue;
        }
        since_heading += 1;
        let halfway = n_words > target / 2;
        if want_table && halfway {
            want_table = false;
            table(rng, section, out, year);
        } else if want_code && halfway {
            want_code = false;
            code(rng, out);
        } else if want_list && halfway {
            want_list = false;
            n_words += list(rng, out);
        } else if want_quote && halfway {
            want_quote = false;
            let start = out.len();
            let g = pick_gender(rng);
            out.push_str("> «");
            out.push_str(rng.pick_fresh(bank::QUOTES, &mut said.quotes));
            out.push_str("»\n> — ");
            push_person(out, rng, g);
            out.push_str("، ");
            out.push_str(gendered(g, rng.pick(bank::ROLES)));
            out.push_str("\n\n");
            n_words += count_words(&out[start..]) - 3;
        } else {
            // Short of the target, one sentence more keeps the body under 900 words.
            let n_sentences = if target - n_words < 60 { 1 } else { rng.range(2, 4) as usize };
            n_words += paragraph(rng, section, out, &mut said, n_sentences);
        }
    }
}

/// A bullet list with its introduction; returns its words.
fn list(rng: &mut Rng, out: &mut String) -> usize {
    let start = out.len();
    out.push_str(rng.pick(bank::LIST_INTROS));
    out.push_str("\n\n");
    let mut n_markers = 0;
    for _ in 0..rng.range(3, 6) {
        out.push_str("- ");
        n_markers += 1;
        if rng.one_in(6) {
            let (name, acronym, _) = rng.pick(bank::ORGS);
            out.push_str("التعاون مع ");
            out.push_str(name);
            out.push_str(" (");
            out.push_str(acronym);
            out.push_str(") في ");
        }
        out.push_str(rng.pick(bank::MASDARS));
        out.push(' ');
        out.push_str(rng.pick(bank::TARGETS));
        let tail = rng.pick(bank::ITEM_TAILS);
        push_filled(out, rng, tail);
        out.push('\n');
    }
    out.push('\n');
    count_words(&out[start..]) - n_markers
}

/// A Markdown table of a section's metrics over two years.
fn table(rng: &mut Rng, section: &Section, out: &mut String, year: i16) {
    out.push_str(rng.pick(bank::TABLE_INTROS));
    out.push_str("\n\n| المؤشر | ");
    push_int(out, (year - 1) as u64);
    out.push_str(" | ");
    push_int(out, year as u64);
    out.push_str(" | التغير |\n|---|---:|---:|---:|\n");
    let first = rng.below(section.metrics.len());
    let n_rows = rng.range(2, section.metrics.len() as u64) as usize;
    for row in 0..n_rows {
        out.push_str("| ");
        out.push_str(section.metrics[(first + row) % section.metrics.len()].0);
        out.push_str(" | ");
        push_pct(out, rng);
        out.push_str(" | ");
        push_pct(out, rng);
        out.push_str(" | ");
        out.push(if rng.one_in(2) { '+' } else { '-' });
        push_pct(out, rng);
        out.push_str("% |\n");
    }
    out.push_str("| مؤشر PMI | ");
    push_int(out, rng.range(42, 58));
    out.push_str(" | ");
    push_int(out, rng.range(42, 58));
    out.push_str(" | — |\n\n");
}

/// Code samples; `#` is replaced by a number.
const CODE: &[&str] = &[
    "```python\nimport pandas as pd\n\ndf = pd.read_csv(\"survey_#.csv\")\nsummary = df.groupby(\"governorate\")[\"value\"].mean().round(2)\nprint(summary.sort_values(ascending=False).head(#))\n```\n\n",
    "```json\n{\n  \"indicator\": \"inflation\",\n  \"period\": \"2026-Q3\",\n  \"value\": #.#,\n  \"unit\": \"percent\",\n  \"source\": \"UNDP\"\n}\n```\n\n",
    "```bash\ncurl -s \"https://api.example.org/v1/indicators?year=2026&limit=#\" \\\n  | jq '.items[] | {name, value}'\n```\n\n",
    "```sql\nSELECT section, COUNT(*) AS articles\nFROM stories\nWHERE published_at >= '2026-01-01'\nGROUP BY section\nORDER BY articles DESC\nLIMIT #;\n```\n\n",
    "```javascript\nconst rates = [#, #, #];\nconst average = rates.reduce((a, b) => a + b, 0) / rates.length;\nconsole.log(`average: ${average.toFixed(2)}`);\n```\n\n",
];

/// A code block with its introduction.
fn code(rng: &mut Rng, out: &mut String) {
    out.push_str(rng.pick(bank::CODE_INTROS));
    out.push_str("\n\n");
    let sample = rng.pick(CODE);
    push_filled(out, rng, sample);
}
