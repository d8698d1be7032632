//! Related articles («لا يفوتك»), computed at build time from shared tags, the section and shared
//! distinctive words.
//!
//! Words come from each article's title and summary through `arabic::normalize::terms`, so
//! «الإسرائيلية» and «اسرائيل», or «المصرى» and «المصري», meet. Each shared tag or word counts by
//! how rare it is (inverse document frequency), the same section adds a little, and recency breaks
//! ties, so the result is deterministic.
//!
//! It must stay linear in the number of articles: candidates come from an inverted index, and a
//! term shared by many articles contributes only its [`WINDOW`] postings nearest in time to the
//! article (postings are in date order), so a tag like «مصر» on half the archive costs no more
//! than a rare one. Articles are scored in parallel.
//!
//! A build that publishes one article updates the lists of the last build instead ([`update`]):
//! only the articles whose windows hold or held a changed article, or share a term whose weight
//! changed, are scored again. For that, a term's weight depends on the number of articles and on
//! how many have the term only through their [`bucket`]s, which move by a fifth at a time: one
//! more article changes the weight of few terms, and those only of the rarest.

mod words;

use std::path::PathBuf;

use foldhash::{HashMap, HashMapExt};

use rayon::prelude::*;

use crate::arabic::slug::SlugStyle;
use crate::content::{ArticleId, Library};
use crate::taxonomy::Taxonomy;
use words::WordId;

/// Postings of one term looked at per article, centred on the article's own date.
const WINDOW: usize = 64;
/// A shared tag weighs this many shared words.
const TAG_WEIGHT: f64 = 3.0;
/// Being in the same section adds this much, but never makes an article related on its own.
const SECTION_BONUS: f64 = 0.5;
/// The least score that counts as related.
const MIN_SCORE: f64 = 1.0;

/// For each article, up to `count` related articles, best first.
pub fn related(
    library: &Library,
    taxonomy: &Taxonomy,
    summaries: &[&str],
    count: usize,
) -> Vec<Vec<ArticleId>> {
    let scorer = Scorer::new(library, taxonomy, summaries, count);
    scorer.score_all(|_| None)
}

/// An article of the last build, as its related lists were made: its place in that build's
/// order (newest first) and its file's hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    /// Its id in the last build.
    pub place: ArticleId,
    /// The hash of its file then.
    pub hash: u64,
}

/// An article of the last build that changed or went away, as it was: what places it among the
/// articles (its date and path) and what its related words and tags were.
#[derive(Debug, Clone)]
pub struct Was {
    /// Its path under `content/`.
    pub source: PathBuf,
    /// Its date.
    pub at: jiff::Timestamp,
    /// Its title, whose words count.
    pub title: String,
    /// Its summary, whose words count.
    pub summary: String,
    /// Its tags as written.
    pub tags: Vec<String>,
}

/// The related lists of the last build and what they were made from.
#[derive(Debug, Default, Clone)]
pub struct Before {
    /// Its lists, by article id in its order.
    pub lists: Vec<Vec<ArticleId>>,
    /// Where each article of this build was in it, by this build's id (`None` for an article
    /// whose file it did not have).
    pub placed: Vec<Option<Placed>>,
    /// Its articles that changed or went away, by place; the lists are computed again when one
    /// is missing.
    pub was: HashMap<ArticleId, Was>,
}

/// The related lists of `library` as [`related`] makes them, from those of the last build
/// (`before`) where the changes since cannot have changed them; `None` when they are better
/// computed again (many changes, a change `before` cannot tell, another bucket of articles).
/// `slug_style` groups tags.
pub fn update(
    library: &Library,
    taxonomy: &Taxonomy,
    summaries: &[&str],
    count: usize,
    before: &Before,
    slug_style: SlugStyle,
) -> Option<Vec<Vec<ArticleId>>> {
    let changes = Changes::between(library, before);
    let n = library.articles.len();
    let known = changes.gone.iter().all(|place| before.was.contains_key(place));
    let few = changes.len() <= n / 20;
    if !known || !few || bucket(n) != bucket(before.lists.len()) {
        return None;
    }
    let remapped = |id: ArticleId| -> Option<Vec<ArticleId>> {
        let list = before.lists.get(changes.old_of[id]?)?;
        list.iter().map(|&place| changes.new_of.get(place).copied().flatten()).collect()
    };
    if changes.len() == 0
        && let Some(lists) = (0..n).map(remapped).collect::<Option<Vec<_>>>()
    {
        return Some(lists);
    }
    let scorer = Scorer::new(library, taxonomy, summaries, count);
    let affected = scorer.affected(library, &changes, before, slug_style);
    Some(scorer.score_all(|id| if affected[id] { None } else { remapped(id) }))
}

