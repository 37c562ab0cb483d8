// Every HTML file passes the Nu Html Checker (vnu.jar, run once over all files).
import { test } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vnu from 'vnu-jar';
import { siteDir, htmlFiles } from './lib/site.mjs';

const java = process.env.JAVA || 'java';
const javaError = spawnSync(java, ['-version']).error;
// Skipped only when asked to (NO_HTML_VALIDITY=1); a missing java is a failure.
const skip = process.env.NO_HTML_VALIDITY === '1' ? 'NO_HTML_VALIDITY=1: the Nu Html Checker is not run' : false;

/** Run a command; resolve with { code, stdout, stderr }. */
function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => { out.stdout += d; });
    child.stderr.on('data', (d) => { out.stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ...out }));
  });
}

const where = (url) => {
  try {
    return path.relative(siteDir, fileURLToPath(url));
  } catch {
    return url ?? '?';
  }
};

test(`HTML validity: Nu Html Checker over ${htmlFiles.length} files`, {
  skip,
  timeout: 300_000,
}, async () => {
  if (javaError) {
    throw new Error(`cannot run ${java} (${javaError.message}): install a JRE (apt-get install -y default-jre-headless) ` +
      'to run the Nu Html Checker, or set NO_HTML_VALIDITY=1 to skip it');
  }
  const files = htmlFiles.map((f) => path.join(siteDir, f));
  const { code, stdout, stderr } = await run(java, ['-jar', String(vnu), '--errors-only', '--format', 'json', ...files]);
  let messages;
  try {
    ({ messages } = JSON.parse(stderr || stdout));
  } catch {
    throw new Error(`vnu exited with ${code} without JSON output:\n${stderr}${stdout}`);
  }
  const errors = messages.filter((m) => m.type !== 'info');
  if (errors.length) {
    const lines = errors.map((m) => `${where(m.url)}:${m.lastLine ?? m.firstLine ?? '?'}: ${m.message}`);
    throw new Error(`${errors.length} HTML error(s):\n  ${lines.join('\n  ')}`);
  }
  if (code !== 0) throw new Error(`vnu exited with ${code}:\n${stderr}${stdout}`);
});
