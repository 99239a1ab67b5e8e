//! Search by the words people use (issue 15): „meldunek”, „odpady”, „podatki”,
//! „akt urodzenia” find the matter although its name says „zameldowanie”,
//! „odpadami komunalnymi”, „podatek”, „aktu urodzenia”.
//!
//! One engine for every public search of the office (the service-card catalogue now,
//! the BIP later): a caller builds a [`Document`] per item once (fields with weights:
//! the name counts more than the description), parses the typed text into a
//! [`Query`] once per request and calls [`search`], which returns the items ranked best
//! match first.
//!
//! How a word of the query matches a word of a document, all after [`fold`] (case and
//! Polish diacritics ignored), best first:
//! 1. the same word;
//! 2. the same stem ([`stem`]: a light suffix stripper for Polish inflection —
//!    „podatki”, „podatek”, „podatkach” are all `podat`);
//! 3. the document's word begins with the typed word („zamel” → „zameldowanie”);
//! 4. the document's word begins with the typed word's stem, or holds the typed word
//!    inside it (four letters or more: „meldowanie” → „zameldowanie”).
//!
//! A document matches when every word of the query matches one of its words (short
//! function words such as „o”, „w”, „na” are left out of the query unless nothing
//! else is typed). When no document has all the words, the documents with some of
//! them are returned, marked [`Hits::complete`] `false`, so the page can say so.
//!
//! The stemmer is deliberately light (no dictionary): it only has to give the forms of
//! one word the same stem, not a linguistically right one. It removes one ending from
//! a closed list (noun and adjective case endings, the verbal-noun endings of
//! „zameldowanie”) keeping at least three letters, then the „k” of a mobile-e word
//! („podatek/podatku”, „meldunek/meldunku”, „wycinka/wycinek”).

pub use crate::text::fold;

/// Endings removed by [`stem`], folded (no diacritics: „ą” is „a”, „ów” is „ow”).
/// The longest ending that leaves a stem of [`MIN_STEM`] letters is removed.
const ENDINGS: &[&str] = &[
    // Adjectives in -owy (podatkowy, odpadowych).
    "owymi", "owych", "owego", "owemu", "owej", "owym", "owy", "owa", "owe",
    // Adjective and pronoun endings.
    "iego", "iemu", "ymi", "imi", "ych", "ich", "ego", "emu", "iej", "ym", "im", "ej",
    // Noun case endings.
    "iach", "iami", "ach", "ami", "owie", "owi", "iom", "om", "ow", "iem", "em", "ia", "ie", "iu",
    "io", "ek", // Single vowels last.
    "a", "e", "i", "o", "u", "y",
];

/// The fewest letters a stem keeps.
pub const MIN_STEM: usize = 3;

/// Words too common to search by (conjunctions and prepositions), folded.
const STOP_WORDS: &[&str] = &[
    "a", "i", "o", "u", "w", "z", "we", "ze", "na", "do", "od", "po", "za", "dla", "lub", "oraz",
    "albo", "czy", "jak", "co", "sie", "to", "jest", "moj", "moje", "mam", "chce",
];

/// The stem of a folded word: one ending from [`ENDINGS`] removed, keeping at least
/// [`MIN_STEM`] letters, then a mobile-e „k” („podatk” → „podat”). Words of digits and
/// short words stay as they are.
pub fn stem(word: &str) -> String {
    let letters = word.chars().count();
    if letters <= MIN_STEM || !word.chars().all(char::is_alphabetic) {
        return word.to_owned();
    }
    let Some(ending) = ENDINGS
        .iter()
        .filter(|e| word.ends_with(*e) && letters - e.chars().count() >= MIN_STEM)
        .max_by_key(|e| e.len())
    else {
        return word.to_owned();
    };
    let mut stem = word[..word.len() - ending.len()].to_owned();
    // Mobile e: podatek/podatku/podatki, meldunek/meldunku, wycinka/wycinek — the
    // stem loses its „k” so every form meets at „podat”, „meldun”, „wycin”.
    if *ending != "ek" && stem.ends_with('k') && stem.chars().count() > MIN_STEM + 1 {
        stem.pop();
    }
    stem
}

/// The folded words of `text`: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A word with its stem.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Term {
    word: String,
    stem: String,
    /// The stems of the words one typo away ([`Query::forgiving`]), sorted; empty unless
    /// asked.
    near: Vec<String>,
}

impl Term {
    fn new(word: String) -> Self {
        Term {
            stem: stem(&word),
            word,
            near: Vec::new(),
        }
    }
}

/// How much a field's matches count: a match in the name weighs more than one in
/// the description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weight(pub u32);

impl Weight {
    /// A title, a name, keywords chosen by staff.
    pub const TITLE: Weight = Weight(3);
    /// A code or a signature: matched as typed.
    pub const CODE: Weight = Weight(3);
    /// Running text.
    pub const TEXT: Weight = Weight(1);
}

#[derive(Clone, Debug)]
struct Field {
    weight: Weight,
    /// The whole field folded, for the phrase bonus.
    folded: String,
    terms: Vec<Term>,
}

/// An item as the search sees it: its fields' words and stems, prepared once (when
/// the catalogue snapshot is built), so a search does no text work per item.
#[derive(Clone, Debug, Default)]
pub struct Document {
    fields: Vec<Field>,
}

impl Document {
    /// A document with no fields (matches nothing).
    pub fn new() -> Self {
        Self::default()
    }