/// Which articles changed between the last build and this one.
struct Changes {
    /// The last build's id of each article whose file is the same, by id.
    old_of: Vec<Option<ArticleId>>,
    /// This build's id of each of the last build's articles whose file is the same, by place.
    new_of: Vec<Option<ArticleId>>,
    /// This build's articles that are new or whose file changed.
    new: Vec<ArticleId>,
    /// The last build's articles that went away or whose file changed.
    gone: Vec<ArticleId>,
}

impl Changes {
    fn between(library: &Library, before: &Before) -> Changes {
        let mut old_of = vec![None; library.articles.len()];
        let mut new_of = vec![None; before.lists.len()];
        let mut new = Vec::new();
        for (id, article) in library.articles.iter().enumerate() {
            match before.placed.get(id).copied().flatten() {
                Some(placed)
                    if placed.hash == article.source_hash && placed.place < new_of.len() =>
                {
                    old_of[id] = Some(placed.place);
                    new_of[placed.place] = Some(id);
                }
                _ => new.push(id),
            }
        }
        let gone = (0..new_of.len()).filter(|&place| new_of[place].is_none()).collect();
        Changes { old_of, new_of, new, gone }
    }

    fn len(&self) -> usize {
        self.new.len() + self.gone.len()
    }
}

/// Each term's articles (postings), in article order (newest first), and for each article its
/// terms and tags with where it is in their postings, so that the window around it is found
/// without searching lists as long as the archive.
struct Index {
    postings: Vec<Vec<Posting>>,
    places: Vec<Places>,
    /// Each related word's term, by [`WordId`]; `Posting::MAX` for a word no article has.
    terms: Vec<Posting>,
}

/// An article id in the postings and places of the [`Index`]: four bytes, not eight, since they
/// are most of its memory (a few dozen of each per article). Four billion articles would not fit
/// in memory in the first place.
type Posting = u32;

/// An article id, term id or place as the [`Index`] keeps it.
fn posting(n: usize) -> Posting {
    Posting::try_from(n).unwrap_or(Posting::MAX)
}

/// An id in postings, as an index.
trait AsId: Copy {
    fn id(self) -> usize;
}

impl AsId for usize {
    fn id(self) -> usize {
        self
    }
}

impl AsId for u32 {
    fn id(self) -> usize {
        self as usize
    }
}

impl Index {
    /// The index of the terms of every article's title and summary, and of its tags. Built
    /// sequentially, so it is deterministic: terms are numbered as met, each article's in the
    /// order of their spellings.
    fn new(library: &Library, taxonomy: &Taxonomy, summaries: &[&str]) -> Index {
        let mut article_words: Vec<Vec<WordId>> = library
            .articles
            .par_iter()
            .zip(summaries.par_iter())
            .map(|(article, summary)| words::word_ids(&article.front_matter.title, summary))
            .collect();
        let ranks = words::ranks();
        article_words
            .par_iter_mut()
            .for_each(|ids| ids.sort_unstable_by_key(|&id| ranks[id as usize]));
        let mut index = Index {
            postings: Vec::new(),
            places: Vec::new(),
            terms: vec![Posting::MAX; ranks.len()],
        };
        index.places.reserve_exact(library.articles.len());
        let mut tag_seen = vec![0; taxonomy.tags.len()];
        for (id, ids) in article_words.into_iter().enumerate() {
            let in_terms = ids.into_iter().map(|word| index.add(word, id)).collect();
            // Tags' postings are in article order too, each article once.
            let in_tags = taxonomy.article_tags[id]
                .iter()
                .map(|&tag| {
                    tag_seen[tag] += 1;
                    (posting(tag), posting(tag_seen[tag] - 1))
                })
                .collect();
            index.places.push(Places { terms: in_terms, tags: in_tags });
        }
        index
    }

