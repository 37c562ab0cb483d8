//! The search page's data, cut so that a query loads little of it: a
//! manifest, shards of terms, facet lists and packs of result cards.
//!
//! Items are numbered in index order (newest first). A query word matches an
//! item when one of the item's *keys* starts with it: a key is what follows a
//! word boundary in the folded text (a space-separated chunk from its start,
//! or from after a character other than `a-z0-9`), which is exactly where the
//! script's "every word must start a word" test could match. The sorted keys
//! are cut into shards of a few kilobytes, the manifest giving each shard's
//! first key; a prefix whose keys span several shards has a small file (a
//! node) with the items of all its keys, for a word that short. Every file
//! is a script calling `vitrineSearch(key, data)`, named by its contents'
//! hash.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

use super::{normalise, Item};
use crate::content::Kind;
use crate::escape::script_safe;
use crate::output::OutputFile;

/// A shard larger than this (encoded bytes) is cut by one more character:
/// a query then loads a few of them, and a 50-page site has one or two.
const SHARD_BYTES: usize = 16 * 1024;
/// Result cards per pack: the first results of a query sit in a few packs.
pub(super) const PACK_ITEMS: usize = 8;
/// The facets, in the order of the search page's filters.
const FACETS: [&str; 5] = ["programme", "organisation", "level", "format", "tags"];
/// Digits of the posting lists: the first 32 end a number, the others
/// continue it; a bitset uses all 64, six items per digit.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
/// Starts a posting list written as a bitset.
const BITSET: char = '!';

/// The parts of the last index and what they were made from, kept by
/// `serve`: after an edit that leaves every item in its place, only the
/// parts holding something of the edited items are made (and written)
/// again; the others keep their names, so the manifest changes only there.
#[derive(Default)]
pub struct Index {
    /// Page index of each item, in item order.
    order: Vec<usize>,
    keys: BTreeMap<Box<str>, Key>,
    shards: Vec<Shard>,
    /// Name of each prefix's node.
    nodes: BTreeMap<Box<str>, String>,
    /// In the order of [`FACETS`].
    facets: Vec<FacetPart>,
    packs: Vec<String>,
    manifest: String,
}

/// A key's items and their encoding.
struct Key {
    posting: Posting,
    encoded: Encoded,
}

struct Shard {
    first: Box<str>,
    last: Box<str>,
    keys: usize,
    name: String,
}

struct FacetPart {
    file: String,
    /// Each value and how many items have it.
    values: Vec<(String, usize)>,
}

impl Index {
    /// The names of every part, the manifest first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let shards = self.shards.iter().map(|s| s.name.as_str());
        let facets = self.facets.iter().map(|f| f.file.as_str());
        std::iter::once(self.manifest.as_str())
            .filter(|m| !m.is_empty())
            .chain(shards)
            .chain(self.nodes.values().map(String::as_str))
            .chain(facets)
            .chain(self.packs.iter().map(String::as_str))
    }
}

/// Every part of the index of `items` (page indices in `order`), the
/// manifest first.
pub fn files(items: &[&Item], order: &[usize]) -> (Index, Vec<OutputFile>) {
    let mut builder = Builder::default();
    builder.add(items);
    builder.finish(order.to_vec())
}

/// The index made a run of items at a time, in item order, so that no
/// caller needs every item at once: a build makes its items in batches,
/// hands each batch's packs to its sink and drops the items (at 100 000
/// pages, holding every item and every part at once was a build's peak of
/// memory).
#[derive(Default)]
pub struct Builder {
    /// Items added so far.
    items: u32,
    keys: HashMap<Box<str>, Posting>,
    /// In the order of [`FACETS`]: each value's items.
    facets: [BTreeMap<String, Vec<u32>>; FACETS.len()],
    packs: Vec<String>,
    parts: Parts,
}

