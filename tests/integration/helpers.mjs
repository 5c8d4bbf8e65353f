// Shared harness for the integration tests: start notion-mcp through the official MCP SDK or on
// the raw wire, start the TLS fake Notion, and make sure every child dies when a test file ends.
// Every wait here is bounded, so a hung server fails a test instead of hanging ctest.
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';

export const BIN = process.env.NOTION_MCP_BIN;
export const FAKE_BIN = process.env.FAKE_NOTION_BIN;
if (!BIN) throw new Error('NOTION_MCP_BIN must name the notion-mcp binary (ctest sets it).');

export const READ_TOOLS = [
  'search',
  'get_page',
  'get_blocks',
  'get_database',
  'get_data_source',
  'query_data_source',
  'list_comments',
  'list_users',
  'get_user',
  'get_self',
];
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'];
export const LATEST_PROTOCOL_VERSION = '2025-11-25';
// A token-shaped canary: it must never show up in anything the server writes.
export const CANARY_TOKEN = 'ntn_integcanary0123456789abcdefghijklmnopqrstuvwx';

// Children and temp dirs of this test file; cleanup() kills and removes whatever is left.
const children = new Set();
const tempDirs = new Set();

export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function cleanup() {
  const waits = [];
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      waits.push(once(child, 'exit').catch(() => {}));
      child.kill('SIGKILL');
    }
  }
  await withTimeout(Promise.all(waits), 5000, 'children to die after SIGKILL').catch(() => {});
  children.clear();
  for (const dir of tempDirs) fs.rmSync(dir, {recursive: true, force: true});
  tempDirs.clear();
}

export function makeTempDir(prefix = 'notion-mcp-integ-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Rejects with a message naming what we were waiting for when `ms` passes first.
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Resolves with {code, signal, at} when the child exits (at = performance.now() of 'exit').
function exitPromise(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({code: child.exitCode, signal: child.signalCode, at: performance.now()});
      return;
    }
    child.once('exit', (code, signal) => resolve({code, signal, at: performance.now()}));
  });
}