    /// Adds article `id` to the postings of `word`: the word's term and the article's place
    /// there.
    fn add(&mut self, word: WordId, id: ArticleId) -> (Posting, Posting) {
        let slot = &mut self.terms[word as usize];
        if *slot == Posting::MAX {
            *slot = posting(self.postings.len());
            self.postings.push(Vec::new());
        }
        let term = *slot as usize;
        self.postings[term].push(posting(id));
        (posting(term), posting(self.postings[term].len() - 1))
    }

    /// The term of `word`, if an article has it.
    fn term_of(&self, word: WordId) -> Option<usize> {
        let term = *self.terms.get(word as usize)?;
        (term != Posting::MAX).then_some(term as usize)
    }
}

/// What scoring the related articles of one article needs, shared by all.
struct Scorer<'a> {
    index: Index,
    taxonomy: &'a Taxonomy,
    sections: Vec<usize>,
    /// Each article's language, side by side like `sections`.
    langs: Vec<crate::config::LangId>,
    count: usize,
}

/// `x` rounded down to a power of 2^(1/4), the steps in which the number of articles and of
/// articles with a term weigh: one article more or less changes few of them.
fn bucket(x: usize) -> f64 {
    if x == 0 {
        return 0.0;
    }
    (((x as f64).log2() * 4.0).floor() / 4.0).exp2()
}

/// How much a term held by `df` of `n` articles weighs: how rare it is (inverse document
/// frequency), by [`bucket`]s.
fn idf(df: usize, n: usize) -> f64 {
    ((bucket(n) + 1.0) / (bucket(df) + 0.5)).ln().max(0.0)
}

/// What a shared word held by `df` of `n` articles adds: nothing unless two articles hold it.
fn word_weight(df: usize, n: usize) -> f64 {
    if df >= 2 { idf(df, n) } else { 0.0 }
}

/// What a shared tag of `df` of `n` articles adds.
fn tag_weight(df: usize, n: usize) -> f64 {
    TAG_WEIGHT * idf(df, n)
}

impl<'a> Scorer<'a> {
    fn new(library: &Library, taxonomy: &'a Taxonomy, summaries: &[&str], count: usize) -> Self {
        Scorer {
            index: Index::new(library, taxonomy, summaries),
            taxonomy,
            // Each article's section, side by side: every candidate's is looked up, and an
            // `Article` is 600 bytes, so reading it there missed the cache once per candidate.
            sections: library.articles.iter().map(|article| article.section).collect(),
            langs: library.articles.iter().map(|article| article.lang).collect(),
            count,
        }
    }

    /// The related articles of every article: `kept` when it gives them, else scored.
    fn score_all(
        &self,
        kept: impl Fn(ArticleId) -> Option<Vec<ArticleId>> + Sync,
    ) -> Vec<Vec<ArticleId>> {
        let n = self.sections.len();
        (0..n)
            .into_par_iter()
            // One score per article and one candidate list per worker, made when a worker first
            // scores; only the scores of the candidates are reset after each article.
            .map_init(
                || None,
                |work: &mut Option<Work>, id| {
                    kept(id).unwrap_or_else(|| {
                        let work = work.get_or_insert_with(|| Work {
                            scores: vec![0.0f64; n],
                            candidates: Vec::with_capacity(4096),
                            ranked: Vec::with_capacity(self.count + 1),
                        });
                        self.related(id, work)
                    })
                },
            )
            .collect()
    }

