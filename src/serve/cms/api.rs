//! The actions of Decap CMS's proxy backend (the protocol of its
//! `decap-server` local backend), in its simple publish mode: one JSON
//! request `{action, params}`, one JSON answer, over the files of
//! `content/` ([`Tree`]). Every write is atomic; a request that names one
//! refused path writes nothing.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::paths::{self, PathError, Tree};
use crate::i18n::{self, Lang, Text};

/// The request envelope; `params` is read by each action into its own type.
#[derive(Debug, Deserialize)]
struct Request {
    action: String,
    #[serde(default)]
    params: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct EntriesByFolder {
    folder: String,
    #[serde(default)]
    extension: String,
    #[serde(default = "one")]
    depth: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
struct EntriesByFiles {
    files: Vec<FileRef>,
}

#[derive(Debug, Deserialize)]
struct FileRef {
    path: String,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PathParam {
    path: String,
}

#[derive(Debug, Deserialize)]
struct PathsParam {
    paths: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct MediaFolder {
    #[serde(rename = "mediaFolder")]
    media_folder: String,
}

#[derive(Debug, Deserialize)]
struct DataFile {
    path: String,
    raw: String,
    #[serde(default, rename = "newPath")]
    new_path: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Asset {
    path: String,
    content: String,
    #[serde(default)]
    encoding: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PersistEntry {
    #[serde(default)]
    entry: Option<DataFile>,
    #[serde(default, rename = "dataFiles")]
    data_files: Option<Vec<DataFile>>,
    #[serde(default)]
    assets: Vec<Asset>,
}

#[derive(Debug, Deserialize)]
struct PersistMedia {
    asset: Asset,
}

#[derive(Debug, Serialize)]
struct Entry {
    data: Option<String>,
    file: EntryFile,
}

#[derive(Debug, Serialize)]
struct EntryFile {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    id: Option<String>,
}

#[derive(Debug, Serialize)]
struct MediaFile {
    id: String,
    content: String,
    encoding: &'static str,
    path: String,
    name: String,
}

#[derive(Debug, Serialize)]
struct Info {
    repo: String,
    publish_modes: [&'static str; 1],
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct Message {
    message: &'static str,
}

#[derive(Debug, Serialize)]
struct Failure<'a> {
    error: &'a str,
}

/// An answer: status and JSON body.
#[derive(Debug, PartialEq)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    body: Body,
}

/// What an answer carries: data, or why not (told in the writer's
/// language when sent).
#[derive(Debug, PartialEq)]
enum Body {
    Json(Vec<u8>),
    Failure(Text),
}

impl Answer {
    /// The JSON sent, `{"error": …}` in `lang` for a failure.
    pub(crate) fn into_body(self, lang: Lang) -> Vec<u8> {
        match self.body {
            Body::Json(bytes) => bytes,
            Body::Failure(why) => serde_json::to_vec(&Failure {
                error: why.get(lang),
            })
            .unwrap_or_default(),
        }
    }
}

fn ok<T: Serialize>(value: &T) -> Answer {
    match serde_json::to_vec(value) {
        Ok(body) => Answer {
            status: 200,
            body: Body::Json(body),
        },
        Err(e) => failure(500, Text::verbatim(e.to_string())),
    }
}

pub(crate) fn failure(status: u16, error: Text) -> Answer {
    Answer {
        status,
        body: Body::Failure(error),
    }
}

/// A path error as an answer: 403 refused, 404 missing, 500 otherwise.
fn refused(path: &str, error: PathError) -> Answer {
    match error {
        PathError::Refused => failure(403, i18n::cms_path_refused(path)),
        PathError::Missing => failure(404, i18n::cms_path_missing(path)),
        PathError::Io(e) => failure(500, i18n::cms_io_failed(path, e.to_string())),
    }
}

/// Longest text of one page the editor may write: a testimonial is a few
/// kilobytes; much more is a paste gone wrong.
pub(crate) const MAX_PAGE: usize = 1024 * 1024;

/// Answers one request body.
pub(crate) fn handle(tree: &Tree, repo: &str, body: &[u8]) -> Answer {
    let request: Request = match serde_json::from_slice(body) {
        Ok(r) => r,
        // The parser's words (English, positions) say nothing to a writer.
        Err(e) if e.is_data() => return failure(422, i18n::cms_no_action()),
        Err(_) => return failure(422, i18n::cms_not_json()),
    };
    let params = request
        .params
        .unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new()));
    let name = request.action.as_str();
    match name {
        "info" => ok(&Info {
            repo: repo.to_owned(),
            publish_modes: ["simple"],
            kind: "local_fs",
        }),
        "entriesByFolder" => with(name, params, |p| entries_by_folder(tree, p)),
        "entriesByFiles" => with(name, params, |p: EntriesByFiles| {
            ok(&p
                .files
                .into_iter()
                .map(|f| entry(tree, f))
                .collect::<Vec<_>>())
        }),
        "getEntry" => with(name, params, |p: PathParam| {
            ok(&entry(
                tree,
                FileRef {
                    path: p.path,
                    label: None,
                },
            ))
        }),
        "persistEntry" => with(name, params, |p| persist_entry(tree, p)),
        "getMedia" => with(name, params, |p| get_media(tree, p)),
        "getMediaFile" => with(name, params, |p: PathParam| media_file(tree, &p.path)),
        "persistMedia" => with(name, params, |p| persist_media(tree, p)),
        "deleteFile" => with(name, params, |p: PathParam| delete(tree, &[p.path])),
        "deleteFiles" => with(name, params, |p: PathsParam| delete(tree, &p.paths)),
        "getDeployPreview" => ok(&None::<()>),
        other => failure(422, i18n::cms_unknown_action(other)),
    }
}

/// Reads `params` as `P`, then runs `action` (named `name`).
fn with<P: serde::de::DeserializeOwned>(
    name: &str,
    params: serde_json::Value,
    action: impl FnOnce(P) -> Answer,
) -> Answer {
    match serde_json::from_value(params) {
        Ok(p) => action(p),
        Err(_) => failure(422, i18n::cms_bad_params(name)),
    }
}

fn id(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// An entry as Decap reads it; `data: null` when it cannot be read.
fn entry(tree: &Tree, file: FileRef) -> Entry {
    let text = tree
        .file(&file.path)
        .ok()
        .and_then(|f| fs::read(f).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    Entry {
        file: EntryFile {
            id: text.as_ref().map(|t| id(t.as_bytes())),
            path: file.path,
            label: file.label,
        },
        data: text,
    }
}

/// The pages of a section: files of `extension` down to `depth` folders,
/// without the section's `_index.md`, hidden files, links, or the folders
/// of other sections (those with an `_index.md` of their own).
fn entries_by_folder(tree: &Tree, params: EntriesByFolder) -> Answer {
    let dir = match tree.folder(&params.folder) {
        Ok(dir) => dir,
        Err(PathError::Missing) => return ok(&Vec::<Entry>::new()),
        Err(e) => return refused(&params.folder, e),
    };
    let extension = params.extension.trim_start_matches('.');
    let depth = usize::try_from(params.depth.clamp(1, 8)).unwrap_or(1);
    let files = listed(&dir, depth, |name| {
        paths::is_entry(name) && (extension.is_empty() || name.ends_with(&format!(".{extension}")))
    });
    let entries: Vec<Entry> = files
        .iter()
        .filter_map(|f| tree.shown(f))
        .map(|path| entry(tree, FileRef { path, label: None }))
        .collect();
    ok(&entries)
}

/// Regular files under `dir` (down to `depth` levels) whose name `keep`s,
/// sorted; never through a link, never into another section's folder.
fn listed(dir: &Path, depth: usize, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(depth)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let hidden = name.starts_with('.');
            let section = e.file_type().is_dir() && e.path().join("_index.md").exists();
            !hidden && !section
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name().to_str().is_some_and(&keep))
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// What a write will do, checked before anything is written.
struct Write {
    file: PathBuf,
    bytes: Vec<u8>,
}

fn persist_entry(tree: &Tree, params: PersistEntry) -> Answer {
    let data_files: Vec<DataFile> = params
        .data_files
        .unwrap_or_default()
        .into_iter()
        .chain(params.entry)
        .collect();
    if data_files.is_empty() {
        return failure(422, i18n::cms_bad_request("dataFiles"));
    }
    let mut writes = Vec::new();
    // Pictures first: the page that shows them is rebuilt with them there.
    for asset in params.assets {
        match media_write(tree, asset) {
            Ok(write) => writes.push(write),
            Err(answer) => return answer,
        }
    }
    let mut moved_from = Vec::new();
    for data in data_files {
        let target = data.new_path.as_deref().unwrap_or(&data.path);
        if data.raw.len() > MAX_PAGE {
            return failure(413, i18n::cms_page_too_large(target, MAX_PAGE / 1024));
        }
        let file = match entry_target(tree, target) {
            Ok(file) => file,
            Err(e) => return refused(target, e),
        };
        if data.new_path.is_some() && data.new_path.as_deref() != Some(data.path.as_str()) {
            match tree.file(&data.path) {
                Ok(old) if name_ok(&old, paths::is_entry) => moved_from.push(old),
                Ok(_) | Err(PathError::Missing) => {}
                Err(e) => return refused(&data.path, e),
            }
        }
        writes.push(Write {
            file,
            bytes: data.raw.into_bytes(),
        });
    }
    if let Err(answer) = apply(tree, &writes) {
        return answer;
    }
    for old in moved_from {
        let _ = fs::remove_file(old);
    }
    ok(&Message {
        message: "entry persisted",
    })
}

/// Where a page may be written: a Markdown file other than `_index.md`.
fn entry_target(tree: &Tree, path: &str) -> Result<PathBuf, PathError> {
    // Checked as text before any folder is created.
    let name_fits = paths::parse(path)
        .and_then(|names| names.last().copied())
        .is_some_and(paths::is_entry);
    if !name_fits {
        return Err(PathError::Refused);
    }
    tree.writable(path)
}

/// A picture to write, decoded and checked.
fn media_write(tree: &Tree, asset: Asset) -> Result<Write, Answer> {
    if asset.encoding.as_deref().is_some_and(|e| e != "base64") {
        return Err(failure(422, i18n::cms_bad_request("encoding")));
    }
    let name_fits = paths::parse(&asset.path)
        .and_then(|names| names.last().copied())
        .is_some_and(paths::is_media);
    if !name_fits {
        return Err(refused(&asset.path, PathError::Refused));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(asset.content.as_bytes())
        .map_err(|_| failure(422, i18n::cms_bad_picture(&asset.path)))?;
    let file = tree
        .writable(&asset.path)
        .map_err(|e| refused(&asset.path, e))?;
    Ok(Write { file, bytes })
}

fn apply(tree: &Tree, writes: &[Write]) -> Result<(), Answer> {
    for write in writes {
        if let Err(e) = paths::write_atomic(&write.file, &write.bytes) {
            let shown = tree.shown(&write.file).unwrap_or_default();
            return Err(refused(&shown, PathError::Io(e)));
        }
    }
    Ok(())
}

fn name_ok(file: &Path, rule: fn(&str) -> bool) -> bool {
    file.file_name().and_then(|n| n.to_str()).is_some_and(rule)
}

fn media_of(tree: &Tree, file: &Path, bytes: &[u8]) -> MediaFile {
    MediaFile {
        id: id(bytes),
        content: base64::engine::general_purpose::STANDARD.encode(bytes),
        encoding: "base64",
        path: tree.shown(file).unwrap_or_default(),
        name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// The pictures of a folder (a bundle's, or the site's media folder).
fn get_media(tree: &Tree, params: MediaFolder) -> Answer {
    let dir = match tree.folder(&params.media_folder) {
        Ok(dir) => dir,
        Err(PathError::Missing) => return ok(&Vec::<MediaFile>::new()),
        Err(e) => return refused(&params.media_folder, e),
    };
    let media: Vec<MediaFile> = listed(&dir, 1, paths::is_media)
        .iter()
        .filter_map(|f| fs::read(f).ok().map(|bytes| media_of(tree, f, &bytes)))
        .collect();
    ok(&media)
}

fn media_file(tree: &Tree, path: &str) -> Answer {
    let file = match tree.file(path) {
        Ok(file) if name_ok(&file, paths::is_media) => file,
        Ok(_) => return refused(path, PathError::Refused),
        Err(e) => return refused(path, e),
    };
    match fs::read(&file) {
        Ok(bytes) => ok(&media_of(tree, &file, &bytes)),
        Err(e) => refused(path, PathError::Io(e)),
    }
}

fn persist_media(tree: &Tree, params: PersistMedia) -> Answer {
    let path = params.asset.path.clone();
    let write = match media_write(tree, params.asset) {
        Ok(write) => write,
        Err(answer) => return answer,
    };
    if let Err(answer) = apply(tree, std::slice::from_ref(&write)) {
        return answer;
    }
    match tree.file(&path) {
        Ok(file) => ok(&media_of(tree, &file, &write.bytes)),
        Err(e) => refused(&path, e),
    }
}

/// Deletes pages and pictures (never a section's `_index.md`); a page
/// bundle's folder left empty goes too. Every path is checked first.
fn delete(tree: &Tree, paths_asked: &[String]) -> Answer {
    let mut files = Vec::new();
    for path in paths_asked {
        match tree.file(path) {
            Ok(file) if name_ok(&file, |n| paths::is_entry(n) || paths::is_media(n)) => {
                files.push(file);
            }
            // A folder is not a file that is already gone.
            Err(PathError::Missing) if tree.folder(path).is_ok() => {
                return failure(403, i18n::cms_delete_folder(path));
            }
            // Already gone: what was asked is done.
            Err(PathError::Missing) => {}
            Ok(_) => return refused(path, PathError::Refused),
            Err(e) => return refused(path, e),
        }
    }
    for file in &files {
        if let Err(e) = fs::remove_file(file) {
            let shown = tree.shown(file).unwrap_or_default();
            return refused(&shown, PathError::Io(e));
        }
        if let Some(dir) = file.parent() {
            // Fails, as it should, unless the folder is now empty.
            if tree.shown(dir).is_some_and(|d| d.contains('/')) {
                let _ = fs::remove_dir(dir);
            }
        }
    }
    ok(&Message {
        message: "files deleted",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, Tree) {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content");
        fs::create_dir_all(c.join("temoignages/julien")).unwrap();
        fs::create_dir_all(c.join("temoignages/2024")).unwrap();
        fs::write(
            c.join("temoignages/_index.md"),
            "---\nkind: testimonial\n---\n",
        )
        .unwrap();
        fs::write(c.join("temoignages/lea.md"), "---\ntitle: Léa\n---\n").unwrap();
        fs::write(
            c.join("temoignages/julien/index.md"),
            "---\ntitle: J\n---\n",
        )
        .unwrap();
        fs::write(c.join("temoignages/julien/photo.jpg"), b"\xff\xd8jpeg").unwrap();
        fs::write(c.join("temoignages/2024/_index.md"), "---\n---\n").unwrap();
        fs::write(c.join("temoignages/2024/x.md"), "---\n---\n").unwrap();
        let tree = Tree::open(dir.path()).unwrap();
        (dir, tree)
    }

    fn call(tree: &Tree, json: &str) -> (u16, serde_json::Value) {
        let answer = handle(tree, "site", json.as_bytes());
        let status = answer.status;
        let body = answer.into_body(Lang::Fr);
        (status, serde_json::from_slice(&body).unwrap())
    }

    #[test]
    fn a_section_lists_its_pages_and_bundles_only() {
        let (_dir, tree) = site();
        let (status, list) = call(
            &tree,
            r#"{"action":"entriesByFolder","params":{"branch":"main","folder":"content/temoignages","extension":"md","depth":2}}"#,
        );
        assert_eq!(status, 200);
        let paths: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["file"]["path"].as_str().unwrap())
            .collect();
        assert_eq!(
            paths,
            [
                "content/temoignages/julien/index.md",
                "content/temoignages/lea.md"
            ]
        );
        assert_eq!(list[1]["data"], "---\ntitle: Léa\n---\n");
    }

    #[test]
    fn refused_paths_write_nothing_even_beside_good_ones() {
        let (dir, tree) = site();
        let (status, _) = call(
            &tree,
            r#"{"action":"persistEntry","params":{"dataFiles":[
                {"path":"content/temoignages/ok.md","raw":"x"},
                {"path":"content/../site.md","raw":"x"}],"assets":[]}}"#,
        );
        assert_eq!(status, 403);
        assert!(!dir.path().join("content/temoignages/ok.md").exists());
        for (json, path) in [
            (
                r#"{"action":"persistEntry","params":{"dataFiles":[{"path":"content/temoignages/_index.md","raw":"x"}],"assets":[]}}"#,
                "content/temoignages/_index.md",
            ),
            (
                r#"{"action":"persistMedia","params":{"asset":{"path":"content/x.html","content":"eA==","encoding":"base64"}}}"#,
                "content/x.html",
            ),
            (
                r#"{"action":"persistEntry","params":{"dataFiles":[{"path":"content/a.md","raw":"x"}],"assets":[{"path":"content/b/c.svg","content":"eA=="}]}}"#,
                "content/a.md",
            ),
        ] {
            let before = fs::read(dir.path().join(path)).ok();
            assert_eq!(call(&tree, json).0, 403, "{json}");
            assert_eq!(fs::read(dir.path().join(path)).ok(), before, "{path}");
        }
        assert!(!dir.path().join("content/b").exists());
    }

    #[test]
    fn media_round_trip_and_deletion() {
        let (dir, tree) = site();
        let (status, file) = call(
            &tree,
            r#"{"action":"persistMedia","params":{"asset":{"path":"content/temoignages/zoe/photo.png","content":"iVBORw==","encoding":"base64"}}}"#,
        );
        assert_eq!(status, 200, "{file}");
        assert_eq!(file["name"], "photo.png");
        assert_eq!(
            fs::read(dir.path().join("content/temoignages/zoe/photo.png")).unwrap(),
            b"\x89PNG"
        );
        let (_, media) = call(
            &tree,
            r#"{"action":"getMedia","params":{"mediaFolder":"content/temoignages/julien"}}"#,
        );
        assert_eq!(media[0]["path"], "content/temoignages/julien/photo.jpg");
        assert_eq!(media.as_array().unwrap().len(), 1, "index.md is no media");
        let (status, _) = call(
            &tree,
            r#"{"action":"deleteFiles","params":{"paths":["content/temoignages/zoe/photo.png"]}}"#,
        );
        assert_eq!(status, 200);
        assert!(!dir.path().join("content/temoignages/zoe").exists());
        let (status, _) = call(
            &tree,
            r#"{"action":"deleteFile","params":{"path":"content/temoignages/_index.md"}}"#,
        );
        assert_eq!(status, 403);
        assert!(dir.path().join("content/temoignages/_index.md").exists());
    }

    #[test]
    fn unknown_actions_and_bad_params() {
        let (_dir, tree) = site();
        assert_eq!(
            call(&tree, r#"{"action":"publishUnpublishedEntry"}"#).0,
            422
        );
        let (status, error) = call(&tree, r#"{"action":"getEntry","params":{}}"#);
        assert_eq!(status, 422);
        assert_eq!(error["error"], *i18n::cms_bad_params("getEntry"));
        let (status, error) = call(&tree, r#"{"action":"getEntry","params":{"path":3}}"#);
        assert_eq!(
            (status, &error["error"]),
            (422, &i18n::cms_bad_params("getEntry").to_string().into())
        );
        let (status, info) = call(&tree, r#"{"action":"info"}"#);
        assert_eq!(status, 200);
        assert_eq!(info["type"], "local_fs");
    }

    #[test]
    fn the_parsers_words_never_reach_the_writer() {
        let (_dir, tree) = site();
        let not_json = i18n::cms_not_json();
        let no_action = i18n::cms_no_action();
        for (body, said) in [
            ("x", &not_json),
            ("{x", &not_json),
            ("", &not_json),
            (r#"{"action":"info""#, &not_json),
            (r#"{"params":{}}"#, &no_action),
            (r#"{"action":3}"#, &no_action),
            ("[1]", &no_action),
        ] {
            let (status, error) = call(&tree, body);
            assert_eq!(status, 422, "{body}");
            assert_eq!(error["error"], **said, "{body}");
        }
        let (status, error) = call(
            &tree,
            r#"{"action":"persistMedia","params":{"asset":{"path":"content/a.png","content":"***","encoding":"base64"}}}"#,
        );
        assert_eq!(status, 422);
        assert_eq!(error["error"], *i18n::cms_bad_picture("content/a.png"));
        for english in ["expected", "line 1", "missing field", "invalid", "Invalid"] {
            for body in ["{x", r#"{"action":"getEntry","params":{}}"#] {
                let (_, error) = call(&tree, body);
                let error = error["error"].as_str().unwrap();
                assert!(!error.contains(english), "{error}");
            }
        }
    }

    #[test]
    fn a_page_text_has_its_own_smaller_cap() {
        let (dir, tree) = site();
        let save = |len: usize| {
            let front = "---\ntitle: x\n---\n";
            let raw = format!("{front}{}", "a".repeat(len - front.len()));
            assert_eq!(raw.len(), len);
            let json = format!(
                r#"{{"action":"persistEntry","params":{{"dataFiles":[{{"path":"content/temoignages/long.md","raw":{}}}],"assets":[]}}}}"#,
                serde_json::to_string(&raw).unwrap()
            );
            call(&tree, &json)
        };
        let (status, error) = save(MAX_PAGE + 1);
        assert_eq!(status, 413);
        assert_eq!(
            error["error"],
            *i18n::cms_page_too_large("content/temoignages/long.md", 1024_usize)
        );
        assert!(!dir.path().join("content/temoignages/long.md").exists());
        assert_eq!(save(MAX_PAGE).0, 200);
        assert!(dir.path().join("content/temoignages/long.md").is_file());
    }

    #[test]
    fn a_folder_is_never_reported_deleted() {
        let (dir, tree) = site();
        for (json, folder) in [
            (
                r#"{"action":"deleteFile","params":{"path":"content/temoignages/julien"}}"#,
                "content/temoignages/julien",
            ),
            (
                r#"{"action":"deleteFiles","params":{"paths":["content/temoignages/lea.md","content/temoignages/julien/"]}}"#,
                "content/temoignages/julien/",
            ),
        ] {
            let (status, error) = call(&tree, json);
            assert_eq!(status, 403, "{json}");
            assert_eq!(error["error"], *i18n::cms_delete_folder(folder));
        }
        assert!(dir
            .path()
            .join("content/temoignages/julien/index.md")
            .is_file());
        assert!(
            dir.path().join("content/temoignages/lea.md").is_file(),
            "nothing deleted"
        );
        // A file already gone is still fine.
        let (status, _) = call(
            &tree,
            r#"{"action":"deleteFile","params":{"path":"content/temoignages/parti.md"}}"#,
        );
        assert_eq!(status, 200);
    }
}
