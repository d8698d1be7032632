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

use foldhash::{HashMap, HashMapExt};

use rayon::prelude::*;

use crate::arabic::normalize;
use crate::content::{ArticleId, Library};
use crate::taxonomy::Taxonomy;

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
    let n = library.articles.len();
    let scorer = Scorer {
        index: Index::new(library, taxonomy, summaries),
        taxonomy,
        // Each article's section, side by side: every candidate's is looked up, and an
        // `Article` is 600 bytes, so reading it there missed the cache once per candidate.
        sections: library.articles.iter().map(|article| article.section).collect(),
        count,
    };
    (0..n)
        .into_par_iter()
        // One score per article and one candidate list per worker; only the scores of the
        // candidates are reset after each article.
        .map_init(
            || Work {
                scores: vec![0.0f64; n],
                candidates: Vec::with_capacity(4096),
                ranked: Vec::with_capacity(count + 1),
            },
            |work, id| scorer.related(id, work),
        )
        .collect()
}

/// Each term's articles (postings), in article order (newest first), and for each article its
/// terms and tags with where it is in their postings, so that the window around it is found
/// without searching lists as long as the archive.
struct Index {
    postings: Vec<Vec<ArticleId>>,
    places: Vec<Places>,
}

impl Index {
    /// The index of the terms of every article's title and summary, and of its tags. Built
    /// sequentially, so it is deterministic.
    fn new(library: &Library, taxonomy: &Taxonomy, summaries: &[&str]) -> Index {
        let terms: Vec<Vec<String>> = library
            .articles
            .par_iter()
            .zip(summaries.par_iter())
            .map(|(article, summary)| {
                let mut terms = normalize::terms(&article.front_matter.title);
                terms.extend(normalize::terms(summary));
                terms.sort();
                terms.dedup();
                terms
            })
            .collect();
        let mut term_ids: HashMap<&str, usize> = HashMap::new();
        let mut postings: Vec<Vec<ArticleId>> = Vec::new();
        let mut tag_seen = vec![0; taxonomy.tags.len()];
        let mut places: Vec<Places> = Vec::with_capacity(terms.len());
        for (id, article_terms) in terms.iter().enumerate() {
            let in_terms = article_terms
                .iter()
                .map(|term| {
                    let term = *term_ids.entry(term.as_str()).or_insert_with(|| {
                        postings.push(Vec::new());
                        postings.len() - 1
                    });
                    postings[term].push(id);
                    (term, postings[term].len() - 1)
                })
                .collect();
            // Tags' postings are in article order too, each article once.
            let in_tags = taxonomy.article_tags[id]
                .iter()
                .map(|&tag| {
                    tag_seen[tag] += 1;
                    (tag, tag_seen[tag] - 1)
                })
                .collect();
            places.push(Places { terms: in_terms, tags: in_tags });
        }
        // The words themselves are dropped with `terms`: ids stand for them.
        Index { postings, places }
    }
}

/// What scoring the related articles of one article needs, shared by all.
struct Scorer<'a> {
    index: Index,
    taxonomy: &'a Taxonomy,
    sections: Vec<usize>,
    count: usize,
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
        let idf = |df: usize| ((n as f64 + 1.0) / (df as f64 + 0.5)).ln().max(0.0);
        let mut add = |postings: &[ArticleId], at: usize, weight: f64| {
            for &other in window(postings, at) {
                if scores[other] == 0.0 {
                    candidates.push(other);
                }
                scores[other] += weight;
            }
        };
        let places = &self.index.places[id];
        for &(tag, at) in &places.tags {
            let postings = &self.taxonomy.tags[tag].articles;
            add(postings, at, TAG_WEIGHT * idf(postings.len()));
        }
        for &(term, at) in &places.terms {
            let postings = &self.index.postings[term];
            if postings.len() >= 2 {
                add(postings, at, idf(postings.len()));
            }
        }
        let section = self.sections[id];
        for &other in candidates.iter() {
            let score = std::mem::take(&mut scores[other]);
            if other == id {
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
    terms: Vec<(usize, usize)>,
    tags: Vec<(usize, usize)>,
}

/// The postings nearest to the one at `at` in the (sorted) list: up to [`WINDOW`] of them.
fn window(postings: &[ArticleId], at: usize) -> &[ArticleId] {
    if postings.len() <= WINDOW {
        return postings;
    }
    let start = at.saturating_sub(WINDOW / 2).min(postings.len() - WINDOW);
    &postings[start..start + WINDOW]
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
