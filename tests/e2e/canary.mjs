// The secret canary for the end-to-end tests. Every secret they use (the OAuth client secret,
// the integration token, the tokens the fake issues) starts with one random marker made per
// run, shaped unlike any Notion token, so the redactor does not mask it: wherever the marker
// shows up, a secret really leaked. `setup` makes the marker (ctest fixture, first);
// `scan` (ctest fixture cleanup, last) searches the ctest logs and everything the tests left
// under the canary directory, then removes that directory.
//   node canary.mjs setup            (E2E_CANARY_DIR names the directory)
//   node canary.mjs scan LOG_DIR...
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const DIR = process.env.E2E_CANARY_DIR || '';
const FILE = DIR ? path.join(DIR, 'canary.json') : '';

function randomText(bytes) {
  return crypto.randomBytes(bytes).toString('hex');
}

function loadMarker() {
  if (FILE && fs.existsSync(FILE)) return JSON.parse(fs.readFileSync(FILE, 'utf8')).marker;
  return `cnry${randomText(8)}`;  // run by hand: a marker of this process only
}

// The run's marker: part of every canary below, and what `scan` looks for.
export const MARKER = loadMarker();

// A fresh secret for `label` ("client-secret", "token", ...), e.g. cnry1a2b…-token-9f8e….
export function canary(label) {
  return `${MARKER}-${label}-${randomText(20)}`;
}

// The directory the tests' worlds go to so that `scan` sees them ('' when run by hand).
export const WORLDS_DIR = DIR ? path.join(DIR, 'worlds') : '';

// Every file under `dirs` whose bytes contain `marker`: "path (N times)".
export function filesWithMarker(dirs, marker = MARKER) {
  const hits = [];
  const needle = Buffer.from(marker);
  const walk = (dir, depth) => {
    if (depth > 40) return;  // bounded: no symlink loops are followed, and trees are shallow
    let entries = [];
    try {
      entries = fs.readdirSync(dir, {withFileTypes: true});
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (full === FILE) continue;
      if (entry.isDirectory()) {
        walk(full, depth + 1);
      } else if (entry.isFile()) {
        let bytes;
        try {
          bytes = fs.readFileSync(full);
        } catch {
          continue;
        }
        let count = 0;
        for (let at = bytes.indexOf(needle); at >= 0 && count < 1000;
             at = bytes.indexOf(needle, at + 1)) {
          ++count;
        }
        if (count) hits.push(`${full} (${count} times)`);
      }
    }
  };
  for (const dir of dirs) walk(dir, 0);
  return hits;
}

function setup() {
  if (!DIR) throw new Error('E2E_CANARY_DIR must name the canary directory');
  fs.rmSync(DIR, {recursive: true, force: true});
  fs.mkdirSync(path.join(DIR, 'tmp'), {recursive: true, mode: 0o700});
  fs.mkdirSync(WORLDS_DIR, {recursive: true, mode: 0o700});
  const marker = `cnry${randomText(8)}`;
  fs.writeFileSync(FILE, JSON.stringify({marker}), {mode: 0o600});
  console.log(`canary set up in ${DIR} (the marker itself is not printed)`);
}

function scan(logDirs) {
  if (!FILE || !fs.existsSync(FILE)) throw new Error(`no canary was set up in ${DIR}`);
  const hits = filesWithMarker([DIR, ...logDirs]);
  if (hits.length) {
    console.error(`The secret canary leaked into ${hits.length} file(s):`);
    for (const hit of hits) console.error(`  ${hit}`);
    console.error(`Kept ${DIR} for inspection.`);
    process.exit(1);
  }
  console.log(`No canary in ${[DIR, ...logDirs].join(', ')}.`);
  fs.rmSync(DIR, {recursive: true, force: true});
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'setup') {
    setup();
  } else if (command === 'scan') {
    scan(rest);
  } else {
    console.error('usage: node canary.mjs setup | scan LOG_DIR...');
    process.exit(2);
  }
}