    /// The articles whose related lists `changes` can have changed: the changed ones, those
    /// whose windows hold or held one, and those with a term or tag whose weight changed.
    fn affected(
        &self,
        library: &Library,
        changes: &Changes,
        before: &Before,
        slug_style: SlugStyle,
    ) -> Vec<bool> {
        let n = self.sections.len();
        let mut affected = vec![false; n];
        // Each change moves the others in the postings by one at most.
        let reach = WINDOW + 1 + changes.len();
        // How many more articles have each word and tag than before.
        let mut words: HashMap<usize, isize> = HashMap::new();
        let mut tags: HashMap<usize, isize> = HashMap::new();
        for &id in &changes.new {
            let places = &self.index.places[id];
            for &(term, at) in &places.terms {
                let term = term.id();
                mark_near(&mut affected, &self.index.postings[term], at.id(), reach);
                *words.entry(term).or_default() += 1;
            }
            for &(tag, at) in &places.tags {
                let tag = tag.id();
                mark_near(&mut affected, &self.taxonomy.tags[tag].articles, at.id(), reach);
                *tags.entry(tag).or_default() += 1;
            }
        }
        let tag_ids: HashMap<&str, usize> = self
            .taxonomy
            .tags
            .iter()
            .enumerate()
            .map(|(id, tag)| (tag.slug.as_str(), id))
            .collect();
        for was in changes.gone.iter().filter_map(|place| before.was.get(place)) {
            // Where it was among the articles: newest first, the path breaking ties.
            let key = (std::cmp::Reverse(was.at), was.source.as_path());
            for word in words::word_ids(&was.title, &was.summary) {
                if let Some(term) = self.index.term_of(word) {
                    let postings = &self.index.postings[term];
                    mark_near(&mut affected, postings, place_of(library, postings, key), reach);
                    *words.entry(term).or_default() -= 1;
                }
            }
            for name in &was.tags {
                let slug = crate::taxonomy::tag_slug(name, slug_style);
                if let Some(&tag) = tag_ids.get(slug.as_str()) {
                    let postings = &self.taxonomy.tags[tag].articles;
                    mark_near(&mut affected, postings, place_of(library, postings, key), reach);
                    *tags.entry(tag).or_default() -= 1;
                }
            }
        }
        let counts = (before.lists.len(), n);
        for (&term, &more) in &words {
            let postings = &self.index.postings[term];
            mark_if_reweighed(&mut affected, postings, word_weight, more, counts);
        }
        for (&tag, &more) in &tags {
            let postings = &self.taxonomy.tags[tag].articles;
            mark_if_reweighed(&mut affected, postings, tag_weight, more, counts);
        }
        for &id in &changes.new {
            affected[id] = true;
        }
        affected
    }
}

/// Marks the articles within `reach` of place `at` in `postings`.
fn mark_near<P: AsId>(affected: &mut [bool], postings: &[P], at: usize, reach: usize) {
    let end = (at + reach + 1).min(postings.len());
    for &id in &postings[at.saturating_sub(reach)..end] {
        affected[id.id()] = true;
    }
}

/// Where an article of `key` (its date, newest first, and its path, which breaks ties) is or
/// was among `postings`.
fn place_of<P: AsId>(
    library: &Library,
    postings: &[P],
    key: (std::cmp::Reverse<jiff::Timestamp>, &std::path::Path),
) -> usize {
    postings.partition_point(|&id| {
        let article = &library.articles[id.id()];
        (std::cmp::Reverse(article.date.timestamp()), article.source.as_path()) < key
    })
}

/// Marks every article of `postings` if the weight of their term or tag, which `more` articles
/// more have now, changed between the last build's number of articles and this one's
/// (`counts`).
fn mark_if_reweighed<P: AsId>(
    affected: &mut [bool],
    postings: &[P],
    weight: fn(usize, usize) -> f64,
    more: isize,
    (old_n, n): (usize, usize),
) {
    let old = postings.len().checked_add_signed(-more);
    if old.is_none_or(|old| weight(old, old_n) != weight(postings.len(), n)) {
        for &id in postings {
            affected[id.id()] = true;
        }
    }
}

/// A worker's buffers: a score per article, the candidates of the article being scored, and
/// its best so far.
struct Work {
    /// A score of 0.0 means "not a candidate yet": every weight added is positive (the inverse
    /// document frequency of a term held by at least two articles, of n + 1 articles at most).
    scores: Vec<f64>,
    candidates: Vec<ArticleId>,
    ranked: Vec<(ArticleId, f64)>,
}

