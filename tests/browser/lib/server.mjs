// A tiny static file server for the built site: loopback only, random port,
// optional base path, `dir` -> `dir/` redirects, 404.html with status 404.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.wasm': 'application/wasm',
};

export const contentType = (file) =>
  TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';

/** "/", "stages", "/stages/" -> "/" or "/stages/". */
export function normalizeBasePath(base = '/') {
  const trimmed = base.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

async function statOrNull(file) {
  try {
    return await fs.stat(file);
  } catch {
    return null;
  }
}

/**
 * Serve `root` under `basePath` on 127.0.0.1:<random>.
 * Returns { origin, base, url(relFile), close() }.
 */
export async function startServer({ root, basePath = '/' }) {
  const rootDir = await fs.realpath(root);
  const base = normalizeBasePath(basePath);

  // Resolve a request path to a file inside rootDir, or null.
  async function resolve(rel) {
    const candidate = path.resolve(rootDir, `.${path.sep}${rel}`);
    const real = await fs.realpath(candidate).catch(() => null);
    if (!real) return { missing: true };
    const inside = path.relative(rootDir, real);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return { forbidden: true };
    return { file: real, stat: await statOrNull(real) };
  }

  async function send(req, res, status, file, headers = {}) {
    const body = await fs.readFile(file);
    res.writeHead(status, { 'Content-Type': contentType(file), 'Content-Length': body.length, 'Cache-Control': 'no-store', ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async function notFound(req, res) {
    const page = path.join(rootDir, '404.html');
    if (await statOrNull(page)) return send(req, res, 404, page);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('404 Not Found\n');
  }

  function plain(res, status, text) {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${text}\n`);
  }

  async function handle(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method Not Allowed');
    const url = new URL(req.url, 'http://localhost');
    if (`${url.pathname}/` === base) return redirect(res, base + url.search);
    if (!url.pathname.startsWith(base)) return notFound(req, res);
    let rel;
    try {
      rel = decodeURIComponent(url.pathname.slice(base.length));
    } catch {
      return plain(res, 400, 'Bad Request');
    }
    if (rel.includes('\0') || rel.split(/[\\/]/).includes('..')) return plain(res, 403, 'Forbidden');
    const found = await resolve(rel);
    if (found.forbidden) return plain(res, 403, 'Forbidden');
    if (found.missing || !found.stat) return notFound(req, res);
    if (found.stat.isDirectory()) {
      if (!url.pathname.endsWith('/')) return redirect(res, `${url.pathname}/${url.search}`);
      const index = path.join(found.file, 'index.html');
      return (await statOrNull(index)) ? send(req, res, 200, index) : notFound(req, res);
    }
    return send(req, res, 200, found.file);
  }

  function redirect(res, location) {
    res.writeHead(301, { Location: location });
    res.end();
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) plain(res, 500, `Internal Server Error: ${err.message}`);
      else res.destroy();
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    base,
    /** URL of a site file such as "a/index.html" -> "http://127.0.0.1:N/base/a/". */
    url: (relFile = '') => origin + base + relFile.replace(/(^|\/)index\.html$/, '$1'),
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}
