// midad search: folds and stems a query exactly as the build folded and stemmed the articles
// (TABLES is written by the build from its Rust code), reads the index files the query needs and
// shows the results on the search page. No request leaves the site.
"use strict";
(function () {
  const TABLES = /*TABLES*/ {};

  // ---- Folding and stemming: the Rust `arabic::normalize` rules, from its tables. ----

  const STOP = new Set(TABLES.stop_words);
  const WORD_CHAR = /[\p{Alphabetic}\p{N}]/u;

  function inRanges(ranges, code) {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (code < ranges[mid][0]) hi = mid - 1;
      else if (code > ranges[mid][1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  function letters(word) {
    let n = 0;
    for (const _ of word) n++;
    return n;
  }

  /** Folds `text` as `normalize::normalize` does: NFKC, then each character dropped, replaced,
   * kept or lower-cased on its own (no context, as Rust's `char::to_lowercase`). */
  function normalize(text) {
    let out = "";
    for (const ch of text.normalize("NFKC")) {
      const code = ch.codePointAt(0);
      if (inRanges(TABLES.drop, code)) continue;
      const into = TABLES.into[ch];
      if (into !== undefined) out += into;
      else if (inRanges(TABLES.keep, code)) out += ch;
      else out += ch.toLowerCase();
    }
    return out;
  }

  /** `normalize::stem`: one article prefix, then one suffix, each leaving enough letters. */
  function stem(word) {
    for (const prefix of TABLES.prefixes) {
      if (word.startsWith(prefix) && letters(word) - letters(prefix) >= TABLES.stem_min_left) {
        word = word.slice(prefix.length);
        break;
      }
    }
    for (const [suffix, minLeft] of TABLES.suffixes) {
      if (word.endsWith(suffix) && letters(word) - letters(suffix) >= minLeft) {
        word = word.slice(0, word.length - suffix.length);
        break;
      }
    }
    return word;
  }

  /** `normalize::search_stems`: the stem, and the stem without a one-letter proclitic. */
  function searchStems(word) {
    const whole = stem(word);
    const hasArticle = TABLES.prefixes.some((p) => word.startsWith(p));
    const first = String.fromCodePoint(word.codePointAt(0));
    if (!hasArticle && TABLES.proclitics.includes(first)) {
      const rest = word.slice(first.length);
      if (letters(rest) >= TABLES.proclitic_min_left) {
        const alternative = stem(rest);
        if (alternative !== whole) return [whole, alternative];
      }
    }
    return [whole];
  }

  /** `normalize::index_words` of normalised text: words of two characters or more, not stop words. */
  function indexWords(normalized) {
    const words = [];
    let word = "";
    for (const ch of normalized + " ") {
      if (WORD_CHAR.test(ch)) {
        word += ch;
        continue;
      }
      if (letters(word) >= 2 && !STOP.has(word)) words.push(word);
      word = "";
    }
    return words;
  }

  /** `search::terms::distinct`: the distinct search stems of `text`. */
  function terms(text) {
    const seen = new Set();
    const out = [];
    for (const word of indexWords(normalize(text))) {
      for (const s of searchStems(word)) {
        if (!seen.has(s)) {
          seen.add(s);
          out.push(s);
        }
      }
    }
    return out;
  }

  const rules = { normalize, stem, searchStems, indexWords, terms };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = rules;
    return;
  }

  // ---- The index: the manifest, term files and document files, each fetched once. ----

  const PREFIX_MIN = 3;
  const PREFIX_FILES = 4;
  const PAGE = 10;
  const script = document.currentScript;
  // Each language's index is below its own search page (`data-index`); the site's own is
  // beside the script.
  const base = new URL(script.dataset.index || "index/", script.src);
  const cache = new Map();

  function fetchOnce(name, version, as) {
    const key = name;
    if (!cache.has(key)) {
      const url = new URL(version ? `${name}?v=${version}` : name, base);
      cache.set(
        key,
        fetch(url).then((r) => {
          if (!r.ok) throw new Error(`${url}: ${r.status}`);
          return as === "json" ? r.json() : r.arrayBuffer();
        })
      );
    }
    return cache.get(key);
  }

  const manifest = () => fetchOnce("meta.json", null, "json");

  /** Decodes a term file into a Map of term → {strong: [[doc, weight]], body: [doc]}. */
  function decodeTerms(buffer, documents) {
    const bytes = new Uint8Array(buffer);
    const text = new TextDecoder();
    const entries = new Map();
    let at = 0;
    const varint = () => {
      let value = 0;
      let scale = 1;
      for (;;) {
        const b = bytes[at++];
        value += (b & 0x7f) * scale;
        if (b < 0x80) return value;
        scale *= 128;
      }
    };
    while (at < bytes.length) {
      const length = bytes[at++];
      const term = text.decode(bytes.subarray(at, at + length));
      at += length;
      const strong = [];
      let doc = 0;
      for (let n = varint(); n > 0; n--) {
        doc += varint();
        strong.push([doc, bytes[at++]]);
      }
      const body = [];
      if (bytes[at++] === 0) {
        doc = 0;
        for (let n = varint(); n > 0; n--) {
          doc += varint();
          body.push(doc);
        }
      } else {
        const count = varint();
        for (let d = 0; d < documents && d < count * 8; d++) {
          if (bytes[at + (d >> 3)] & (1 << (d & 7))) body.push(d);
        }
        at += count;
      }
      entries.set(term, { strong, body });
    }
    return entries;
  }

  /** The index of the term file that holds `term` (files are sorted by their first term). */
  function fileOf(meta, term) {
    let lo = 0;
    let hi = meta.terms.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (meta.terms[mid][0] <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  const termFiles = new Map();
  function termFile(meta, k) {
    if (!termFiles.has(k)) {
      termFiles.set(
        k,
        fetchOnce(`t${k}.bin`, meta.terms[k][1], "bin").then((b) => decodeTerms(b, meta.documents))
      );
    }
    return termFiles.get(k);
  }

  /** A query as words: the stems of each, and whether the last is still being typed. */
  function parseQuery(query) {
    const words = indexWords(normalize(query));
    const typing = query.length > 0 && WORD_CHAR.test(query.slice(-1));
    return words.map((word, i) => ({
      stems: searchStems(word),
      prefix: typing && i === words.length - 1 && letters(word) >= PREFIX_MIN,
    }));
  }

  /** For one word: document → weight, the best of its stems (a prefix match counts half). */
  async function matchWord(meta, word) {
    const found = new Map();
    const add = (postings, factor) => {
      const take = (doc, weight) => {
        const w = weight * factor;
        if (!(found.get(doc) >= w)) found.set(doc, w);
      };
      for (const [doc, weight] of postings.strong) take(doc, weight);
      for (const doc of postings.body) take(doc, meta.body_weight);
    };
    for (const s of word.stems) {
      if (meta.terms.length === 0) break;
      const first = fileOf(meta, s);
      const last = word.prefix ? Math.min(fileOf(meta, s + "\uffff"), first + PREFIX_FILES - 1) : first;
      for (let k = first; k <= last; k++) {
        const entries = await termFile(meta, k);
        for (const [term, postings] of entries) {
          if (term === s) add(postings, 1);
          else if (word.prefix && term.startsWith(s)) add(postings, 0.5);
        }
      }
    }
    return found;
  }

  /** Documents ranked: every word matched first, then by weight, then the newest. */
  async function rank(query) {
    const meta = await manifest();
    const words = parseQuery(query);
    if (words.length === 0) return { words, ranked: [] };
    const matches = await Promise.all(words.map((w) => matchWord(meta, w)));
    const scores = new Map();
    for (const found of matches) {
      for (const [doc, weight] of found) {
        const s = scores.get(doc) || { doc, words: 0, weight: 0 };
        s.words += 1;
        s.weight += weight;
        scores.set(doc, s);
      }
    }
    const ranked = [...scores.values()].sort(
      (a, b) => b.words - a.words || b.weight - a.weight || b.doc - a.doc
    );
    return { words, ranked };
  }

  async function documents(docs) {
    const meta = await manifest();
    return Promise.all(
      docs.map(async (doc) => {
        const k = Math.floor(doc / meta.docs_per_file);
        const file = await fetchOnce(`d${k}.json`, meta.docs[k], "json");
        const [url, title, section, date, summary] = file[doc % meta.docs_per_file];
        return { url, title, section, date, summary };
      })
    );
  }

  // ---- The page. ----

  /** `text` as nodes, each word whose stems meet the query's in a <mark>. */
  function highlighted(text, words) {
    const fragment = document.createDocumentFragment();
    const matches = (token) => {
      const folded = normalize(token);
      if (letters(folded) < 2) return false;
      const stems = searchStems(folded);
      return words.some((w) =>
        w.stems.some((q) => stems.some((s) => s === q || (w.prefix && s.startsWith(q))))
      );
    };
    const pattern = /[\p{Alphabetic}\p{N}\p{M}\u0640]+/gu;
    let last = 0;
    for (const m of text.matchAll(pattern)) {
      if (!matches(m[0])) continue;
      fragment.append(text.slice(last, m.index));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      fragment.append(mark);
      last = m.index + m[0].length;
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  function resultItem(doc, words) {
    const item = document.createElement("li");
    item.className = "search-result";
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = doc.url;
    link.append(highlighted(doc.title, words));
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "search-result-meta";
    meta.textContent = `${doc.section} · ${doc.date}`;
    const excerpt = document.createElement("p");
    excerpt.className = "search-result-excerpt";
    excerpt.append(highlighted(doc.summary, words));
    item.append(heading, meta, excerpt);
    return item;
  }

  function start() {
    const form = document.getElementById("search-form");
    const input = document.getElementById("search-input");
    const list = document.getElementById("search-results");
    const status = document.getElementById("search-status");
    const more = document.getElementById("search-more");
    if (!form || !input || !list || !status) return;
    const lang = document.documentElement.lang || "ar";
    const numbers = new Intl.NumberFormat(status.dataset.locale || lang);
    const plural = new Intl.PluralRules(lang);
    let shown = { ranked: [], words: [], count: 0 };
    let generation = 0;

    const announce = (count) => {
      const form = status.dataset[plural.select(count)] || status.dataset.other || "{n}";
      status.textContent = form.replace("{n}", numbers.format(count));
    };

    async function showMore() {
      const mine = generation;
      const next = shown.ranked.slice(shown.count, shown.count + PAGE).map((s) => s.doc);
      const docs = await documents(next);
      if (mine !== generation) return;
      for (const doc of docs) list.append(resultItem(doc, shown.words));
      shown.count += docs.length;
      if (more) more.hidden = shown.count >= shown.ranked.length;
    }

    async function run(query) {
      const mine = ++generation;
      const { words, ranked } = await rank(query);
      if (mine !== generation) return;
      list.replaceChildren();
      shown = { ranked, words, count: 0 };
      if (words.length === 0) {
        // Nothing to look up: say so, unless the box is empty («1.9» or «في» alone has no word
        // the index keeps).
        if (query.trim()) announce(0);
        else status.textContent = "";
        if (more) more.hidden = true;
        return;
      }
      await showMore();
      if (mine === generation) announce(ranked.length);
    }

    const update = (query) => {
      const url = new URL(location.href);
      if (query) url.searchParams.set("q", query);
      else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      run(query).catch((err) => {
        status.textContent = status.dataset.error || String(err);
      });
    };

    let timer = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => update(input.value), 120);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(timer);
      update(input.value);
    });
    if (more) more.addEventListener("click", () => showMore());
    const initial = new URLSearchParams(location.search).get("q");
    if (initial) {
      input.value = initial;
      update(initial);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