impl Scorer<'_> {
    /// The related articles of `id`, best first; leaves `work`'s scores all zero.
    fn related(&self, id: ArticleId, work: &mut Work) -> Vec<ArticleId> {
        let Work { scores, candidates, ranked } = work;
        candidates.clear();
        ranked.clear();
        let n = self.sections.len();
        let places = &self.index.places[id];
        for &(tag, at) in &places.tags {
            let postings = &self.taxonomy.tags[tag.id()].articles;
            let weight = tag_weight(postings.len(), n);
            add_window(scores, candidates, postings, at.id(), weight);
        }
        for &(term, at) in &places.terms {
            let postings = &self.index.postings[term.id()];
            if postings.len() >= 2 {
                let weight = word_weight(postings.len(), n);
                add_window(scores, candidates, postings, at.id(), weight);
            }
        }
        let section = self.sections[id];
        for &other in candidates.iter() {
            let score = std::mem::take(&mut scores[other]);
            // An article is related to articles of its own language only.
            if other == id || self.langs[other] != self.langs[id] {
                continue;
            }
            let same_section = self.sections[other] == section;
            let score = score + if same_section { SECTION_BONUS } else { 0.0 };
            if score >= MIN_SCORE {
                keep_best(ranked, (other, score), self.count);
            }
        }
        ranked.iter().map(|&(other, _)| other).collect()
    }
}

/// Adds `weight` to the score of each article in the window of `postings` around place `at`,
/// and those not yet scored to `candidates`.
fn add_window<P: AsId>(
    scores: &mut [f64],
    candidates: &mut Vec<ArticleId>,
    postings: &[P],
    at: usize,
    weight: f64,
) {
    for &other in window(postings, at) {
        let other = other.id();
        if scores[other] == 0.0 {
            candidates.push(other);
        }
        scores[other] += weight;
    }
}