impl Builder {
    /// Adds the next items; all but the last run must fill whole packs
    /// (a multiple of [`PACK_ITEMS`]).
    pub fn add(&mut self, items: &[&Item]) {
        let first = self.items;
        for (n, item) in (first..).zip(items) {
            for (f, facet) in FACETS.iter().enumerate() {
                for value in facet_values(item, facet) {
                    add_item(&mut self.facets[f], value, n);
                }
            }
        }
        let packs = items.chunks(PACK_ITEMS);
        for (k, pack) in (first as usize / PACK_ITEMS..).zip(packs) {
            let cards: Vec<Card> = pack.iter().map(|i| Card::new(i)).collect();
            self.packs.push(self.parts.add(&format!("p:{k}"), &cards));
        }
        for chunk in items.chunks(KEY_CHUNK) {
            self.add_keys(chunk);
        }
    }

    /// Lists the keys of a few items, in parallel (every item's keys at
    /// once were a build's peak of memory).
    fn add_keys(&mut self, chunk: &[&Item]) {
        let titles: Vec<String> = chunk.par_iter().map(|i| normalise(&i.title)).collect();
        let keys: Vec<(Vec<&str>, Vec<&str>)> = chunk
            .par_iter()
            .zip(&titles)
            .map(|(item, title)| (keys(&item.text), keys(title)))
            .collect();
        for (n, (text, title)) in (self.items..).zip(&keys) {
            for key in text {
                match self.keys.get_mut(*key) {
                    Some(posting) => posting.text.push(n),
                    None => {
                        let posting = Posting {
                            text: vec![n],
                            title: Vec::new(),
                        };
                        self.keys.insert(Box::from(*key), posting);
                    }
                }
            }
            for key in title {
                match self.keys.get_mut(*key) {
                    Some(posting) => posting.title.push(n),
                    None => {
                        let posting = Posting {
                            text: Vec::new(),
                            title: vec![n],
                        };
                        self.keys.insert(Box::from(*key), posting);
                    }
                }
            }
        }
        let added = u32::try_from(chunk.len()).unwrap_or(u32::MAX);
        self.items = self.items.saturating_add(added);
    }

    /// The parts made since the last call (the packs of the items added).
    pub fn take_files(&mut self) -> Vec<OutputFile> {
        std::mem::take(&mut self.parts.files)
    }

    /// The rest of the parts, the manifest first, and the index of the
    /// items added (page indices in `order`).
    pub fn finish(self, order: Vec<usize>) -> (Index, Vec<OutputFile>) {
        let items = self.items as usize;
        let mut postings: Vec<(Box<str>, Posting)> = self.keys.into_iter().collect();
        postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let encoded: Vec<Encoded> = postings
            .par_iter()
            .map(|(key, p)| Encoded::new(key, p, items))
            .collect();
        let mut index = Index {
            order,
            keys: postings
                .into_iter()
                .zip(encoded)
                .map(|((key, posting), encoded)| (key, Key { posting, encoded }))
                .collect(),
            packs: self.packs,
            ..Index::default()
        };
        let mut parts = self.parts;
        index.make_keys(items, None, &mut parts);
        index.facets = FACETS
            .iter()
            .zip(&self.facets)
            .map(|(facet, values)| facet_part(facet, values, items, &mut parts))
            .collect();
        let files = index.close(items, parts);
        (index, files)
    }
}

/// Adds item `n` to `value`'s items (once).
fn add_item(values: &mut BTreeMap<String, Vec<u32>>, value: &str, n: u32) {
    match values.get_mut(value) {
        Some(list) if list.last() == Some(&n) => {}
        Some(list) => list.push(n),
        None => {
            values.insert(value.to_string(), vec![n]);
        }
    }
}

