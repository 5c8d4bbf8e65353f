// The raw wire: bytes written to notion-mcp's stdin, lines read from its stdout. Every framing
// and JSON-RPC error case, the lifecycle rules, and a prompt clean exit on EOF and signals.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {after, afterEach, describe, test} from 'node:test';

import {argsFor, BIN, cleanup, collectIds, LATEST_PROTOCOL_VERSION, PROTOCOL_VERSIONS, RawServer, searchAll, sleep, withTimeout} from './helpers.mjs';

// The bar: exit within 100 ms of stdin EOF, SIGTERM or SIGINT.
const EXIT_BUDGET_MS = 100;

const started = [];
function startServer(options) {
  const server = RawServer.start(options);
  started.push(server);
  return server;
}

// Whatever a test did, stdout must have carried only JSON-RPC 2.0 messages, one per line.
afterEach(() => {
  for (const server of started.splice(0)) {
    assert.deepEqual(
        server.badLines, [], `stdout carried non-JSON-RPC lines; stderr:\n${server.stderrText}`);
  }
});
after(cleanup);

async function initialized(options) {
  const server = startServer(options);
  await server.initialize();
  return server;
}

// Asserts that `response` is a JSON-RPC error with one of `codes` and a non-empty message.
function assertError(response, codes, {id} = {}) {
  assert.ok(response.error, `expected an error, got ${JSON.stringify(response)}`);
  assert.ok('result' in response === false, 'an error response also has a result');
  codes = Array.isArray(codes) ? codes : [codes];
  assert.ok(
      codes.includes(response.error.code),
      `error code ${response.error.code} is not one of ${codes}: ${JSON.stringify(response)}`);
  assert.equal(typeof response.error.message, 'string');
  assert.ok(response.error.message.length > 0, 'error without a message');
  if (id !== undefined) assert.deepEqual(response.id, id);
}

// Sends a line and returns the first message that the server writes after it.
async function replyTo(server, line, what) {
  const from = server.messages.length;
  server.send(line);
  return server.waitFor(() => true, {from, what: `a reply to ${what}`});
}

// After an error case, the stream must still work: a ping gets its answer.
async function assertStillServing(server) {
  const pong = await server.request('ping');
  assert.deepEqual(pong.result, {}, `ping after the error: ${JSON.stringify(pong)}`);
}

// Asserts that nothing at all arrives before the ping that follows.
async function assertSilentThenPing(server) {
  const from = server.messages.length;
  const id = `silence-probe-${from}`;
  server.send({jsonrpc: '2.0', id, method: 'ping'});
  const first = await server.waitFor(() => true, {from, what: 'the ping answer'});
  assert.equal(first.id, id, `unexpected message before the ping answer: ${JSON.stringify(first)}`);
}

async function toolsByName(server) {
  const byName = {};
  let cursor;
  for (let page = 0; page < 50; page++) {
    const response = await server.request('tools/list', cursor ? {cursor} : {});
    assert.ok(response.result, JSON.stringify(response));
    for (const tool of response.result.tools) byName[tool.name] = tool;
    cursor = response.result.nextCursor;
    if (!cursor) return byName;
  }
  throw new Error('tools/list never ended');
}

