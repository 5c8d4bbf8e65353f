// Shared by the end-to-end login tests: a private set of directories per test (HOME, XDG dirs,
// credentials), `notion-mcp login` as a child, the browser's part (real headless Chromium, or a
// few HTTP requests), and the secret canary: no token, refresh token or client secret may show
// up in any output, MCP message or file outside the encrypted store and the keyring. The
// secrets are canaries (canary.mjs) the redactor does not recognise, so a check that finds
// none proves that nothing leaked, not merely that the redactor masked it.
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

import {BIN, makeTempDir, track, withTimeout} from '../integration/helpers.mjs';

import {canary, MARKER, WORLDS_DIR} from './canary.mjs';

export {canary};
export const CLIENT_ID = 'e2e-client-id';
// The client secret, and the prefix of every token the fake issues (configureProvider).
export const CLIENT_SECRET = canary('client-secret');
export const TOKEN_PREFIX = `${MARKER}-`;

// Anything shaped like a Notion credential (what the redactor masks).
const TOKEN_SHAPE = /\b(?:ntn|nrt|secret)_[A-Za-z0-9_-]{16,}/;

export function tokenShaped(text) {
  const match = TOKEN_SHAPE.exec(text);
  return match ? match[0] : null;
}

// The secrets (and token shapes) found in `text`, for assertion messages that do not print them.
export function leaks(text, secrets = []) {
  const found = [];
  if (text.includes(MARKER)) found.push('a canary secret of this run');
  for (const secret of secrets) {
    if (secret && text.includes(secret)) found.push(`a known secret (${secret.length} chars)`);
  }
  const shaped = tokenShaped(text);
  if (shaped) found.push(`a ${shaped.slice(0, 4)}… token-shaped string`);
  return found;
}

// Every file under `dirs` holding a secret or a token shape, except under `except` paths.
export function filesWithSecrets(dirs, {secrets = [], except = []} = {}) {
  const hits = [];
  const walk = (dir) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, {withFileTypes: true});
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (except.some((e) => full === e || full.startsWith(e + path.sep))) continue;
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile()) {
        let text;
        try {
          text = fs.readFileSync(full).toString('latin1');
        } catch {
          continue;
        }
        const found = leaks(text, secrets);
        if (found.length) hits.push(`${full}: ${found.join(', ')}`);
      }
    }
  };
  for (const dir of dirs) walk(dir);
  return hits;
}

// A private world for one test: HOME and XDG directories, nothing from the person's own.
// Under ctest the worlds are kept for the final canary scan (canary.mjs), which removes them.
export function makeWorld(prefix = 'notion-mcp-e2e-') {
  const root = WORLDS_DIR ? fs.mkdtempSync(path.join(WORLDS_DIR, prefix)) : makeTempDir(prefix);
  const dirs = {
    root,
    home: path.join(root, 'home'),
    run: path.join(root, 'run'),
    state: path.join(root, 'state'),
    config: path.join(root, 'config'),
    data: path.join(root, 'data'),
    creds: path.join(root, 'creds'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, {recursive: true, mode: 0o700});
  fs.chmodSync(dirs.run, 0o700);
  return dirs;
}

// Environment for notion-mcp in `world`, talking to `fake`; nothing leaks in from ours.
export function worldEnv(world, fake, extra = {}) {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: world.home,
    XDG_RUNTIME_DIR: world.run,
    XDG_STATE_HOME: world.state,
    XDG_CONFIG_HOME: world.config,
    XDG_DATA_HOME: world.data,
    NOTION_MCP_API_URL: fake.url,
    NOTION_MCP_CA_FILE: fake.caFile,
  };
  for (const name of ['DBUS_SESSION_BUS_ADDRESS']) {
    if (process.env[name]) env[name] = process.env[name];
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) {
      delete env[key];
    } else {
      env[key] = value;
    }
  }
  return env;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Runs notion-mcp with `args`; `input` goes to stdin (then it is closed). Resolves with
// {code, stdout, stderr}. `onStdout(text)` sees stdout as it arrives.
export function runCli(args, {env, input = '', timeout = 30000, onStdout} = {}) {
  const child = track(spawn(BIN, args, {env, stdio: ['pipe', 'pipe', 'pipe']}));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk.toString('utf8');
    onStdout?.(stdout);
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk.toString('utf8');
  });
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  const done = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({code, signal, stdout, stderr}));
  });
  return {child, done: withTimeout(done, timeout, `notion-mcp ${args[0]} to finish`)};
}