/// Best score first; then the newer article (smaller id, as articles are newest first). A total
/// order, so the best `count` kept while going through the candidates are the first `count` of
/// all of them sorted.
fn best_first(a: &(ArticleId, f64), b: &(ArticleId, f64)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Adds `candidate` to `ranked`, which holds the best so far, sorted, at most `count`: most
/// candidates are turned away by its last one.
fn keep_best(ranked: &mut Vec<(ArticleId, f64)>, candidate: (ArticleId, f64), count: usize) {
    let full = ranked.len() == count;
    if full && ranked.last().is_none_or(|last| best_first(&candidate, last).is_ge()) {
        return;
    }
    if full {
        ranked.pop();
    }
    let at = ranked.partition_point(|kept| best_first(kept, &candidate).is_lt());
    ranked.insert(at, candidate);
}

/// An article's terms and tags, each with the article's place in its postings.
struct Places {
    terms: Box<[(Posting, Posting)]>,
    tags: Box<[(Posting, Posting)]>,
}

/// The postings nearest to the one at `at` in the (sorted) list: up to [`WINDOW`] of them.
fn window<P>(postings: &[P], at: usize) -> &[P] {
    if postings.len() <= WINDOW {
        return postings;
    }
    let start = at.saturating_sub(WINDOW / 2).min(postings.len() - WINDOW);
    &postings[start..start + WINDOW]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_remembered_per_raw_word_are_the_words_of_the_whole_text() {
        let title = "الرئيسُ المصريّ يستقبل وزيرَ الخارجية الإسرائيلي في «القاهرة»";
        let summary = "ناقشت الوزارةُ، صباحَ الأربعاء، خطةـــ رقمنة المخطوطات (2026) مع Lotus-Pay.";
        let mut whole = crate::arabic::normalize::terms(title);
        whole.extend(crate::arabic::normalize::terms(summary));
        whole.sort();
        whole.dedup();
        assert!(whole.len() > 10, "{whole:?}");
        for _ in 0..2 {
            let mut memoised = words::spelled(&words::word_ids(title, summary));
            memoised.sort();
            assert_eq!(memoised, whole);
        }
    }

    #[track_caller]
    fn check(postings: &[ArticleId], id: ArticleId, expect: (ArticleId, ArticleId)) {
        let at = postings.iter().position(|&p| p == id).unwrap();
        let w = window(postings, at);
        assert_eq!(w.len(), WINDOW.min(postings.len()));
        assert_eq!((w[0], w[w.len() - 1]), expect);
    }

    #[test]
    fn window_is_centred_and_clamped() {
        let postings: Vec<ArticleId> = (0..1000).collect();
        check(&postings, 500, (468, 531));
        check(&postings, 0, (0, 63));
        check(&postings, 999, (936, 999));
        check(&postings[..10], 5, (0, 9));
        // Postings of every third article: the window is counted in postings, not ids.
        let sparse: Vec<ArticleId> = (0..3000).step_by(3).collect();
        check(&sparse, 1500, (1404, 1593));
    }

    /// A generated newsroom for the update tests: `n` articles over six months in three
    /// sections, titles and summaries drawn from a few dozen Arabic words, tags from twelve.
    mod newsroom {
        use super::super::*;
        use crate::content::FrontMatter;
        use crate::content::{Article, Section};

        const WORDS: [&str; 36] = [
            "الحكومة",
            "الموازنة",
            "البرلمان",
            "الانتخابات",
            "الاقتصاد",
            "التضخم",
            "الدولار",
            "البورصة",
            "الصادرات",
            "القمح",
            "الكهرباء",
            "المياه",
            "النيل",
            "السياحة",
            "الآثار",
            "المنتخب",
            "الدوري",
            "الأهلي",
            "الزمالك",
            "المدارس",
            "الجامعات",
            "الامتحانات",
            "المستشفيات",
            "الأدوية",
            "الطرق",
            "القطارات",
            "الموانئ",
            "الغاز",
            "النفط",
            "الذهب",
            "الأمطار",
            "الحرارة",
            "المعرض",
            "الكتاب",
            "السينما",
            "المسرح",
        ];
        const TAGS: [&str; 12] = [
            "مصر",
            "اقتصاد",
            "رياضة",
            "تعليم",
            "صحة",
            "نقل",
            "طاقة",
            "طقس",
            "ثقافة",
            "برلمان",
            "زراعة",
            "سياحة",
        ];

        /// One article: its path, date (seconds), words and tags from `k`.
        pub(super) struct Made {
            pub(super) source: String,
            pub(super) at: i64,
            pub(super) title: String,
            pub(super) summary: String,
            pub(super) tags: Vec<String>,
            pub(super) section: usize,
        }

        pub(super) fn made(k: u64, at: i64, rng: &mut fastrand::Rng) -> Made {
            let mut pick = |count: usize| -> Vec<&str> {
                (0..count).map(|_| WORDS[rng.usize(..WORDS.len())]).collect()
            };
            let title = pick(4).join(" ");
            let summary = pick(12).join(" ");
            let tags = (0..rng.usize(1..4)).map(|_| TAGS[rng.usize(..TAGS.len())].to_string());
            Made {
                source: format!("s{}/a{k}.md", k % 3),
                at,
                title,
                summary,
                tags: tags.collect(),
                section: (k % 3) as usize,
            }
        }

        fn article(made: &Made) -> Article {
            let front_matter = FrontMatter {
                title: made.title.clone(),
                tags: made.tags.clone(),
                ..FrontMatter::default()
            };
            let hash = crate::fingerprint::of(&(&made.title, &made.summary, &made.tags, made.at));
            let at = jiff::Timestamp::from_second(made.at).unwrap_or_default();
            Article {
                source: made.source.clone().into(),
                section: made.section,
                front_matter,
                body: String::new(),
                body_line: 1,
                body_at: 0,
                body_on_disk: false,
                source_hash: hash,
                stamp: None,
                parsed_cleanly: true,
                date: at.to_zoned_datetime(jiff::tz::TimeZone::UTC),
                updated: None,
                assets: Vec::new(),
                base_slug: None,
                slug: String::new(),
                path: String::new(),
                lang: 0,
                translations: Vec::new(),
            }
        }

        /// The library of `made`, newest first as the build sorts it, and its summaries.
        pub(super) fn library(made: &[Made]) -> (Library, Vec<String>) {
            let mut order: Vec<&Made> = made.iter().collect();
            order.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.source.cmp(&b.source)));
            let mut sections: Vec<Section> = (0..3)
                .map(|k| Section {
                    name: format!("s{k}"),
                    title: format!("s{k}"),
                    description: String::new(),
                    weight: 0,
                    path: format!("s{k}/"),
                    articles: Vec::new(),
                    lang: 0,
                })
                .collect();
            for (id, made) in order.iter().enumerate() {
                sections[made.section].articles.push(id);
            }
            let summaries = order.iter().map(|m| m.summary.clone()).collect();
            let articles = order.into_iter().map(article).collect();
            (Library { sections, articles, home: None }, summaries)
        }

        /// The last build as the next sees it: its related lists and what they were made from,
        /// and where each of its articles was, by path.
        pub(super) struct Last {
            pub(super) before: Before,
            placed: HashMap<PathBuf, Placed>,
        }

        /// The related lists of `made`, and what the next build is given of them.
        pub(super) fn built(made: &[Made]) -> Last {
            let (library, summaries) = library(made);
            let summaries: Vec<&str> = summaries.iter().map(String::as_str).collect();
            let (taxonomy, _) =
                crate::taxonomy::build(&library, &Default::default(), SlugStyle::default(), &[]);
            let lists = related(&library, &taxonomy, &summaries, 6);
            let placed = library
                .articles
                .iter()
                .enumerate()
                .map(|(place, a)| (a.source.clone(), Placed { place, hash: a.source_hash }))
                .collect();
            let mut was = HashMap::new();
            for (place, article) in library.articles.iter().enumerate() {
                let made = made.iter().find(|m| m.source == article.source.to_string_lossy());
                let Some(made) = made else { continue };
                was.insert(
                    place,
                    Was {
                        source: article.source.clone(),
                        at: article.date.timestamp(),
                        title: made.title.clone(),
                        summary: made.summary.clone(),
                        tags: made.tags.clone(),
                    },
                );
            }
            Last { before: Before { lists, placed: Vec::new(), was }, placed }
        }

        /// The related lists of `made` updated from `last`, and computed whole.
        pub(super) fn updated(
            made: &[Made],
            last: &Last,
        ) -> (Option<Vec<Vec<ArticleId>>>, Vec<Vec<ArticleId>>) {
            let (library, summaries) = library(made);
            let placed = library.articles.iter().map(|a| last.placed.get(&a.source).copied());
            let before = &Before { placed: placed.collect(), ..last.before.clone() };
            let summaries: Vec<&str> = summaries.iter().map(String::as_str).collect();
            let (taxonomy, _) =
                crate::taxonomy::build(&library, &Default::default(), SlugStyle::default(), &[]);
            let update = update(&library, &taxonomy, &summaries, 6, before, SlugStyle::default());
            (update, related(&library, &taxonomy, &summaries, 6))
        }
    }

    #[test]
    fn lists_updated_after_each_kind_of_change_equal_lists_computed_whole() {
        use newsroom::{built, made, updated};
        let seed = fastrand::u64(..);
        let mut rng = fastrand::Rng::with_seed(seed);
        let start = 1_780_000_000;
        let mut site: Vec<newsroom::Made> =
            (0..400).map(|k| made(k, start + (k as i64) * 40_000, &mut rng)).collect();
        let newest = start + 400 * 40_000;
        // Each change, made to the site as the last change left it.
        type Change<'a> = (&'a str, &'a dyn Fn(&mut Vec<newsroom::Made>, &mut fastrand::Rng));
        let changes: [Change<'_>; 5] = [
            ("a new article, the newest", &|site, rng| site.push(made(1000, newest, rng))),
            ("an article's words and tags", &|site, rng| {
                let edited = made(2000, site[200].at, rng);
                site[200].title = edited.title;
                site[200].summary = edited.summary;
                site[200].tags = edited.tags;
            }),
            ("an article moved to another day", &|site, _| site[120].at -= 30 * 86_400),
            ("an article deleted", &|site, _| {
                site.remove(310);
            }),
            ("two new articles and one deleted", &|site, rng| {
                site.push(made(3000, newest + 60, rng));
                site.push(made(3001, start + 10, rng));
                site.remove(5);
            }),
        ];
        for (change, make) in changes {
            let last = built(&site);
            make(&mut site, &mut rng);
            let (update, whole) = updated(&site, &last);
            let update = update.unwrap_or_else(|| panic!("{change}: updated, not computed again"));
            assert!(update == whole, "{change} (seed {seed}): the updated lists differ");
            assert!(whole.iter().filter(|list| !list.is_empty()).count() > 300, "{change}");
        }
    }

    #[test]
    fn the_lists_are_computed_again_when_the_last_build_cannot_tell_a_change() {
        use newsroom::{built, made, updated};
        let mut rng = fastrand::Rng::with_seed(7);
        let mut site: Vec<newsroom::Made> =
            (0..100).map(|k| made(k, 1_780_000_000 + k as i64 * 9_000, &mut rng)).collect();
        let mut last = built(&site);
        site.remove(40);
        last.before.was.clear();
        assert!(updated(&site, &last).0.is_none());
    }
}