/// The parts that changed since `index` was made, when every item kept its
/// number (same `order`) and only the items `old` names changed (by page
/// index, what they were); `None` when the index must be made again whole.
pub fn changed_files(
    index: &mut Index,
    items: &[&Item],
    order: &[usize],
    old: &HashMap<usize, Item>,
) -> Option<Vec<OutputFile>> {
    if index.order != order || index.manifest.is_empty() {
        return None;
    }
    let mut changes = Changes::default();
    for (n, page) in (0u32..).zip(order) {
        let Some(before) = old.get(page) else {
            continue;
        };
        let after = items.get(n as usize)?;
        changes.items.push(n);
        for (f, facet) in FACETS.iter().enumerate() {
            if facet_values(before, facet) != facet_values(after, facet) {
                changes.facets[f] = true;
            }
        }
        let (old_title, new_title) = (normalise(&before.title), normalise(&after.title));
        index.move_item(
            n,
            keys(&before.text),
            keys(&after.text),
            false,
            &mut changes,
        );
        index.move_item(n, keys(&old_title), keys(&new_title), true, &mut changes);
    }
    changes.keys.sort_unstable();
    changes.keys.dedup();
    for key in &changes.keys {
        let Some(entry) = index.keys.get_mut(key.as_ref()) else {
            continue;
        };
        if entry.posting.text.is_empty() && entry.posting.title.is_empty() {
            index.keys.remove(key.as_ref());
        } else {
            entry.encoded = Encoded::new(key, &entry.posting, items.len());
        }
    }
    Some(index.make(items, Some(&changes)))
}

/// What changed since the parts were made.
#[derive(Default)]
struct Changes {
    /// Numbers of the changed items.
    items: Vec<u32>,
    /// Keys whose items changed (or that came or went), sorted.
    keys: Vec<Box<str>>,
    /// Per facet, whether a changed item's values changed.
    facets: [bool; FACETS.len()],
}

impl Changes {
    /// Whether a changed key lies between `first` and `last`.
    fn touch(&self, first: &str, last: &str) -> bool {
        let at = self.keys.partition_point(|k| k.as_ref() < first);
        self.keys.get(at).is_some_and(|k| k.as_ref() <= last)
    }

    fn touch_prefix(&self, prefix: &str) -> bool {
        let at = self.keys.partition_point(|k| k.as_ref() < prefix);
        self.keys.get(at).is_some_and(|k| k.starts_with(prefix))
    }
}

impl Index {
    /// Moves item `n` from the keys it had to those it has (of its text,
    /// or of its title).
    fn move_item(
        &mut self,
        n: u32,
        mut before: Vec<&str>,
        mut after: Vec<&str>,
        title: bool,
        changes: &mut Changes,
    ) {
        // [`keys`] gives them in the order met; looked up by halves here.
        before.sort_unstable();
        after.sort_unstable();
        fn list(key: &mut Key, title: bool) -> &mut Vec<u32> {
            if title {
                &mut key.posting.title
            } else {
                &mut key.posting.text
            }
        }
        for key in before.iter().filter(|k| after.binary_search(k).is_err()) {
            if let Some(entry) = self.keys.get_mut(*key) {
                let items = list(entry, title);
                if let Ok(at) = items.binary_search(&n) {
                    items.remove(at);
                }
            }
            changes.keys.push(Box::from(*key));
        }
        for key in after.iter().filter(|k| before.binary_search(k).is_err()) {
            if !self.keys.contains_key(*key) {
                let empty = Key {
                    posting: Posting::default(),
                    encoded: Encoded::new(key, &Posting::default(), 0),
                };
                self.keys.insert(Box::from(*key), empty);
            }
            if let Some(entry) = self.keys.get_mut(*key) {
                let items = list(entry, title);
                if let Err(at) = items.binary_search(&n) {
                    items.insert(at, n);
                }
            }
            changes.keys.push(Box::from(*key));
        }
    }

    /// Makes the parts `changes` touch (all without), the manifest first;
    /// the others keep their names.
    fn make(&mut self, items: &[&Item], changes: Option<&Changes>) -> Vec<OutputFile> {
        let mut parts = Parts::default();
        self.make_keys(items.len(), changes, &mut parts);
        let mut old_facets = std::mem::take(&mut self.facets).into_iter();
        self.facets = (0..FACETS.len())
            .map(|f| match old_facets.next() {
                Some(old) if changes.is_some_and(|c| !c.facets[f]) => old,
                _ => facet(items, f, &mut parts),
            })
            .collect();
        let packs = std::mem::take(&mut self.packs);
        self.packs = items
            .chunks(PACK_ITEMS)
            .enumerate()
            .map(|(k, pack)| {
                let touched = |c: &Changes| c.items.iter().any(|n| *n as usize / PACK_ITEMS == k);
                match changes.filter(|c| !touched(c)).and_then(|_| packs.get(k)) {
                    Some(name) => name.clone(),
                    None => {
                        let cards: Vec<Card> = pack.iter().map(|i| Card::new(i)).collect();
                        parts.add(&format!("p:{k}"), &cards)
                    }
                }
            })
            .collect();
        self.close(items.len(), parts)
    }

