// Where the site under test is, and which of its pages to visit.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const MAX_PAGES = 150;

/** Resolve a path given on the command line relative to where `npm` was run. */
export const fromInvocation = (p) => path.resolve(process.env.INIT_CWD || process.cwd(), p);

export const siteDir = process.env.SITE_DIR ? fromInvocation(process.env.SITE_DIR) : path.join(REPO, 'public');
export const basePath = process.env.BASE_PATH || '/';

if (!fs.existsSync(path.join(siteDir, 'index.html'))) {
  throw new Error(`No built site at ${siteDir} (index.html missing). Build it first ` +
    '(cargo run --release -- build) or set SITE_DIR to a built site.');
}

/** Every *.html file below `dir`, as sorted "a/b/index.html" paths. */
export function listHtml(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
    .sort();
}

/** At most `max` files, evenly spread, always keeping index.html and 404.html. */
export function sample(files, max = MAX_PAGES, must = ['index.html', '404.html']) {
  if (files.length <= max) return files;
  const keep = new Set(must.filter((f) => files.includes(f)));
  const rest = files.filter((f) => !keep.has(f));
  const room = max - keep.size;
  for (let i = 0; i < room; i++) keep.add(rest[Math.floor((i * rest.length) / room)]);
  return files.filter((f) => keep.has(f));
}

export const htmlFiles = listHtml(siteDir);
export const pages = sample(htmlFiles);
export const hasPage = (rel) => htmlFiles.includes(rel);

/** First "section/<slug>/index.html" (not a pagination page), or undefined. */
export const firstInSection = (section) =>
  htmlFiles.find((f) => {
    const parts = f.split('/');
    return parts.length === 3 && parts[0] === section && parts[1] !== 'page' && parts[2] === 'index.html';
  });