describe('lifecycle', () => {
  for (const version of PROTOCOL_VERSIONS) {
    test(`initialize echoes the supported version ${version}`, async () => {
      const server = startServer();
      const response = await server.initialize(version);
      assert.equal(response.result.protocolVersion, version);
      assert.match(response.result.serverInfo.name, /^notion-mcp/);
      assert.ok(response.result.capabilities.tools, 'no tools capability');
      await assertStillServing(server);
    });
  }

  test('initialize without a protocolVersion is -32602; a proper one then works', async () => {
    const server = startServer();
    const bad = await server.request(
        'initialize', {capabilities: {}, clientInfo: {name: 'x', version: '1'}});
    assertError(bad, -32602);
    assert.match(bad.error.message, /protocolVersion/);
    const good = await server.initialize();
    assert.equal(good.result.protocolVersion, LATEST_PROTOCOL_VERSION);
  });

  test('initialize with an unsupported version answers 2025-11-25', async () => {
    const server = startServer();
    const response = await server.initialize('1999-01-01');
    assert.equal(response.result.protocolVersion, LATEST_PROTOCOL_VERSION);
  });

  test('before initialize: ping answers, other requests get an error, never silence', async () => {
    const server = startServer();
    await assertStillServing(server);
    // Methods the server serves get "not initialized" (-32002, as in LSP: MCP names no code);
    // a method it never serves is unknown (-32601) before initialize as after it.
    const cases = [
      ['tools/list', undefined, -32002],
      ['tools/call', {name: 'get_self', arguments: {}}, -32002],
      ['resources/list', undefined, -32002],
      ['resources/templates/list', undefined, -32002],
      ['resources/read', {uri: 'notion://page/x'}, -32002],
      ['logging/setLevel', {level: 'info'}, -32002],
      ['no/such/method', undefined, -32601],
      ['prompts/list', undefined, -32601],
    ];
    for (const [method, params, code] of cases) {
      const response = await server.request(method, params);
      assertError(response, code);
      assert.match(
          response.error.message, code === -32002 ? /initialize/ : /not found/i,
          `${method}: ${response.error.message}`);
    }
    // A notification before initialize gets no answer.
    server.notify('notifications/roots/list_changed');
    await assertSilentThenPing(server);
    // And initialize still works afterwards.
    const init = await server.initialize();
    assert.ok(init.result);
    const tools = await server.request('tools/list');
    assert.ok(tools.result?.tools?.length > 0);
  });

  test('ids are echoed exactly: 0, negative, string', async () => {
    const server = await initialized();
    for (const id of [0, -7, 'abc', '']) {
      const response = await server.request('ping', undefined, {id});
      assert.deepEqual(response.id, id);
      assert.deepEqual(response.result, {});
    }
  });

  test('serve is the default when stdin is not a terminal; --version and --help', async () => {
    const server =
        startServer({args: [], env: {NOTION_TOKEN: 'ntn_notarealtoken000000000000000000'}});
    const response = await server.initialize();
    assert.match(response.result.serverInfo.name, /^notion-mcp/);
    await server.close();

    const version = spawnSync(BIN, ['--version'], {encoding: 'utf8', timeout: 5000});
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /\d+\.\d+\.\d+/);
    const help = spawnSync(BIN, ['--help'], {encoding: 'utf8', timeout: 5000});
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /serve/);
    assert.match(help.stdout, /--demo/);
  });
});

describe('JSON-RPC errors', () => {
  test('an unknown method is -32601 with its id', async () => {
    const server = await initialized();
    assertError(await server.request('no/such/method', {}, {id: 41}), -32601, {id: 41});
    assertError(
        await server.request('resources/unknownThing', undefined, {id: 'x'}), -32601, {id: 'x'});
    await assertStillServing(server);
  });

  test('notifications get no answer, even unknown ones', async () => {
    const server = await initialized();
    server.notify('notifications/no_such_thing', {a: 1});
    server.notify('notifications/cancelled', {requestId: 987654, reason: 'not in flight'});
    server.notify('notifications/initialized');
    await assertSilentThenPing(server);
  });

  test('invalid JSON is -32700 with id null and the stream continues', async () => {
    const server = await initialized();
    const lines = [
      '{',
      'not json at all',
      '{"jsonrpc":"2.0","id":1,"method":}',
      '{"jsonrpc":"2.0","id":2,"method":"ping"} trailing',
      '{\'jsonrpc\':\'2.0\',\'id\':3,\'method\':\'ping\'}',
    ];
    for (const line of lines) {
      const reply = await replyTo(server, line, JSON.stringify(line));
      assertError(reply, -32700, {id: null});
    }
    await assertStillServing(server);
  });

  test('invalid UTF-8 is -32700 with id null and the stream continues', async () => {
    const server = await initialized();
    const prefix = Buffer.from('{"jsonrpc":"2.0","id":5,"method":"ping","params":{"s":"');
    const suffix = Buffer.from('"}}');
    const badSequences = [
      [0xff, 0xfe],        // never valid in UTF-8
      [0xc3, 0x28],        // a lead byte followed by ASCII
      [0xed, 0xa0, 0x80],  // an encoded UTF-16 surrogate
      [0xc0, 0xaf],        // an overlong encoding of '/'
      [0xe2, 0x82],        // truncated three-byte sequence
    ];
    for (const bytes of badSequences) {
      const reply = await replyTo(
          server, Buffer.concat([prefix, Buffer.from(bytes), suffix]),
          `invalid UTF-8 ${Buffer.from(bytes).toString('hex')}`);
      assertError(reply, -32700, {id: null});
    }
    // Valid multi-byte UTF-8 is fine and comes back intact.
    const ok = await server.request('ping', {_meta: {note: 'Grüße, 東京, 🚀'}});
    assert.deepEqual(ok.result, {});
    await assertStillServing(server);
  });

  test('a batch (JSON array) is -32600', async () => {
    const server = await initialized();
    const batch = JSON.stringify([
      {jsonrpc: '2.0', id: 61, method: 'ping'},
      {jsonrpc: '2.0', id: 62, method: 'ping'},
    ]);
    const reply = await replyTo(server, batch, 'a batch');
    assert.ok(!Array.isArray(reply), 'a batch was answered with a batch');
    assertError(reply, -32600, {id: null});
    // The requests inside were not executed.
    await assertSilentThenPing(server);
    const emptyBatch = await replyTo(server, '[]', 'an empty batch');
    assertError(emptyBatch, -32600, {id: null});
    await assertStillServing(server);
  });

  test('valid JSON that is not a request is -32600', async () => {
    const server = await initialized();
    for (const line
             of ['42', '"ping"', 'null', '{}', '{"jsonrpc":"2.0","id":71}',
                 '{"jsonrpc":"1.0","id":72,"method":"ping"}',
                 '{"jsonrpc":"2.0","id":73,"method":7}',
                 '{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}']) {
      const reply = await replyTo(server, line, line);
      assertError(reply, -32600);
      assert.ok(
          reply.id === null || typeof reply.id === 'number', `odd id in ${JSON.stringify(reply)}`);
    }
    await assertStillServing(server);
  });

  test('an unknown tool is -32602; bad arguments are an isError result', async () => {
    const server = await initialized();
    const unknown = await server.request('tools/call', {name: 'no_such_tool', arguments: {}});
    assertError(unknown, -32602);
    assert.match(unknown.error.message, /no_such_tool/);
    const noName = await server.request('tools/call', {arguments: {}});
    assertError(noName, -32602);
    const bad = await server.request('tools/call', {name: 'get_page', arguments: {}});
    assert.ok(bad.result, `bad arguments should be a result: ${JSON.stringify(bad)}`);
    assert.equal(bad.result.isError, true);
    assert.ok(bad.result.content?.[0]?.text?.length > 0, 'isError result without text');
    const notObject = await server.request('tools/call', {name: 'get_page', arguments: 'p'});
    assert.ok(
        notObject.error || notObject.result?.isError === true,
        `non-object arguments accepted: ${JSON.stringify(notObject)}`);
  });
});