    /// The document with one more field.
    pub fn field(mut self, text: &str, weight: Weight) -> Self {
        self.fields.push(Field {
            weight,
            folded: fold(text),
            terms: words(text).into_iter().map(Term::new).collect(),
        });
        self
    }

    /// The stems of the document's words (for a vocabulary, see
    /// [`Query::forgiving`]).
    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .flat_map(|f| f.terms.iter().map(|t| t.stem.as_str()))
    }
}

/// The fewest letters a typed word has before a typo in it is forgiven: in shorter
/// words one letter changes the word („rada” and „rata”).
pub const MIN_FORGIVEN: usize = 5;

/// Whether `a` and `b` are at most one edit apart: one letter changed, added, removed,
/// or two neighbours swapped (optimal string alignment distance ≤ 1).
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    // Folded words are mostly ASCII: compared as bytes, with no copy (a forgiving query
    // compares each long word with every stem of the vocabulary).
    if a.is_ascii() && b.is_ascii() {
        return one_edit_apart_in(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_edit_apart_in(&a, &b)
}

fn one_edit_apart_in<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if prefix == a.len() && prefix == b.len() {
        return true;
    }
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len().cmp(&rb.len()) {
        // Changed, or swapped with the next letter.
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        // One letter more in `a`, or in `b`.
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => rb[1..] == *ra,
    }
}

/// What was typed, parsed once: its words (function words left out) and the whole
/// text folded.
#[derive(Clone, Debug)]
pub struct Query {
    terms: Vec<Term>,
    phrase: String,
}

/// The most words of a query that count (a pasted paragraph searches by its first).
pub const MAX_QUERY_WORDS: usize = 10;

impl Query {
    /// The query of `text`, or `None` when it has no word to search by.
    pub fn parse(text: &str) -> Option<Query> {
        let all = words(text);
        let mut kept: Vec<String> = all
            .iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        if kept.is_empty() {
            kept = all;
        }
        kept.dedup();
        kept.truncate(MAX_QUERY_WORDS);
        if kept.is_empty() {
            return None;
        }
        Some(Query {
            phrase: kept.join(" "),
            terms: kept.into_iter().map(Term::new).collect(),
        })
    }

    /// How well `doc` matches: `None` when no word of the query is in it.
    pub fn score(&self, doc: &Document) -> Option<Score> {
        let mut matched = 0;
        let mut points = 0;
        for term in &self.terms {
            let best = doc
                .fields
                .iter()
                .flat_map(|f| f.terms.iter().map(move |t| closeness(term, t) * f.weight.0))
                .max()
                .unwrap_or(0);
            if best > 0 {
                matched += 1;
                points += best;
            }
        }
        if matched == 0 {
            return None;
        }
        // The words typed together, found together: „akt urodzenia” in the keywords
        // ranks that card above one with „akt” and „urodzenia” apart.
        if self.terms.len() > 1 {
            points += doc
                .fields
                .iter()
                .filter(|f| f.folded.contains(&self.phrase))
                .map(|f| 4 * f.weight.0)
                .max()
                .unwrap_or(0);
        }
        Some(Score { matched, points })
    }

    /// The query forgiving small typos: each typed word of [`MIN_FORGIVEN`] letters
    /// or more also matches (with the lowest closeness) every form of a word whose
    /// stem is one edit away from its stem („regulamim” finds „regulaminu”,
    /// „orgainzacyjny” finds „organizacyjnego”). `stems` is the searched documents'
    /// distinct stems ([`Document::stems`]), so a query compares against each stem
    /// once, not against every document.
    pub fn forgiving<'v>(self, stems: impl IntoIterator<Item = &'v str>) -> Self {
        let stems: Vec<&str> = stems.into_iter().collect();
        self.forgiving_among(|_| stems.clone())
    }

    /// [`Self::forgiving`] with the stems to compare a word with given by its stem's
    /// length in letters (a stem one edit away is at most one letter longer or
    /// shorter): a [`Corpus`] hands out only those.
    fn forgiving_among<'v>(mut self, of_length: impl Fn(usize) -> Vec<&'v str>) -> Self {
        for term in self
            .terms
            .iter_mut()
            .filter(|t| t.word.chars().count() >= MIN_FORGIVEN)
        {
            for known in of_length(term.stem.chars().count()) {
                if known != term.stem && one_edit_apart(&term.stem, known) {
                    term.near.push(known.to_owned());
                }
            }
            // Sorted, for the binary search in `closeness` (a five-digit number has
            // hundreds of neighbours among the numbers of 100,000 publications).
            term.near.sort_unstable();
            term.near.dedup();
        }
        self
    }

    /// Whether a folded word of a text matches a word of the query (for highlighting).
    pub fn matches_word(&self, folded: &str) -> bool {
        let word = Term::new(folded.to_owned());
        self.terms.iter().any(|t| closeness(t, &word) > 0)
    }

    /// How many words the query searches by.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Always false: a parsed query has a word.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// How close a document's word is to a query's word: 0 (no match) to 4 (the same).
fn closeness(q: &Term, d: &Term) -> u32 {
    match written_closeness(q, d) {
        // A typo forgiven: the lowest closeness, so the right spelling ranks first.
        0 if q.near.binary_search(&d.stem).is_ok() => 1,
        closeness => closeness,
    }
}