    /// Makes the shards and nodes `changes` touch (all without), on every
    /// core: at 100 000 pages they are ~2 s of serialising and hashing.
    fn make_keys(&mut self, items: usize, changes: Option<&Changes>, parts: &mut Parts) {
        let keys: Vec<(&str, &Key)> = self.keys.iter().map(|(k, v)| (k.as_ref(), v)).collect();
        let starts = cut(&keys);
        let ranges: Vec<_> = ranges(&starts, keys.len()).collect();
        let made: Vec<(Shard, Option<OutputFile>)> = ranges
            .into_par_iter()
            .map(|range| {
                let (first, last) = (keys[range.start].0, keys[range.end - 1].0);
                let kept = changes
                    .filter(|c| !c.touch(first, last))
                    .and_then(|_| self.shard(first))
                    .filter(|s| s.last.as_ref() == last && s.keys == range.len());
                let (name, file) = match kept {
                    Some(shard) => (shard.name.clone(), None),
                    None => {
                        let shard: Vec<Vec<&str>> = keys[range.clone()]
                            .iter()
                            .map(|(key, k)| [vec![*key], k.encoded.lists()].concat())
                            .collect();
                        let (name, file) = part(&format!("s:{first}"), &shard);
                        (name, Some(file))
                    }
                };
                let shard = Shard {
                    first: Box::from(first),
                    last: Box::from(last),
                    keys: range.len(),
                    name,
                };
                (shard, file)
            })
            .collect();
        let made_nodes: Vec<(&str, String, Option<OutputFile>)> = spanning(&keys, &starts)
            .into_par_iter()
            .map(|prefix| {
                let kept = changes
                    .filter(|c| !c.touch_prefix(prefix))
                    .and_then(|_| self.nodes.get(prefix));
                match kept {
                    Some(name) => (prefix, name.clone(), None),
                    None => {
                        let from = keys.partition_point(|(k, _)| *k < prefix);
                        let to =
                            from + keys[from..].partition_point(|(k, _)| k.starts_with(prefix));
                        let postings = &keys[from..to];
                        let text = union(postings.iter().map(|(_, k)| &k.posting.text), items);
                        let title = union(postings.iter().map(|(_, k)| &k.posting.title), items);
                        let (name, file) = part(&format!("n:{prefix}"), &lists(&text, &title));
                        (prefix, name, Some(file))
                    }
                }
            })
            .collect();
        let mut shards = Vec::with_capacity(made.len());
        for (shard, file) in made {
            parts.files.extend(file);
            shards.push(shard);
        }
        let mut nodes = BTreeMap::new();
        for (prefix, name, file) in made_nodes {
            parts.files.extend(file);
            nodes.insert(Box::from(prefix), name);
        }
        drop(keys);
        self.shards = shards;
        self.nodes = nodes;
    }

    /// The manifest of `items` items and `parts`, the manifest first.
    fn close(&mut self, items: usize, mut parts: Parts) -> Vec<OutputFile> {
        let (name, manifest) = part(&"m", &self.manifest_of(items));
        self.manifest = name;
        let mut files = vec![manifest];
        files.append(&mut parts.files);
        files
    }

    /// The last shard that started with `first`.
    fn shard(&self, first: &str) -> Option<&Shard> {
        let at = self
            .shards
            .binary_search_by(|s| s.first.as_ref().cmp(first));
        at.ok().and_then(|at| self.shards.get(at))
    }