function baseEnv(extra) {
  // Only what the server needs: a stray NOTION_TOKEN from the developer's shell must not leak in.
  const env = {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp'};
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value !== undefined) env[key] = value;
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// The server through the official SDK client.

// Starts notion-mcp with the SDK's StdioClientTransport and runs initialize.
// Returns { client, transport, child, messages, sent, stderr(), exited, close() }; `messages`
// records every message the server sent and `sent` every message to it, in order, so tests can
// check for late or stray responses.
export async function startClient({
  args = ['serve', '--demo'],
  env = {},
  clientName = 'notion-mcp-integration',
  capabilities = {},
} = {}) {
  const transport = new StdioClientTransport({
    command: BIN,
    args,
    env: baseEnv(env),
    stderr: 'pipe',
  });
  let stderrText = '';
  transport.stderr.on('data', (chunk) => {
    stderrText += chunk.toString('utf8');
  });
  const client = new Client({name: clientName, version: '1.0.0'}, {capabilities});
  const protocolErrors = [];
  client.onerror = (error) => protocolErrors.push(error);

  // Record every message in both directions (start() is called by connect()).
  const messages = [];
  const sent = [];
  const originalSend = transport.send.bind(transport);
  transport.send = (message, options) => {
    sent.push(message);
    return originalSend(message, options);
  };
  const originalStart = transport.start.bind(transport);
  let child;
  transport.start = async () => {
    await originalStart();
    child = track(transport._process);
    const onmessage = transport.onmessage;
    transport.onmessage = (message, extra) => {
      messages.push(message);
      onmessage?.(message, extra);
    };
  };

  try {
    await withTimeout(client.connect(transport), 10000, 'initialize through the SDK');
  } catch (error) {
    await transport.close().catch(() => {});
    throw new Error(`${error.message}\nserver stderr:\n${stderrText}`);
  }
  const exited = exitPromise(child);
  return {
    client,
    transport,
    child,
    messages,
    sent,
    protocolErrors,
    exited,
    stderr: () => stderrText,
    // Closes stdin and waits for a clean exit; returns {code, signal}.
    async close() {
      await withTimeout(client.close(), 5000, 'the SDK client to close');
      return withTimeout(exited, 5000, 'the server to exit after stdin closed');
    },
  };
}

// Every tool from tools/list, following nextCursor. Also returns the serialized size of all pages.
export async function listAllTools(client) {
  const tools = [];
  let cursor;
  let bytes = 0;
  for (let page = 0; page < 50; page++) {
    const result = await withTimeout(
        client.listTools(cursor === undefined ? {} : {cursor}), 5000, 'tools/list');
    bytes += Buffer.byteLength(JSON.stringify(result));
    tools.push(...result.tools);
    if (!result.nextCursor) {
      // listTools caches output validators of the last page only; give the SDK all of them.
      client.cacheToolMetadata(tools);
      return {tools, bytes};
    }
    cursor = result.nextCursor;
  }
  throw new Error('tools/list kept returning nextCursor after 50 pages');
}

// The text of a tool result's content blocks, joined.
export function resultText(result) {
  return (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Finding real ids in results: walk any JSON and collect ids by the kind of object they name.

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const KINDS = ['page', 'database', 'data_source', 'user', 'block', 'comment'];
const REFERENCE =
    /^(page|database|data_source|block|user) ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

// Ids come as Notion objects ({object, id}), as our flattened results ({type, id}, with users
// typed person/bot), as *_id fields, and as "kind <id>" references such as a parent.
export function collectIds(value, found = emptyIds()) {
  const add = (kind, id) => {
    if (typeof id === 'string' && UUID.test(id) && found[kind] && !found[kind].includes(id)) {
      found[kind].push(id);
    }
  };
  const walk = (node) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (typeof node === 'string') {
      const m = REFERENCE.exec(node);
      if (m) add(m[1], m[2]);
      return;
    }
    if (!node || typeof node !== 'object') return;
    if (KINDS.includes(node.object))
      add(node.object, node.id);
    else if (KINDS.includes(node.type))
      add(node.type, node.id);
    else if (node.type === 'person' || node.type === 'bot')
      add('user', node.id);
    for (const [key, child] of Object.entries(node)) {
      const m = /^(page|database|data_source|user|block|comment)_id$/.exec(key);
      if (m) add(m[1], child);
      if (key === 'data_sources' && Array.isArray(child)) {
        for (const ds of child)
          if (ds && typeof ds === 'object') add('data_source', ds.id);
      }
      walk(child);
    }
  };
  walk(value);
  return found;
}

// Every search result, following next_cursor (bounded). `callTool(args)` returns a tool result.
export async function searchAll(callTool, baseArgs = {}) {
  const results = [];
  let cursor;
  for (let page = 0; page < 50; page++) {
    const result = await callTool(cursor ? {...baseArgs, start_cursor: cursor} : baseArgs);
    if (result.isError) throw new Error(`search failed: ${JSON.stringify(result.content)}`);
    results.push(...(result.structuredContent?.results ?? []));
    cursor = result.structuredContent?.next_cursor;
    if (!cursor) return results;
  }
  throw new Error('search kept returning next_cursor after 50 pages');
}

function emptyIds() {
  return {page: [], database: [], data_source: [], user: [], block: [], comment: []};
}

// The kind of id each read tool takes (null: needs none).
export const ID_KIND = {
  search: null,
  get_page: 'page',
  get_blocks: 'page',  // a page is a block: its children are the page's content
  get_database: 'database',
  get_data_source: 'data_source',
  query_data_source: 'data_source',
  list_comments: 'page',
  list_users: null,
  get_user: 'user',
  get_self: null,
};

// Arguments for `tool` built from its input schema: the id of the right kind goes into the
// required property that names an id or URL; other required properties are an error here, so a
// schema change shows up as a clear failure rather than a silent skip.
export function argsFor(tool, id) {
  const schema = tool.inputSchema ?? {};
  const args = {};
  for (const name of schema.required ?? []) {
    if (id !== undefined && /(^|_)(id|url)$|^(page|database|data_source|user|block)$/.test(name)) {
      args[name] = id;
    } else {
      throw new Error(
          `don't know how to fill required property ${name} of ${tool.name}: ` +
          JSON.stringify(schema));
    }
  }
  if (id !== undefined && Object.keys(args).length === 0) {
    throw new Error(`${tool.name} has no required id property: ${JSON.stringify(schema)}`);
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// The server on the raw wire: bytes in, lines out.

export class RawServer {
  // Spawns the binary with piped stdio; stdout is split into lines and each line parsed.
  static start({args = ['serve', '--demo'], env = {}, bin = BIN} = {}) {
    const child = track(spawn(bin, args, {env: baseEnv(env), stdio: ['pipe', 'pipe', 'pipe']}));
    return new RawServer(child);
  }

  constructor(child) {
    this.child = child;
    this.messages = [];  // parsed JSON values, in order
    this.badLines = [];  // stdout lines that are not JSON-RPC messages
    this.stderrText = '';
    this.nextId = 1000;
    this.waiters = new Set();
    this.exited = exitPromise(child);
    this.spawnError = null;
    child.on('error', (error) => {
      this.spawnError = error;
    });
    child.stdin.on('error', () => {});  // EPIPE after the server exits is a test's business
    let pending = Buffer.alloc(0);
    child.stdout.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      let newline;
      while ((newline = pending.indexOf(0x0a)) >= 0) {
        const line = pending.subarray(0, newline).toString('utf8');
        pending = pending.subarray(newline + 1);
        this.onLine(line);
      }
    });
    child.stdout.on('end', () => {
      if (pending.length) this.badLines.push(`(unterminated) ${pending.toString('utf8')}`);
    });
    child.stderr.on('data', (chunk) => {
      this.stderrText += chunk.toString('utf8');
    });
  }

  onLine(line) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      this.badLines.push(line);
      return;
    }
    if (!message || typeof message !== 'object' || Array.isArray(message) ||
        message.jsonrpc !== '2.0') {
      this.badLines.push(line);
    }
    this.messages.push(message);
    for (const waiter of this.waiters) waiter();
  }

  // Writes a message: an object is serialized, a string is sent as is, a Buffer as raw bytes.
  // A newline is appended unless `newline` is false.
  send(message, {newline = true} = {}) {
    let bytes;
    if (Buffer.isBuffer(message))
      bytes = message;
    else if (typeof message === 'string')
      bytes = Buffer.from(message, 'utf8');
    else
      bytes = Buffer.from(JSON.stringify(message), 'utf8');
    if (newline) bytes = Buffer.concat([bytes, Buffer.from('\n')]);
    this.child.stdin.write(bytes);
  }

  // Resolves with the first message at index >= from that satisfies pred.
  waitFor(pred, {timeout = 5000, from = 0, what = 'a matching message'} = {}) {
    const scan = () => {
      for (let i = from; i < this.messages.length; i++) {
        if (pred(this.messages[i])) return this.messages[i];
      }
      return undefined;
    };
    const found = scan();
    if (found !== undefined) return Promise.resolve(found);
    let waiter;
    const promise = new Promise((resolve) => {
      waiter = () => {
        const hit = scan();
        if (hit !== undefined) resolve(hit);
      };
      this.waiters.add(waiter);
    });
    return withTimeout(promise, timeout, `${what}; server stderr:\n${this.stderrText}`)
        .finally(() => this.waiters.delete(waiter));
  }

  responseTo(id, options = {}) {
    return this.waitFor(
        (m) => m.id === id && ('result' in m || 'error' in m),
        {what: `the response to id ${JSON.stringify(id)}`, ...options});
  }

  // Sends a request and waits for its response.
  async request(method, params, {id = this.nextId++, timeout = 5000} = {}) {
    const message = {jsonrpc: '2.0', id, method};
    if (params !== undefined) message.params = params;
    const from = this.messages.length;
    this.send(message);
    return this.responseTo(id, {timeout, from});
  }

  notify(method, params) {
    const message = {jsonrpc: '2.0', method};
    if (params !== undefined) message.params = params;
    this.send(message);
  }

  async initialize(protocolVersion = LATEST_PROTOCOL_VERSION) {
    const response = await this.request('initialize', {
      protocolVersion,
      capabilities: {},
      clientInfo: {name: 'raw-wire-test', version: '1.0.0'},
    });
    if (!response.result) {
      throw new Error(`initialize failed: ${JSON.stringify(response)}\n${this.stderrText}`);
    }
    this.notify('notifications/initialized');
    return response;
  }

  // Closes stdin and waits for the process to exit.
  async close(timeout = 5000) {
    this.child.stdin.end();
    return withTimeout(this.exited, timeout, 'the server to exit after stdin EOF');
  }
}