/// [`closeness`] by the word as written, no typo forgiven.
fn written_closeness(q: &Term, d: &Term) -> u32 {
    if q.word == d.word {
        4
    } else if q.stem == d.stem {
        3
    } else if d.word.starts_with(&q.word) {
        2
    } else if (q.stem.chars().count() > MIN_STEM && d.word.starts_with(&q.stem))
        || (q.word.chars().count() > MIN_STEM && d.word.contains(&q.word))
    {
        1
    } else {
        0
    }
}

/// A document's match: how many of the query's words it has, and their points.
/// Ordered: more words first, then more points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score {
    /// Words of the query found.
    pub matched: usize,
    /// Their closeness times their fields' weights, plus the phrase bonus.
    pub points: u32,
}

/// The result of a [`search`].
#[derive(Debug)]
pub struct Hits<'a, T> {
    /// Best match first; equally good ones in the order they were given.
    pub items: Vec<&'a T>,
    /// Whether every item has every word of the query. When no item has all of them,
    /// the items with some are returned (most words first) and this is `false`; when
    /// no item has any, there are none and this is `true`.
    pub complete: bool,
}

/// The items matching `query`, best first. `doc` gives an item's prepared document.
pub fn search<'a, T>(
    query: &Query,
    items: impl IntoIterator<Item = &'a T>,
    doc: impl Fn(&T) -> &Document,
) -> Hits<'a, T> {
    let mut scored: Vec<(Score, usize, &'a T)> = items
        .into_iter()
        .enumerate()
        .filter_map(|(i, item)| query.score(doc(item)).map(|s| (s, i, item)))
        .collect();
    let complete = scored.iter().any(|(s, ..)| s.matched == query.len());
    if complete {
        scored.retain(|(s, ..)| s.matched == query.len());
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // Nothing found is not a partial answer: the page says "nothing found" once, not
    // also "some of the words".
    let nothing = scored.is_empty();
    Hits {
        items: scored.into_iter().map(|(.., item)| item).collect(),
        complete: complete || nothing || query.is_empty(),
    }
}

/// The result of [`Corpus::search`].
#[derive(Debug, PartialEq, Eq)]
pub struct Ranked {
    /// The page asked for of the matching documents' positions in the corpus, best
    /// match first.
    pub documents: Vec<usize>,
    /// How many documents match in all (on every page).
    pub total: usize,
    /// As [`Hits::complete`].
    pub complete: bool,
}

/// The separator between the words of [`Corpus`]'s joined vocabulary: never in a word
/// ([`words`] are runs of letters and digits), so no typed word is found across two.
const WORD_END: char = '\n';

/// Many documents searched together (the BIP's hundred thousand publications), their
/// words interned: only the distinct words that can match a query's word are looked at,
/// and only the documents holding one are scored, through the word's postings.
/// [`search`] compares every word of every document with the query (≈ 300 ms over
/// 100,000 publications, docs/decisions/0053); a corpus answers the same ranking (a
/// property test holds the two equal) in a millisecond or so.
///
/// The vocabulary is sorted, so each rule of [`written_closeness`] is a look-up rather
/// than a comparison with every word (docs/decisions/0056): the same word and the words
/// it begins are one range found by binary search, as are the words its stem begins;
/// the words of its stem are a map's entry; the words holding it inside are found by
/// one substring search over the whole vocabulary written out once.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The distinct words with their stems, in byte order of the word.
    vocabulary: Vec<Term>,
    /// For each word: the documents holding it and the weight of the field it is in,
    /// in document order (a document twice when the word is in two fields).
    postings: Vec<Vec<(u32, Weight)>>,
    /// The vocabulary's words one after another, each followed by [`WORD_END`], and
    /// where each begins (the infix rule: „4321” inside „54321”).
    joined: String,
    starts: Vec<usize>,
    /// For each document: its fields folded with their weights, for the phrase bonus.
    phrases: Vec<Vec<(Weight, String)>>,
    /// The distinct stems, sorted, and their positions by length in letters (the
    /// forgiven typos are looked for among stems of about the typed word's length).
    stems: Vec<String>,
    stems_by_length: Vec<Vec<usize>>,
    /// The words of each stem (positions in `vocabulary`): the stem rule and a forgiven
    /// typo's words are looked up, not compared with every word.
    words_by_stem: std::collections::HashMap<String, Vec<usize>>,
}