    fn manifest_of(&self, items: usize) -> Manifest<'_> {
        Manifest {
            version: 2,
            items,
            shards: self
                .shards
                .iter()
                .map(|s| (&*s.first, s.name.as_str()))
                .collect(),
            nodes: self.nodes.iter().map(|(p, n)| (&**p, n.as_str())).collect(),
            facets: FACETS
                .iter()
                .zip(&self.facets)
                .map(|(facet, part)| {
                    let values = part.values.iter().map(|(v, n)| (v.as_str(), *n)).collect();
                    let entry = FacetEntry {
                        file: &part.file,
                        values,
                    };
                    (*facet, entry)
                })
                .collect(),
            pack: PACK_ITEMS,
            packs: self.packs.iter().map(String::as_str).collect(),
        }
    }
}

/// What the page's script reads first, on the first focus of the search box.
#[derive(Serialize)]
struct Manifest<'a> {
    version: u8,
    items: usize,
    /// Each shard's first key and name, in key order.
    shards: Vec<(&'a str, &'a str)>,
    /// Per prefix whose keys span shards, the name of its node.
    nodes: Vec<(&'a str, &'a str)>,
    facets: BTreeMap<&'a str, FacetEntry<'a>>,
    /// Items per pack, and each pack of cards in item order.
    pack: usize,
    packs: Vec<&'a str>,
}

#[derive(Serialize)]
struct FacetEntry<'a> {
    file: &'a str,
    /// Each value and how many items have it.
    values: Vec<(&'a str, usize)>,
}

/// What a result shows: an item without its text.
#[derive(Serialize)]
struct Card<'a> {
    title: &'a str,
    url: &'a str,
    kind: Kind,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    programme: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organisation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'a str>,
}

impl<'a> Card<'a> {
    fn new(item: &'a Item) -> Card<'a> {
        Card {
            title: &item.title,
            url: &item.url,
            kind: item.kind,
            summary: &item.summary,
            author: item.author.as_deref(),
            programme: item.programme.as_deref(),
            organisation: item.organisation.as_deref(),
            level: item.level.as_deref(),
            format: item.format.as_deref(),
        }
    }
}

/// The parts made so far, each under its content's name.
#[derive(Default)]
struct Parts {
    files: Vec<OutputFile>,
}

impl Parts {
    /// Adds the part and returns the name the manifest gives it.
    fn add(&mut self, key: &str, data: &impl Serialize) -> String {
        let (hash, file) = part(&key, data);
        self.files.push(file);
        hash
    }
}

/// `vitrineSearch("key", data);` under the hash of these bytes. The key
/// makes two parts with the same data two files.
fn part(key: &impl Serialize, data: &impl Serialize) -> (String, OutputFile) {
    let key = serde_json::to_string(key).unwrap_or_default();
    // Escaped as if inline, like search.json: a title of `<script>` stays text.
    let data = script_safe(&serde_json::to_string(data).unwrap_or_default());
    let text = format!("vitrineSearch({key},{data});\n");
    let hash = blake3::hash(text.as_bytes()).to_hex()[..12].to_string();
    let file = OutputFile::text(crate::urls::search_part_file(&hash), text);
    (hash, file)
}

/// Items (by number) of a key: in the text, and in the title (results with
/// a word in their title come first).
#[derive(Default)]
struct Posting {
    text: Vec<u32>,
    title: Vec<u32>,
}

/// Items whose keys are listed at a time.
const KEY_CHUNK: usize = 1024;

/// The distinct keys of a folded text (see the module's comment).
///
/// A set, not a sort and dedup: an item has some 600 keys, and sorting
/// them was most of the index's time.
fn keys(text: &str) -> Vec<&str> {
    let mut keys = Vec::new();
    let mut seen = FxHashSet::default();
    for chunk in text.split(char::is_whitespace).filter(|c| !c.is_empty()) {
        let bytes = chunk.as_bytes();
        for p in 0..bytes.len() {
            let boundary = p == 0 || !matches!(bytes[p - 1], b'a'..=b'z' | b'0'..=b'9');
            if boundary && chunk.is_char_boundary(p) && seen.insert(&chunk[p..]) {
                keys.push(&chunk[p..]);
            }
        }
    }
    keys
}

/// A key's posting lists, written out.
struct Encoded {
    text: String,
    title: String,
    /// What it adds to a shard.
    bytes: usize,
}

impl Encoded {
    fn new(key: &str, posting: &Posting, items: usize) -> Encoded {
        let text = encode(&posting.text, items);
        let title = encode(&posting.title, items);
        let bytes = key.len() + text.len() + title.len() + 10;
        Encoded { text, title, bytes }
    }