// ---------------------------------------------------------------------------------------------
// The TLS fake Notion (tests/fake_notion).

// Starts fake_notion with `args` (e.g. ['--rate-limit-every', '3']). Returns
// { url, port, caFile, token, stats(), config(obj), stop() }.
export async function startFake({args = [], token = CANARY_TOKEN} = {}) {
  if (!FAKE_BIN) throw new Error('FAKE_NOTION_BIN must name the fake_notion binary.');
  const dir = makeTempDir('fake-notion-');
  const caFile = path.join(dir, 'ca.pem');
  const child = track(spawn(
      FAKE_BIN, ['--ca-out', caFile, '--port', '0', '--token', token, ...args],
      {stdio: ['pipe', 'pipe', 'pipe']}));
  child.stdin.on('error', () => {});
  let stderrText = '';
  child.stderr.on('data', (chunk) => {
    stderrText += chunk.toString('utf8');
  });
  const exited = exitPromise(child);
  const port = await withTimeout(
      new Promise((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk.toString('utf8');
          const m = /^PORT (\d+)\s*$/m.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once(
            'exit',
            (code) =>
                reject(new Error(`fake_notion exited (${code}) before PORT:\n${stderrText}`)));
        child.once('error', reject);
      }),
      10000, 'fake_notion to print PORT');
  const ca = fs.readFileSync(caFile);

  const call = (method, urlPath, body) => withTimeout(
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = https.request(
            {
              host: '127.0.0.1',
              port,
              path: urlPath,
              method,
              ca,
              headers: {
                Authorization: `Bearer ${token}`,
                'Notion-Version': '2026-03-11',
                ...(payload ?
                        {'Content-Type': 'application/json', 'Content-Length': payload.length} :
                        {}),
              },
            },
            (res) => {
              let data = '';
              res.setEncoding('utf8');
              res.on('data', (d) => {
                data += d;
              });
              res.on('end', () => {
                if (res.statusCode >= 300) {
                  reject(new Error(`${method} ${urlPath} answered ${res.statusCode}: ${data}`));
                  return;
                }
                try {
                  resolve(data ? JSON.parse(data) : {});
                } catch (e) {
                  reject(e);
                }
              });
            });
        req.on('error', reject);
        if (payload) req.write(payload);
        req.end();
      }),
      5000, `fake_notion ${method} ${urlPath}`);

  return {
    port,
    caFile,
    token,
    url: `https://127.0.0.1:${port}`,
    stderr: () => stderrText,
    stats: () => call('GET', '/__fake/stats'),
    config: (changes) => call('POST', '/__fake/config', changes),
    // Environment for notion-mcp to talk to this fake.
    env: (extra = {}) => ({
      NOTION_TOKEN: token,
      NOTION_MCP_API_URL: `https://127.0.0.1:${port}`,
      NOTION_MCP_CA_FILE: caFile,
      ...extra,
    }),
    async stop() {
      child.stdin.end();
      child.kill('SIGTERM');
      await withTimeout(exited, 5000, 'fake_notion to exit').catch(() => child.kill('SIGKILL'));
    },
  };
}

// The number of 429 answers the fake sent, from GET /__fake/stats.
export function count429(stats) {
  const byStatus = stats?.by_status?.['429'] ?? 0;
  const counted = stats?.rate_limited ?? 0;
  if (byStatus !== counted) {
    throw new Error(`fake stats disagree about 429s: ${JSON.stringify(stats)}`);
  }
  return counted;
}