impl Corpus {
    /// The corpus of `documents`; a document is named by its position in the list.
    pub fn new(documents: impl IntoIterator<Item = Document>) -> Self {
        let mut ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let mut vocabulary: Vec<Term> = Vec::new();
        let mut postings: Vec<Vec<(u32, Weight)>> = Vec::new();
        let mut phrases = Vec::new();
        for (doc, document) in documents.into_iter().enumerate() {
            let doc = u32::try_from(doc).unwrap_or(u32::MAX);
            let mut fields = Vec::with_capacity(document.fields.len());
            for field in document.fields {
                for term in field.terms {
                    let next = u32::try_from(vocabulary.len()).unwrap_or(u32::MAX);
                    let id = *ids.entry(term.word.clone()).or_insert_with(|| {
                        vocabulary.push(term);
                        postings.push(Vec::new());
                        next
                    });
                    let postings = &mut postings[id as usize];
                    if postings.last() != Some(&(doc, field.weight)) {
                        postings.push((doc, field.weight));
                    }
                }
                fields.push((field.weight, field.folded));
            }
            phrases.push(fields);
        }
        drop(ids);
        // The words in byte order, their postings moved along.
        let mut order: Vec<usize> = (0..vocabulary.len()).collect();
        order.sort_unstable_by(|&a, &b| vocabulary[a].word.cmp(&vocabulary[b].word));
        let mut corpus = Corpus {
            vocabulary: order
                .iter()
                .map(|&i| std::mem::take(&mut vocabulary[i]))
                .collect(),
            postings: order
                .iter()
                .map(|&i| std::mem::take(&mut postings[i]))
                .collect(),
            phrases,
            ..Corpus::default()
        };
        for (i, term) in corpus.vocabulary.iter().enumerate() {
            corpus.starts.push(corpus.joined.len());
            corpus.joined.push_str(&term.word);
            corpus.joined.push(WORD_END);
            corpus
                .words_by_stem
                .entry(term.stem.clone())
                .or_default()
                .push(i);
        }
        let mut stems: Vec<String> = corpus.words_by_stem.keys().cloned().collect();
        stems.sort_unstable();
        for (i, stem) in stems.iter().enumerate() {
            let length = stem.chars().count();
            if corpus.stems_by_length.len() <= length {
                corpus.stems_by_length.resize(length + 1, Vec::new());
            }
            corpus.stems_by_length[length].push(i);
        }
        corpus.stems = stems;
        corpus
    }

    /// `query` forgiving small typos against this corpus's words ([`Query::forgiving`]).
    pub fn forgiving(&self, query: Query) -> Query {
        query.forgiving_among(|length| {
            (length.saturating_sub(1)..=length + 1)
                .filter_map(|l| self.stems_by_length.get(l))
                .flatten()
                .map(|&i| self.stems[i].as_str())
                .collect()
        })
    }

    /// How many documents it holds.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// Whether it holds no document.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The distinct stems of its words (the vocabulary of [`Query::forgiving`]).
    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.stems.iter().map(String::as_str)
    }

    /// The documents matching `query` among those `admit`ted, best first, equally good
    /// ones in document order — what [`search`] answers for the admitted documents in
    /// that order — `limit` of them from the `offset`-th, with how many there are in all.
    /// Only the page is put in order: the best `offset + limit` are selected first
    /// (a word in every publication matches 100,000 of them; a page shows 20).
    pub fn search(
        &self,
        query: &Query,
        admit: impl Fn(usize) -> bool,
        offset: usize,
        limit: usize,
    ) -> Ranked {
        let words = query.terms.len().max(1);
        let (best, touched) = self.best_per_word(query);
        let mut scored: Vec<(Score, usize)> = Vec::new();
        for doc in touched {
            if !admit(doc) {
                continue;
            }
            let points = &best[doc * words..(doc + 1) * words];
            let mut score = Score {
                matched: points.iter().filter(|p| **p > 0).count(),
                points: points.iter().sum(),
            };
            // A document with the phrase has every word: the bonus is only looked for
            // in those.
            if query.terms.len() > 1 && score.matched == query.terms.len() {
                score.points += self.phrases[doc]
                    .iter()
                    .filter(|(_, folded)| folded.contains(&query.phrase))
                    .map(|(weight, _)| 4 * weight.0)
                    .max()
                    .unwrap_or(0);
            }
            scored.push((score, doc));
        }
        let complete = scored.iter().any(|(s, _)| s.matched == query.len());
        if complete {
            scored.retain(|(s, _)| s.matched == query.len());
        }
        let total = scored.len();
        // Best first, then document order: no two entries are equal (one per document),
        // so selecting and sorting unstably gives the one order a stable sort would.
        let by_rank = |a: &(Score, usize), b: &(Score, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        let end = offset.saturating_add(limit).min(total);
        if end == 0 {
            scored.clear();
        } else if end < total {
            scored.select_nth_unstable_by(end - 1, by_rank);
            scored.truncate(end);
        }
        scored.sort_unstable_by(by_rank);
        Ranked {
            documents: scored
                .into_iter()
                .skip(offset)
                .map(|(_, doc)| doc)
                .collect(),
            total,
            // Nothing found is not a partial answer (as in [`search`]).
            complete: complete || total == 0 || query.is_empty(),
        }
    }

    /// For each document, each query word's best closeness times its field's weight
    /// (0: not there), one row of `query.len()` figures per document in one
    /// allocation; and the documents with a figure above 0, in no particular order.
    /// Only the words that match a query word are visited.
    fn best_per_word(&self, query: &Query) -> (Vec<u32>, Vec<usize>) {
        let words = query.terms.len().max(1);
        let mut best = vec![0u32; words * self.len()];
        let mut touched = Vec::new();
        for (i, term) in query.terms.iter().enumerate() {
            for (word, closeness) in self.matching_words(term) {
                for &(doc, weight) in &self.postings[word] {
                    let row = doc as usize * words;
                    if best[row..row + words].iter().all(|p| *p == 0) {
                        touched.push(doc as usize);
                    }
                    let slot = &mut best[row + i];
                    *slot = (*slot).max(closeness * weight.0);
                }
            }
        }
        (best, touched)
    }

    /// The words of the vocabulary matching `term`, with their [`closeness`]: those a
    /// rule of [`written_closeness`] can admit are gathered by look-up, then each is
    /// judged by that function itself, so the answer is the comparison with every word.
    fn matching_words(&self, term: &Term) -> Vec<(usize, u32)> {
        let mut candidates: Vec<usize> = self.beginning_with(&term.word).collect();
        candidates.extend(self.words_by_stem.get(&term.stem).into_iter().flatten());
        if term.stem.chars().count() > MIN_STEM {
            candidates.extend(self.beginning_with(&term.stem));
        }
        if term.word.chars().count() > MIN_STEM {
            candidates.extend(self.holding(&term.word));
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut matching: Vec<(usize, u32)> = candidates
            .into_iter()
            .filter_map(|w| match written_closeness(term, &self.vocabulary[w]) {
                0 => None,
                closeness => Some((w, closeness)),
            })
            .collect();
        // The forgiven typos: the lowest closeness, where nothing else matched.
        for stem in &term.near {
            for &word in self.words_by_stem.get(stem).into_iter().flatten() {
                if written_closeness(term, &self.vocabulary[word]) == 0 {
                    matching.push((word, 1));
                }
            }
        }
        matching
    }

    /// The positions of the words beginning with `prefix` (the word itself included):
    /// in byte order they are one run, starting where `prefix` would be.
    fn beginning_with<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
        let from = self
            .vocabulary
            .partition_point(|t| t.word.as_str() < prefix);
        let run = self.vocabulary[from..].partition_point(|t| t.word.starts_with(prefix));
        from..from + run
    }

    /// The positions of the words holding `part` anywhere: one pass of a substring
    /// search over the joined vocabulary.
    fn holding<'a>(&'a self, part: &'a str) -> impl Iterator<Item = usize> + 'a {
        let mut last = None;
        memchr::memmem::find_iter(self.joined.as_bytes(), part.as_bytes()).filter_map(move |at| {
            let word = self.starts.partition_point(|&s| s <= at) - 1;
            // A word holding it twice is named once.
            (last.replace(word) != Some(word)).then_some(word)
        })
    }
}