// Starts `notion-mcp login --no-browser ...` and resolves once it printed the authorize URL.
// Returns {url, done} (done: the command's outcome).
export async function startOAuthLogin(world, fake, {redirectPort, extraArgs = [], env = {}} = {}) {
  let gotUrl;
  const urlPrinted = new Promise((resolve) => {
    gotUrl = resolve;
  });
  const run = runCli(
      [
        'login', '--no-browser', '--client-id', CLIENT_ID, '--redirect-uri',
        `http://127.0.0.1:${redirectPort}/callback`, ...extraArgs
      ],
      {
        env: worldEnv(world, fake, {NOTION_MCP_CLIENT_SECRET: CLIENT_SECRET, ...env}),
        timeout: 120000,
        onStdout: (text) => {
          const line = text.split('\n')[0];
          if (text.includes('\n') && line.startsWith('https://')) gotUrl(line);
        },
      });
  const url = await Promise.race([
    withTimeout(urlPrinted, 15000, 'the authorize URL on stdout'),
    run.done.then((r) => {
      throw new Error(`login ended before printing the URL (${r.code}):\n${r.stderr}`);
    }),
  ]);
  return {url, done: run.done};
}

// The fake's OAuth provider for these tests: our client, canary tokens.
export function configureProvider(fake) {
  return configureOAuth(
      fake, {client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token_prefix: TOKEN_PREFIX});
}

// Configures the fake's OAuth provider (POST /__fake/oauth).
export function configureOAuth(fake, settings) {
  return request('POST', `${fake.url}/__fake/oauth`, {ca: fs.readFileSync(fake.caFile), body: settings})
      .then((r) => JSON.parse(r.body));
}

export async function oauthCounters(fake) {
  const r = await request('GET', `${fake.url}/__fake/oauth`, {ca: fs.readFileSync(fake.caFile)});
  return JSON.parse(r.body);
}

// One HTTP(S) request; resolves {status, headers, body}. Never follows redirects.
export function request(method, url, {ca, body} = {}) {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return withTimeout(
      new Promise((resolve, reject) => {
        const req = lib.request(
            target,
            {
              method,
              ca,
              headers: payload ? {'Content-Type': 'application/json',
                                  'Content-Length': payload.length} :
                                 {},
            },
            (res) => {
              let data = '';
              res.setEncoding('utf8');
              res.on('data', (d) => {
                data += d;
              });
              res.on('end', () => resolve({status: res.statusCode, headers: res.headers, body: data}));
            });
        req.on('error', reject);
        if (payload) req.write(payload);
        req.end();
      }),
      15000, `${method} ${url}`);
}

// The browser's part without a browser: the authorize request, then the redirect it answers.
export async function browse(url, fake) {
  const ca = fs.readFileSync(fake.caFile);
  const authorize = await request('GET', url, {ca});
  if (authorize.status !== 302) {
    throw new Error(`authorize answered ${authorize.status}: ${authorize.body}`);
  }
  return request('GET', authorize.headers.location);
}

// A full OAuth login into the store chosen by `extraArgs`, with the browser's part played by
// HTTP requests. Resolves with the login's outcome.
export async function oauthLogin(world, fake, {extraArgs = [], env = {}} = {}) {
  const redirectPort = await freePort();
  const login = await startOAuthLogin(world, fake, {redirectPort, extraArgs, env});
  const page = await browse(login.url, fake);
  const outcome = await login.done;
  return {...outcome, page};
}

export function findChromium() {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'});
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return null;
}

// Real headless Chromium on `url`. `mode`: {screenshot: file} or {dumpDom: true}. The TLS
// fake's certificate is trusted by the browser only (--ignore-certificate-errors); notion-mcp
// itself verifies it. Resolves {code, stdout, stderr}.
export function chromium(binary, url, world, mode) {
  const profile = fs.mkdtempSync(path.join(world.root, 'chromium-'));
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--ignore-certificate-errors', `--user-data-dir=${profile}`, '--window-size=800,600',
    ...(mode.screenshot ? [`--screenshot=${mode.screenshot}`] : ['--dump-dom']), url
  ];
  const child = track(spawn(binary, args, {
    env: {PATH: process.env.PATH, HOME: world.home, TMPDIR: world.root},
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c.toString('utf8');
  });
  child.stderr.on('data', (c) => {
    stderr += c.toString('utf8');
  });
  return withTimeout(
      new Promise((resolve) => child.once('exit', (code) => resolve({code, stdout, stderr}))),
      90000, 'headless Chromium');
}