describe('framing limits', () => {
  test(
      'a line over --max-message-bytes gets an error (id null), is discarded, and the stream continues',
      async () => {
        const server =
            await initialized({args: ['serve', '--demo', '--max-message-bytes', '1024']});
        const from = server.messages.length;
        // A request that would be valid, but too long: its id must not be answered.
        const long = JSON.stringify(
            {jsonrpc: '2.0', id: 'too-long', method: 'ping', params: {pad: 'x'.repeat(5000)}});
        // Sent in pieces, as a pipe would deliver it.
        for (let i = 0; i < long.length; i += 700)
          server.send(long.slice(i, i + 700), {newline: false});
        server.send('');
        const reply = await server.waitFor(() => true, {from, what: 'the oversized-line error'});
        assert.ok(reply.error, `expected an error, got ${JSON.stringify(reply)}`);
        assert.equal(reply.id, null);
        assert.match(reply.error.message, /1024|too (long|large|big)|exceed|limit/i);
        await assertStillServing(server);
        assert.ok(
            !server.messages.some((m) => m.id === 'too-long'),
            'the oversized request was executed');
        // A line just under the cap is fine.
        const fits = JSON.stringify(
            {jsonrpc: '2.0', id: 'fits', method: 'ping', params: {_meta: {pad: 'y'.repeat(900)}}});
        assert.ok(Buffer.byteLength(fits) < 1024);
        server.send(fits);
        assert.deepEqual((await server.responseTo('fits')).result, {});
      });

  test('the default cap is 4 MiB: a 3 MiB message works, a 5 MiB line does not', async () => {
    const server = await initialized();
    const big = await server.request(
        'ping', {_meta: {pad: 'a'.repeat(3 * 1024 * 1024)}}, {id: 'three-mib', timeout: 10000});
    assert.deepEqual(big.result, {});
    const from = server.messages.length;
    server.send(JSON.stringify({
      jsonrpc: '2.0',
      id: 'five-mib',
      method: 'ping',
      params: {pad: 'b'.repeat(5 * 1024 * 1024)}
    }));
    const reply =
        await server.waitFor(() => true, {from, what: 'the oversized-line error', timeout: 10000});
    assert.ok(reply.error, JSON.stringify(reply).slice(0, 300));
    assert.equal(reply.id, null);
    await assertStillServing(server);
    assert.ok(!server.messages.some((m) => m.id === 'five-mib'));
  });
});