    fn lists(&self) -> Vec<&str> {
        lists(&self.text, &self.title)
    }
}

/// A key's lists in a shard (after the key), or a node's: its items, then
/// those with it in their title, left out when none.
fn lists<'a>(text: &'a str, title: &'a str) -> Vec<&'a str> {
    if title.is_empty() {
        vec![text]
    } else {
        vec![text, title]
    }
}

/// Where each shard starts: runs of sorted keys of at most [`SHARD_BYTES`]
/// (one key alone may be more).
fn cut(keys: &[(&str, &Key)]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut bytes = 0;
    for (k, (_, key)) in keys.iter().enumerate() {
        if starts.is_empty() || bytes + key.encoded.bytes > SHARD_BYTES {
            starts.push(k);
            bytes = 0;
        }
        bytes += key.encoded.bytes;
    }
    starts
}

fn ranges(starts: &[usize], end: usize) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    starts
        .iter()
        .copied()
        .zip(starts.iter().skip(1).copied().chain([end]))
        .map(|(a, b)| a..b)
}

/// The prefixes whose keys lie in more than one shard: a word that short
/// loads their node, one small file, instead of every shard it spans.
fn spanning<'i>(postings: &[(&'i str, &Key)], starts: &[usize]) -> Vec<&'i str> {
    let mut prefixes = std::collections::BTreeSet::new();
    for &start in starts.iter().skip(1) {
        let (before, first) = (postings[start - 1].0, postings[start].0);
        let common = before
            .bytes()
            .zip(first.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        for len in (1..=common).filter(|&len| first.is_char_boundary(len)) {
            prefixes.insert(&first[..len]);
        }
    }
    prefixes.into_iter().collect()
}

/// The items of several lists, encoded.
fn union<'p>(lists: impl Iterator<Item = &'p Vec<u32>>, items: usize) -> String {
    let mut seen = vec![false; items];
    for list in lists {
        for &n in list {
            if let Some(s) = seen.get_mut(n as usize) {
                *s = true;
            }
        }
    }
    let ids: Vec<u32> = (0u32..)
        .zip(&seen)
        .filter(|(_, s)| **s)
        .map(|(n, _)| n)
        .collect();
    encode(&ids, items)
}

/// Sorted item numbers as the shorter of a list of gaps (each in base 32,
/// its last digit marked) and a bitset (`!`, six items per digit).
fn encode(ids: &[u32], items: usize) -> String {
    let mut gaps = String::new();
    let mut next = 0u32;
    for &id in ids {
        push_number(&mut gaps, id.saturating_sub(next));
        next = id + 1;
    }
    let bitset_len = items.div_ceil(6) + 1;
    if ids.is_empty() || gaps.len() <= bitset_len {
        return gaps;
    }
    let mut bits = vec![0u8; items.div_ceil(6)];
    for &id in ids {
        if let Some(b) = bits.get_mut(id as usize / 6) {
            *b |= 1 << (id % 6);
        }
    }
    let mut out = String::with_capacity(bitset_len);
    out.push(BITSET);
    out.extend(bits.iter().map(|&b| char::from(DIGITS[usize::from(b)])));
    out
}

fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 7];
    let mut len = 0;
    loop {
        digits[len] = (n % 32) as u8;
        len += 1;
        n /= 32;
        if n == 0 {
            break;
        }
    }
    for (k, &d) in digits[..len].iter().enumerate().rev() {
        let more = if k > 0 { 32 } else { 0 };
        out.push(char::from(DIGITS[usize::from(d) + more]));
    }
}