/// A piece of a [`snippet`]: text, and whether it is a word the query found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The text, as written.
    pub text: String,
    /// Whether it is a found word.
    pub hit: bool,
}

/// About `max` characters of `text` around the first word `query` finds in it, cut at
/// word boundaries, with „…” where text was left out, in pieces marking the found
/// words (a page shows them in `<mark>`; the pieces are text, escaped on output).
/// Without a found word, the beginning of the text.
pub fn snippet(query: &Query, text: &str, max: usize) -> Vec<Piece> {
    // Runs of letters and digits (words) and of everything else, with their flags.
    let mut runs: Vec<(&str, bool)> = Vec::new();
    let mut start = 0;
    let mut word = None;
    for (i, c) in text.char_indices() {
        let is_word = c.is_alphanumeric();
        if word != Some(is_word) {
            if let Some(w) = word {
                runs.push((
                    &text[start..i],
                    w && query.matches_word(&fold(&text[start..i])),
                ));
            }
            start = i;
            word = Some(is_word);
        }
    }
    if let Some(w) = word {
        runs.push((
            &text[start..],
            w && query.matches_word(&fold(&text[start..])),
        ));
    }
    let first_hit = runs.iter().position(|r| r.1).unwrap_or(0);
    // Some context before the found word: up to a quarter of the snippet.
    let mut from = first_hit;
    let mut before = 0;
    while from > 0 && before + runs[from - 1].0.chars().count() <= max / 4 {
        from -= 1;
        before += runs[from].0.chars().count();
    }
    // Start at a word, not at a space or a comma.
    while from < first_hit && !runs[from].0.starts_with(char::is_alphanumeric) {
        from += 1;
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut used = 0;
    let mut to = from;
    while to < runs.len() && (used + runs[to].0.chars().count() <= max || to == from) {
        used += runs[to].0.chars().count();
        to += 1;
    }
    if from > 0 {
        pieces.push(Piece {
            text: "…".to_owned(),
            hit: false,
        });
    }
    for &(text, hit) in &runs[from..to] {
        match pieces.last_mut() {
            Some(last) if !last.hit && !hit => last.text.push_str(text),
            _ => pieces.push(Piece {
                text: text.to_owned(),
                hit,
            }),
        }
    }
    if to < runs.len() {
        if let Some(last) = pieces.last_mut().filter(|p| !p.hit) {
            last.text = last.text.trim_end().to_owned();
        }
        pieces.push(Piece {
            text: "…".to_owned(),
            hit: false,
        });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn forms_of_one_word_share_a_stem() {
        for forms in [
            &[
                "podatek",
                "podatku",
                "podatki",
                "podatkach",
                "podatkow",
                "podatkiem",
            ][..],
            &["meldunek", "meldunku", "meldunki"],
            &[
                "zameldowanie",
                "zameldowania",
                "zameldowaniu",
                "zameldowaniem",
            ],
            &["odpady", "odpadami", "odpadow", "odpadach", "odpad"],
            &["wycinka", "wycinki", "wycinke", "wycinek"],
            &["urodzenie", "urodzenia", "urodzeniu", "urodzen"],
            &["akt", "aktu", "akty", "aktem"],
            &["drzewo", "drzewa", "drzew", "drzewami"],
            &["dowod", "dowodu", "dowodem", "dowody"],
            &["zaswiadczenie", "zaswiadczenia", "zaswiadczeniem"],
            &["nieruchomosc", "nieruchomosci"],
            &["osobisty", "osobistego", "osobistym"],
            &["podatkowy", "podatkowych", "podatkowej"],
        ] {
            let stems: Vec<String> = forms.iter().map(|w| stem(w)).collect();
            assert!(
                stems.windows(2).all(|w| w[0] == w[1]),
                "{forms:?} → {stems:?}"
            );
        }
    }

    #[test]
    fn stems_known_words() {
        for (word, expected) in [
            ("podatki", "podat"),
            ("meldunek", "meldun"),
            ("odpadami", "odpad"),
            ("zameldowanie", "zameldowan"),
            ("urodzenia", "urodzen"),
            ("akt", "akt"),
            ("nowy", "now"),
            ("druk", "druk"),
            ("druku", "druk"),
            ("2026", "2026"),
            ("sa", "sa"),
            ("", ""),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }

    fn demo() -> Vec<(&'static str, Document)> {
        [
            (
                "SA-1",
                "Zameldowanie na pobyt stały lub czasowy",
                "meldunek, zameldowanie",
                "Zgłoszenie pobytu.",
            ),
            (
                "SA-2",
                "Zaświadczenie o zameldowaniu",
                "meldunek",
                "Zaświadczenie potwierdzające zameldowanie.",
            ),
            (
                "FN-I-2",
                "Podatek od nieruchomości – informacja i deklaracja",
                "podatki",
                "Deklaracja podatkowa.",
            ),
            (
                "GK-1",
                "Zezwolenie na usunięcie drzew lub krzewów",
                "wycinka drzew",
                "Zezwolenie wójta.",
            ),
            (
                "GK-2",
                "Deklaracja o wysokości opłaty za gospodarowanie odpadami komunalnymi",
                "śmieci",
                "Deklaracja.",
            ),
            (
                "USC-1",
                "Wydanie odpisu aktu stanu cywilnego",
                "akt urodzenia, akt małżeństwa",
                "Odpis aktu urodzenia, małżeństwa lub zgonu.",
            ),
            (
                "USC-2",
                "Rejestracja urodzenia dziecka",
                "",
                "Sporządzenie aktu urodzenia.",
            ),
        ]
        .into_iter()
        .map(|(code, name, keywords, description)| {
            (
                code,
                Document::new()
                    .field(code, Weight::CODE)
                    .field(name, Weight::TITLE)
                    .field(keywords, Weight::TITLE)
                    .field(description, Weight::TEXT),
            )
        })
        .collect()
    }

    fn find(text: &str) -> (Vec<&'static str>, bool) {
        let docs = demo();
        let Some(query) = Query::parse(text) else {
            return (Vec::new(), true);
        };
        let hits = search(&query, &docs, |d| &d.1);
        (hits.items.iter().map(|d| d.0).collect(), hits.complete)
    }

    #[test]
    fn everyday_words_find_the_matter_best_first() {
        for (text, first, all) in [
            ("meldunek", "SA-1", &["SA-1", "SA-2"][..]),
            ("zameldowanie", "SA-1", &["SA-1", "SA-2"]),
            ("Zaświadczenie o zameldowaniu", "SA-2", &["SA-2"]),
            ("odpady", "GK-2", &["GK-2"]),
            ("podatki", "FN-I-2", &["FN-I-2"]),
            ("wycinka", "GK-1", &["GK-1"]),
            ("wycinka drzew", "GK-1", &["GK-1"]),
            ("akt urodzenia", "USC-1", &["USC-1", "USC-2"]),
            ("ZAMEL", "SA-1", &["SA-1", "SA-2"]),
            ("zaswiadczenie", "SA-2", &["SA-2"]),
            ("sa-2", "SA-2", &["SA-2"]),
            ("smieci", "GK-2", &["GK-2"]),
        ] {
            let (found, complete) = find(text);
            assert!(complete, "{text}");
            assert_eq!(found.first(), Some(&first), "{text}: {found:?}");
            let mut sorted = found.clone();
            sorted.sort();
            let mut expected = all.to_vec();
            expected.sort();
            assert_eq!(sorted, expected, "{text}");
        }
    }

    #[test]
    fn a_corpus_finds_everyday_words_as_the_plain_search() {
        let docs = demo();
        let corpus = Corpus::new(docs.iter().map(|(_, d)| d.clone()));
        assert_eq!((corpus.len(), corpus.is_empty()), (7, false));
        for typed in [
            "meldunek",
            "odpady",
            "akt urodzenia",
            "podatki",
            "wycinka",
            "xyz",
        ] {
            let query = Query::parse(typed).unwrap();
            let ranked = corpus.search(&query, |_| true, 0, usize::MAX);
            let codes: Vec<&str> = ranked.documents.iter().map(|&d| docs[d].0).collect();
            assert_eq!(ranked.total, codes.len());
            assert_eq!((codes, ranked.complete), find(typed), "{typed}");
        }
        // Only the admitted documents: the registry offices' cards left out.
        let query = Query::parse("akt urodzenia").unwrap();
        let ranked = corpus.search(&query, |d| !docs[d].0.starts_with("USC"), 0, 20);
        assert!(ranked.documents.is_empty() && ranked.complete && ranked.total == 0);
    }

    /// Publications numbered as the BIP numbers them: the number typed finds its own
    /// first, through each rule the sorted vocabulary answers by look-up — the same
    /// word, the words it begins, the words holding it — and a typo in a long word.
    fn numbered(n: usize) -> Vec<Document> {
        (1..=n)
            .map(|i| {
                Document::new()
                    .field(
                        &format!("Zarządzenie nr {i}/2026 w sprawie regulaminu"),
                        Weight::TITLE,
                    )
                    .field(&format!("Sprawa nr {}.", i * 7), Weight::TEXT)
            })
            .collect()
    }

    #[test]
    fn a_sorted_vocabulary_finds_words_equal_begun_held_and_forgiven() {
        let docs = numbered(300);
        let corpus = Corpus::new(docs.clone());
        let plain = |typed: &str| {
            let query = Query::parse(typed).unwrap().forgiving(corpus.stems());
            let items: Vec<(usize, &Document)> = docs.iter().enumerate().collect();
            let hits = search(&query, &items, |(_, d)| d);
            let order: Vec<usize> = hits.items.iter().map(|(d, _)| *d).collect();
            (order, hits.complete)
        };
        for typed in [
            "123",
            "12",
            "2026",
            "1234",
            "zarzadzen",
            "regulamim",
            "sprawa 21",
            "99",
            "gulamin",
            "adze",
        ] {
            let query = corpus.forgiving(Query::parse(typed).unwrap());
            let ranked = corpus.search(&query, |_| true, 0, usize::MAX);
            assert_eq!((ranked.documents, ranked.complete), plain(typed), "{typed}");
        }
        // „123”: its own title's number (the same word, in the title), then the words it
        // begins, in the text: 1232 = 7 × 176 and 1239 = 7 × 177 (a word of three letters
        // is not looked for inside others).
        let query = corpus.forgiving(Query::parse("123").unwrap());
        let ranked = corpus.search(&query, |_| true, 0, 20);
        assert_eq!(ranked.documents, [122, 175, 176]);
        // No word begins with or holds „8610”.
        let query = corpus.forgiving(Query::parse("8610").unwrap());
        assert_eq!(corpus.search(&query, |_| true, 0, 20).total, 0);
        // „gulamin” is inside „regulaminu” in every title.
        let query = corpus.forgiving(Query::parse("gulamin").unwrap());
        let held = corpus.search(&query, |_| true, 0, 20);
        assert_eq!((held.total, held.complete), (300, true));
        assert_eq!(held.documents, (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn a_page_of_the_ranking_is_that_slice_of_the_whole() {
        let docs = numbered(120);
        let corpus = Corpus::new(docs);
        for typed in ["zarządzenie", "sprawa", "2026 regulaminu", "11"] {
            let query = corpus.forgiving(Query::parse(typed).unwrap());
            let whole = corpus.search(&query, |d| d % 3 != 0, 0, usize::MAX);
            for (offset, limit) in [
                (0, 20),
                (20, 20),
                (60, 7),
                (79, 1),
                (80, 20),
                (500, 20),
                (0, 0),
            ] {
                let page = corpus.search(&query, |d| d % 3 != 0, offset, limit);
                let expected: Vec<usize> = whole
                    .documents
                    .iter()
                    .copied()
                    .skip(offset)
                    .take(limit)
                    .collect();
                assert_eq!(page.documents, expected, "{typed} {offset} {limit}");
                assert_eq!((page.total, page.complete), (whole.total, whole.complete));
            }
        }
    }

    #[test]
    fn some_words_found_is_not_complete() {
        let (found, complete) = find("podatek rolny");
        assert!(!complete);
        assert_eq!(found, ["FN-I-2"]);
        assert_eq!(find("paszport"), (vec![], true));
    }

    #[test]
    fn function_words_are_left_out_unless_alone() {
        assert_eq!(
            Query::parse("jak zapłacić podatek").map(|q| q.len()),
            Some(2)
        );
        assert_eq!(Query::parse("o").map(|q| q.len()), Some(1));
        assert!(Query::parse(" – , ").is_none());
        assert!(Query::parse("").is_none());
    }

    #[test]
    fn one_edit_apart_counts_one_change() {
        for (a, b, near) in [
            ("regulamin", "regulamin", true),
            ("regulamim", "regulamin", true),
            ("regulamn", "regulamin", true),
            ("regulaminn", "regulamin", true),
            ("reuglamin", "regulamin", true),
            ("regulamni", "regulamin", true),
            ("reuglamni", "regulamin", false),
            ("regulaminy", "regulamin", true),
            ("regul", "regulamin", false),
            ("", "a", true),
            ("ab", "ba", true),
            ("abc", "cab", false),
        ] {
            assert_eq!(one_edit_apart(a, b), near, "{a} {b}");
            assert_eq!(one_edit_apart(b, a), near, "{b} {a}");
        }
    }

    #[test]
    fn a_forgiving_query_finds_words_with_a_typo() {
        let docs: Vec<(&str, Document)> = [
            ("reg", "Zarządzenie w sprawie regulaminu organizacyjnego"),
            ("bud", "Sprawozdanie z wykonania budżetu"),
            ("rat", "Rata podatku"),
        ]
        .into_iter()
        .map(|(id, t)| (id, Document::new().field(t, Weight::TITLE)))
        .collect();
        let vocabulary: Vec<&str> = docs.iter().flat_map(|d| d.1.stems()).collect();
        for (typed, found) in [
            ("regulamim organizacyjny", Some("reg")),
            ("orgainzacyjnego", Some("reg")),
            ("regulamin organizacyjny", Some("reg")),
            ("sprawozdanei", Some("bud")),
            ("budzat", Some("bud")),
            // Short words are not forgiven: one letter changes them.
            ("rada", None),
        ] {
            let query = Query::parse(typed)
                .unwrap()
                .forgiving(vocabulary.iter().copied());
            let hits = search(&query, &docs, |d| &d.1);
            assert_eq!(hits.items.first().map(|d| d.0), found, "{typed}");
        }
        // Without forgiving, the typo finds nothing.
        let strict = Query::parse("orgainzacyjnego").unwrap();
        assert!(search(&strict, &docs, |d| &d.1).items.is_empty());
    }

    fn shown(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| {
                if p.hit {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn a_snippet_marks_the_found_words_in_context() {
        let text = "Burmistrz Miasta Borowiec zarządza, co następuje: nadaje się Urzędowi \
                    Miejskiemu regulamin organizacyjny w brzmieniu załącznika. Traci moc \
                    zarządzenie z 2019 r.";
        let query = Query::parse("Regulaminu organizacyjnego").unwrap();
        let s = shown(&snippet(&query, text, 60));
        assert!(s.contains("[regulamin] [organizacyjny]"), "{s}");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        // Nothing found in the text: its beginning, unmarked.
        let other = Query::parse("podatek").unwrap();
        assert_eq!(
            shown(&snippet(&other, "Krótki tekst.", 60)),
            "Krótki tekst."
        );
        assert_eq!(shown(&snippet(&other, "", 60)), "");
        // Without diacritics typed, the word with them is marked as written.
        let folded = Query::parse("budzet").unwrap();
        assert_eq!(
            shown(&snippet(&folded, "Projekt budżetu na 2027 r.", 60)),
            "Projekt [budżetu] na 2027 r."
        );
    }

    proptest! {
        #[test]
        fn a_snippet_is_a_piece_of_the_text(text in "\\PC{0,300}", q in "[a-zął ]{1,20}", max in 10usize..200) {
            if let Some(query) = Query::parse(&q) {
                let pieces = snippet(&query, &text, max);
                let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
                let inner = joined.trim_start_matches('…').trim_end_matches('…').trim_end();
                prop_assert!(text.contains(inner), "{:?} not in {:?}", inner, text);
                for p in pieces.iter().filter(|p| p.hit) {
                    prop_assert!(query.matches_word(&fold(&p.text)));
                }
            }
        }

        #[test]
        fn one_edit_apart_is_symmetric_and_reflexive(a in "[a-c]{0,6}", b in "[a-c]{0,6}") {
            prop_assert!(one_edit_apart(&a, &a));
            prop_assert_eq!(one_edit_apart(&a, &b), one_edit_apart(&b, &a));
        }

        #[test]
        fn a_stem_is_a_prefix_and_never_shorter_than_allowed(word in "[a-z]{0,20}") {
            let s = stem(&word);
            prop_assert!(word.starts_with(&s));
            prop_assert!(s.chars().count() >= word.chars().count().min(MIN_STEM));
        }

        #[test]
        fn stemming_any_text_never_panics(text in "\\PC{0,40}") {
            for w in words(&text) {
                let _ = stem(&w);
            }
            let _ = Query::parse(&text);
        }

        /// The corpus answers what the plain search answers, ranking and completeness,
        /// for any documents, query and admitted subset.
        #[test]
        fn a_corpus_ranks_as_the_plain_search(
            texts in proptest::collection::vec(("[a-dąz1-3 ]{0,30}", "[a-dąz1-3 ]{0,60}"), 0..25),
            typed in "[a-dąz1-3 ]{1,16}",
            admitted in proptest::collection::vec(proptest::bool::ANY, 25),
            offset in 0usize..30,
            limit in 0usize..30,
        ) {
            let docs: Vec<Document> = texts
                .iter()
                .map(|(title, text)| Document::new().field(title, Weight::TITLE).field(text, Weight::TEXT))
                .collect();
            if let Some(query) = Query::parse(&typed) {
                let corpus = Corpus::new(docs.clone());
                let forgiving = corpus.forgiving(query.clone());
                let ranked = corpus.search(&forgiving, |d| admitted[d], 0, usize::MAX);
                let query = query.forgiving(corpus.stems());
                let chosen: Vec<(usize, &Document)> =
                    docs.iter().enumerate().filter(|(d, _)| admitted[*d]).collect();
                let plain = search(&query, &chosen, |(_, d)| d);
                let plain_order: Vec<usize> = plain.items.iter().map(|(d, _)| *d).collect();
                prop_assert_eq!(&ranked.documents, &plain_order);
                prop_assert_eq!(ranked.total, plain_order.len());
                prop_assert_eq!(ranked.complete, plain.complete);
                // A page is that slice of the whole ranking (the partial sort).
                let page = corpus.search(&forgiving, |d| admitted[d], offset, limit);
                let slice: Vec<usize> = plain_order.iter().copied().skip(offset).take(limit).collect();
                prop_assert_eq!(&page.documents, &slice);
                prop_assert_eq!((page.total, page.complete), (ranked.total, ranked.complete));
            }
        }

        #[test]
        fn a_name_finds_its_own_document(i in 0usize..7) {
            let docs = demo();
            let name = &docs[i].0;
            let query = Query::parse(name).unwrap();
            let hits = search(&query, &docs, |d| &d.1);
            prop_assert!(hits.complete);
            prop_assert_eq!(hits.items[0].0, *name);
        }
    }
}