describe('features on the wire', () => {
  test('tools/list pages with cursors; a bad cursor is -32602', async () => {
    const server = await initialized();
    const byName = await toolsByName(server);
    assert.ok(Object.keys(byName).length >= 10);
    const bad = await server.request('tools/list', {cursor: 'not-a-cursor-we-gave-out'});
    assertError(bad, -32602);
  });

  test(
      'a progressToken gets notifications/progress before the response on the long page',
      async () => {
        const server = await initialized();
        const byName = await toolsByName(server);
        const found = await searchAll(async (args) => {
          const response = await server.request('tools/call', {name: 'search', arguments: args});
          assert.ok(response.result, JSON.stringify(response));
          return response.result;
        }, argsFor(byName.search));
        const pages = collectIds(found).page;
        assert.ok(pages.length > 0, 'search found no pages');
        let seen = false;
        for (const pageId of pages) {
          const token = `tok-${pageId}`;
          const from = server.messages.length;
          const response = await server.request('tools/call', {
            name: 'get_page',
            arguments: argsFor(byName.get_page, pageId),
            _meta: {progressToken: token},
          });
          assert.ok(
              response.result && !response.result.isError, JSON.stringify(response).slice(0, 500));
          const end = server.messages.indexOf(response);
          const progress = server.messages.slice(from).filter(
              (m) => m.method === 'notifications/progress' && m.params?.progressToken === token);
          if (progress.length === 0) continue;
          seen = true;
          for (const note of progress) {
            assert.ok(server.messages.indexOf(note) < end, 'progress arrived after the response');
            assert.equal(typeof note.params.progress, 'number');
          }
          break;
        }
        assert.ok(seen, 'no get_page call on any demo page sent notifications/progress');
        // Without a token there is no progress.
        const from = server.messages.length;
        await server.request(
            'tools/call', {name: 'get_page', arguments: argsFor(byName.get_page, pages[0])});
        assert.ok(!server.messages.slice(from).some((m) => m.method === 'notifications/progress'));
      });

  test('logging/setLevel accepts MCP levels and refuses others with -32602', async () => {
    const server = await initialized();
    assert.deepEqual((await server.request('logging/setLevel', {level: 'debug'})).result, {});
    const call = await server.request('tools/call', {name: 'get_self', arguments: {}});
    assert.ok(call.result && !call.result.isError, JSON.stringify(call));
    const logs = server.messages.filter((m) => m.method === 'notifications/message');
    assert.ok(logs.length > 0, 'no notifications/message at level debug');
    for (const log of logs)
      assert.ok(typeof log.params?.level === 'string' && 'data' in log.params);
    assertError(await server.request('logging/setLevel', {level: 'loud'}), -32602);
  });
});

describe('shutdown', () => {
  // Measures from the event to the child's 'exit' event.
  async function timeExit(trigger) {
    const server = await initialized();
    await assertStillServing(server);
    const start = performance.now();
    trigger(server);
    const {code, signal, at} = await withTimeout(server.exited, 5000, 'exit');
    return {code, signal, ms: at - start, stderr: server.stderrText};
  }

  const triggers = {
    'stdin EOF': (s) => s.child.stdin.end(),
    SIGTERM: (s) => s.child.kill('SIGTERM'),
    SIGINT: (s) => s.child.kill('SIGINT'),
  };
  for (const [name, trigger] of Object.entries(triggers)) {
    test(`exit status 0 within ${EXIT_BUDGET_MS} ms of ${name}`, async (t) => {
      const times = [];
      for (let i = 0; i < 3; i++) {
        const {code, signal, ms, stderr} = await timeExit(trigger);
        assert.equal(signal, null, `killed by ${signal}`);
        assert.equal(code, 0, `exit status ${code}; stderr:\n${stderr}`);
        times.push(ms);
      }
      const best = Math.min(...times);
      const worst = Math.max(...times);
      t.diagnostic(`${name}: ${times.map((x) => x.toFixed(1)).join(', ')} ms`);
      assert.ok(
          worst < EXIT_BUDGET_MS,
          `exit took ${times.map((t) => t.toFixed(1))} ms (best ${best.toFixed(1)})`);
    });
  }

  test('a quick call sent just before EOF is still answered (scripted use)', async () => {
    const server = startServer();
    server.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: {name: 't', version: '1'}
      },
    });
    server.send(
        {jsonrpc: '2.0', id: 2, method: 'tools/call', params: {name: 'get_self', arguments: {}}});
    server.child.stdin.end();
    const {code} = await withTimeout(server.exited, 5000, 'exit');
    assert.equal(code, 0);
    const answer = server.messages.find((m) => m.id === 2);
    assert.ok(answer && answer.result, `no answer to the call: ${JSON.stringify(server.messages)}`);
    assert.equal(answer.result.structuredContent.type, 'bot');
  });

  test('EOF in the middle of a line still exits cleanly', async () => {
    const server = await initialized();
    server.send('{"jsonrpc":"2.0","id":1,', {newline: false});
    await sleep(20);
    const start = performance.now();
    server.child.stdin.end();
    const {code, at} = await withTimeout(server.exited, 5000, 'exit');
    assert.equal(code, 0);
    assert.ok(at - start < EXIT_BUDGET_MS, `exit took ${(at - start).toFixed(1)} ms`);
  });
});