/// Facet `f`'s part: each value's items; values and counts go to the
/// manifest.
fn facet(items: &[&Item], f: usize, parts: &mut Parts) -> FacetPart {
    let facet = FACETS[f];
    let mut values: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (n, item) in (0u32..).zip(items) {
        for value in facet_values(item, facet) {
            let list = values.entry(value).or_default();
            if list.last() != Some(&n) {
                list.push(n);
            }
        }
    }
    facet_part(facet, &values, items.len(), parts)
}

/// The part of `facet` whose values have the items of `values`.
fn facet_part<K: AsRef<str>>(
    facet: &str,
    values: &BTreeMap<K, Vec<u32>>,
    items: usize,
    parts: &mut Parts,
) -> FacetPart {
    let lists: Vec<(&str, String)> = values
        .iter()
        .map(|(v, ids)| (v.as_ref(), encode(ids, items)))
        .collect();
    let file = parts.add(&format!("f:{facet}"), &lists);
    let values = values
        .iter()
        .map(|(v, ids)| (v.as_ref().to_string(), ids.len()))
        .collect();
    FacetPart { file, values }
}

fn facet_values<'i>(item: &'i Item, facet: &str) -> Vec<&'i str> {
    let one = |v: &'i Option<String>| v.as_deref().into_iter().collect();
    let values: Vec<&str> = match facet {
        "programme" => one(&item.programme),
        "organisation" => one(&item.organisation),
        "level" => one(&item.level),
        "format" => one(&item.format),
        _ => item.tags.iter().map(String::as_str).collect(),
    };
    values.into_iter().filter(|v| !v.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: usize) -> Item {
        Item {
            title: format!("Stage {n} à Lyon"),
            url: format!("temoignages/t{n}/"),
            kind: Kind::Testimonial,
            date: None,
            summary: format!("Résumé {n}"),
            quote: None,
            author: Some(format!("Élève {}", n % 7)),
            programme: Some(format!("Programme {}", n % 3)),
            organisation: None,
            level: Some("Licence".to_string()),
            format: None,
            tags: vec![format!("tag{}", n % 5), "commun".to_string()],
            text: normalise(&format!("stage {n} a lyon mot{} l'ecole", n % 11)),
        }
    }

    #[test]
    fn batches_make_the_same_parts_as_all_items_at_once() {
        // Six packs, the last one short, made in three batches.
        let items: Vec<Item> = (0..45).map(item).collect();
        let all: Vec<&Item> = items.iter().collect();
        let order: Vec<usize> = (0..items.len()).collect();
        let (_, whole) = files(&all, &order);
        let mut builder = Builder::default();
        let mut batched = Vec::new();
        for batch in all.chunks(2 * PACK_ITEMS) {
            builder.add(batch);
            batched.extend(builder.take_files());
        }
        let (_, rest) = builder.finish(order);
        batched.splice(0..0, rest);
        let text = |files: &[OutputFile]| -> Vec<(String, Vec<u8>)> {
            let mut all: Vec<(String, Vec<u8>)> = files
                .iter()
                .map(|f| match &f.contents {
                    crate::output::Contents::Bytes(b) => (f.path.clone(), b.to_vec()),
                    crate::output::Contents::Copy(_) => (f.path.clone(), Vec::new()),
                })
                .collect();
            all.sort();
            all
        };
        assert_eq!(text(&whole), text(&batched));
        assert_eq!(whole[0].path, batched[0].path, "the manifest first");
    }

    #[test]
    fn keys_start_at_word_boundaries_once_each() {
        // In the order met; the word said twice gives its keys once.
        assert_eq!(
            keys("l'ecole (bac+2) l'ecole"),
            vec!["l'ecole", "ecole", "(bac+2)", "bac+2)", "2)"]
        );
    }

    #[test]
    fn lists_take_the_shorter_form() {
        assert_eq!(encode(&[0, 1, 40], 1000), "00x6");
        assert_eq!(encode(&[], 10), "");
        // Every one of 12 items: a bitset of two digits.
        let all: Vec<u32> = (0..12).collect();
        assert_eq!(encode(&all, 12), "!__");
    }
}
