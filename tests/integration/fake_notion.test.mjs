// notion-mcp against tests/fake_notion over real TLS on loopback, with NOTION_TOKEN: the read
// tools, 429s that must never reach the model, 5xx and truncated bodies, a rejected token, the
// loopback-only API override, certificate checks, and cancellation of slow calls.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {performance} from 'node:perf_hooks';
import {after, describe, test} from 'node:test';

import {argsFor, CANARY_TOKEN, cleanup, collectIds, count429, listAllTools, RawServer, resultText, searchAll, sleep, startClient, startFake, withTimeout} from './helpers.mjs';

after(cleanup);

// Neither the server's stderr nor anything it sent may contain the token.
function assertNoSecret(server, token = CANARY_TOKEN) {
  assert.ok(!server.stderr().includes(token), 'the token appeared on stderr');
  assert.ok(
      !JSON.stringify(server.messages).includes(token), 'the token appeared in an MCP message');
}

async function call(client, name, args, options = {}) {
  return withTimeout(
      client.callTool({name, arguments: args}, undefined, {timeout: 60000, ...options}), 65000,
      `tools/call ${name}`);
}

function assertOk(result, what) {
  assert.notEqual(result.isError, true, `${what} failed: ${resultText(result)}`);
  assert.equal(typeof result.structuredContent, 'object', `${what} has no structuredContent`);
}

describe('over TLS against the fake Notion', () => {
  test('the read tools work with NOTION_TOKEN and the test CA', async () => {
    const fake = await startFake();
    const server = await startClient({args: ['serve'], env: fake.env()});
    const info = server.client.getServerVersion();
    assert.match(info.name, /^notion-mcp/);
    assert.doesNotMatch(`${info.name} ${info.title ?? ''}`, /demo/i, 'a real server says demo');
    const {tools} = await listAllTools(server.client);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));

    const self = await call(server.client, 'get_self', {});
    assertOk(self, 'get_self');
    const found = await call(server.client, 'search', argsFor(byName.search));
    assertOk(found, 'search');
    const ids = collectIds(found.structuredContent);
    assert.ok(ids.page.length > 0, `search over TLS found no pages: ${resultText(found)}`);
    const page = await call(server.client, 'get_page', argsFor(byName.get_page, ids.page[0]));
    assertOk(page, 'get_page');
    const users = await call(server.client, 'list_users', {});
    assertOk(users, 'list_users');
    for (const r of [self, found, page, users]) {
      assert.notEqual(r._meta?.['notion-mcp/demo'], true, 'a result from the fake is marked demo');
      assert.doesNotMatch(resultText(r), /^\[demo/i, 'a result from the fake is labelled demo');
    }

    const stats = await fake.stats();
    assert.ok(JSON.stringify(stats).match(/\d/), `fake stats look empty: ${JSON.stringify(stats)}`);
    assertNoSecret(server);
    const {code} = await server.close();
    assert.equal(code, 0, server.stderr());
    await fake.stop();
  });

  test('progress on a long page reaches the SDK onprogress callback', async () => {
    const fake = await startFake();
    const server = await startClient({args: ['serve', '--rate-limit', '200'], env: fake.env()});
    const {client} = server;
    const {tools} = await listAllTools(client);
    const byName = Object.fromEntries(tools.map((x) => [x.name, x]));
    const pages =
        collectIds(await searchAll((args) => call(client, 'search', args), argsFor(byName.search)))
            .page;
    // Find the page stored in parts: its get_page sends progress (seen in the wire log).
    let longPage;
    for (const pageId of pages) {
      const from = server.messages.length;
      await call(
          client, 'get_page', {...argsFor(byName.get_page, pageId), max_chars: 100000},
          {onprogress: () => {}});
      if (server.messages.slice(from).some((m) => m.method === 'notifications/progress')) {
        longPage = pageId;
        break;
      }
    }
    assert.ok(longPage, 'no page of the fake workspace made get_page report progress');
    // Spaced out by a slow fake, every progress notification reaches the callback in order.
    await fake.config({slow_ms: 40});
    const events = [];
    const r = await call(
        client, 'get_page', {...argsFor(byName.get_page, longPage), max_chars: 100000},
        {onprogress: (p) => events.push(p)});
    assertOk(r, 'get_page on the long page');
    assert.ok(events.length >= 2, `onprogress saw ${events.length} events`);
    for (let i = 1; i < events.length; i++) assert.ok(events[i].progress > events[i - 1].progress);
    assert.deepEqual(server.protocolErrors.map(String).filter((e) => !/unknown token/.test(e)), []);
    await server.close();
    await fake.stop();
  });

  test('every third request answered 429: 24 concurrent calls all succeed', async (t) => {
    const fake = await startFake({args: ['--rate-limit-every', '3', '--retry-after', '1']});
    const server = await startClient({args: ['serve'], env: fake.env()});
    const {tools} = await listAllTools(server.client);
    const byName = Object.fromEntries(tools.map((x) => [x.name, x]));
    const users = await call(server.client, 'list_users', {});
    const userId = collectIds(users.structuredContent).user[0];
    const plans = [
      ['get_self', {}],
      ['list_users', {}],
      ['search', argsFor(byName.search)],
      ['get_user', argsFor(byName.get_user, userId)],
    ];
    const start = performance.now();
    const results = await withTimeout(Promise.all(Array.from({length: 24}, (_, i) => {
      const [name, args] = plans[i % plans.length];
      return call(server.client, name, args).then((r) => ({name, r}));
    })), 120000, '24 calls under 429s');
    t.diagnostic(`24 calls with 429s took ${((performance.now() - start) / 1000).toFixed(1)} s`);
    for (const {name, r} of results) {
      assertOk(r, name);
      assert.doesNotMatch(
          resultText(r), /429|rate.?limit/i, `${name} mentions the rate limit to the model`);
    }
    const stats = await fake.stats();
    const sent429 = count429(stats);
    t.diagnostic(`fake stats: ${JSON.stringify(stats)}`);
    assert.ok(sent429 >= 5, `the fake sent only ${sent429} 429s: ${JSON.stringify(stats)}`);
    assertNoSecret(server);
    await server.close();
    await fake.stop();
  });

  test('5xx on GET is retried and truncated bodies never break the session', async () => {
    const fake = await startFake({args: ['--server-error-every', '2']});
    const server = await startClient({args: ['serve'], env: fake.env()});
    for (let i = 0; i < 6; i++)
      assertOk(await call(server.client, 'get_self', {}), `get_self #${i}`);
    const errorStats = await fake.stats();
    assert.ok(errorStats.server_errors >= 2, `the fake sent no 5xx: ${JSON.stringify(errorStats)}`);
    await server.close();
    await fake.stop();

    const truncating = await startFake({args: ['--truncate-every', '2']});
    const second = await startClient({args: ['serve'], env: truncating.env()});
    for (let i = 0; i < 6; i++) {
      const r = await call(second.client, 'get_self', {});
      if (r.isError) {
        assert.ok(resultText(r).length > 10, 'an error without an explanation');
        assert.doesNotMatch(resultText(r), /\{"object"/, 'a raw body reached the model');
      } else {
        assertOk(r, 'get_self');
      }
    }
    await withTimeout(second.client.ping(), 2000, 'ping after truncated bodies');
    const truncStats = await truncating.stats();
    assert.ok(
        truncStats.truncated >= 2, `the fake truncated nothing: ${JSON.stringify(truncStats)}`);
    assertNoSecret(second);
    const {code} = await second.close();
    assert.equal(code, 0);
    await truncating.stop();
  });

  test(
      'a rejected token (401) is an isError result that says to run notion-mcp login', async () => {
        const fake = await startFake();
        const wrongToken = 'ntn_wrongtoken0123456789abcdefghijklmnopqrstuvw';
        const server =
            await startClient({args: ['serve'], env: fake.env({NOTION_TOKEN: wrongToken})});
        const r = await call(server.client, 'get_self', {});
        assert.equal(r.isError, true, `a wrong token succeeded: ${resultText(r)}`);
        assert.match(resultText(r), /notion-mcp login/, `no login hint: ${resultText(r)}`);
        assertNoSecret(server, wrongToken);
        await server.close();
        await fake.stop();
      });

  test('a non-loopback NOTION_MCP_API_URL is refused at start', async () => {
    const fake = await startFake();
    for (const url
             of ['https://example.com', 'https://10.1.2.3:443', 'https://127.0.0.1.nip.io:8443',
                 `https://127.0.0.1:${fake.port}@example.com/`, 'https://localhost.example.com']) {
      const server = RawServer.start({args: ['serve'], env: fake.env({NOTION_MCP_API_URL: url})});
      const {code} = await withTimeout(server.exited, 5000, `the server to refuse ${url}`);
      assert.notEqual(code, 0, `${url} was accepted`);
      assert.match(
          server.stderrText, /NOTION_MCP_API_URL/, `stderr does not name the variable for ${url}`);
      assert.match(
          server.stderrText, /loopback|127\.0\.0\.1|localhost/i,
          `stderr does not say only loopback is allowed: ${server.stderrText}`);
      assert.equal(server.messages.length, 0, 'a refused server wrote to stdout');
    }
    await fake.stop();
  });

  test('certificates are verified: the fake is refused without its CA', async (t) => {
    // The system bundle is a real CA file that does not contain the fake's test CA.
    const system = '/etc/ssl/certs/ca-certificates.crt';
    if (!fs.existsSync(system)) {
      t.skip(`${system} is missing`);
      return;
    }
    const fake = await startFake();
    let server;
    try {
      server = await startClient({args: ['serve'], env: fake.env({NOTION_MCP_CA_FILE: system})});
    } catch (error) {
      assert.fail(`the server did not start with a valid but unrelated CA file: ${error}`);
    }
    const r = await call(server.client, 'get_self', {});
    assert.equal(r.isError, true, 'a call succeeded against a certificate nobody trusts');
    assert.match(
        resultText(r), /certificate|TLS|SSL|verify/i, `unclear TLS error: ${resultText(r)}`);
    assertNoSecret(server);
    await server.close();
    await fake.stop();
  });

  test(
      'cancelling a slow call sends notifications/cancelled; the server keeps serving',
      async (t) => {
        const slowMs = 2500;
        const fake = await startFake({args: ['--slow-ms', String(slowMs)]});
        const server = await startClient({args: ['serve'], env: fake.env()});
        const {client} = server;

        // A slow call does not block ping.
        const slow = call(client, 'get_self', {});
        await sleep(200);
        const pingStart = performance.now();
        await withTimeout(client.ping(), 1000, 'ping while a slow call is in flight');
        const pingMs = performance.now() - pingStart;
        t.diagnostic(`ping during a slow call: ${pingMs.toFixed(1)} ms`);
        assert.ok(pingMs < 250, `ping took ${pingMs.toFixed(1)} ms behind a slow call`);
        assertOk(await slow, 'the slow get_self');

        // Abort a slow call through the SDK.
        const controller = new AbortController();
        const aborted = call(client, 'get_self', {}, {signal: controller.signal});
        await sleep(300);
        const request = server.sent.filter((m) => m.method === 'tools/call').at(-1);
        controller.abort('test cancels');
        await assert.rejects(aborted);
        const cancelled = server.sent.find((m) => m.method === 'notifications/cancelled');
        assert.ok(cancelled, 'the SDK did not send notifications/cancelled');
        assert.equal(cancelled.params.requestId, request.id);

        // The HTTP transfer itself was aborted: the fake sees the connection hang up while it
        // still holds the reply back, long before the slow reply would have been written.
        let abandoned = 0;
        for (let waited = 0; waited < 1000 && abandoned === 0; waited += 20) {
          abandoned = (await fake.stats()).abandoned_replies;
          if (abandoned === 0) await sleep(20);
        }
        assert.equal(abandoned, 1, 'the cancelled call\'s HTTP request was not aborted');

        // The server keeps serving, and never answers the cancelled request.
        await withTimeout(client.ping(), 1000, 'ping after cancellation');
        const afterCancel = await call(client, 'list_users', {});
        assertOk(afterCancel, 'a call after the cancellation');
        await sleep(slowMs + 500);
        assert.ok(
            !server.messages.some((m) => m.id === request.id),
            'the server answered a cancelled request');
        assert.deepEqual(server.protocolErrors.map(String), []);
        const {code} = await server.close();
        assert.equal(code, 0);
        await fake.stop();
      });

  test('SIGTERM and stdin EOF exit within 100 ms even with a slow call in flight', async (t) => {
    const fake = await startFake({args: ['--slow-ms', '5000']});
    for (const [name, trigger] of [
             ['SIGTERM', (s) => s.child.kill('SIGTERM')], ['stdin EOF', (s) => s.child.stdin.end()],
             ['SIGINT', (s) => s.child.kill('SIGINT')]]) {
      const server = RawServer.start({args: ['serve'], env: fake.env()});
      await server.initialize();
      server.send({
        jsonrpc: '2.0',
        id: 'slow',
        method: 'tools/call',
        params: {name: 'get_self', arguments: {}}
      });
      await sleep(300);
      const start = performance.now();
      trigger(server);
      const {code, signal, at} = await withTimeout(server.exited, 5000, `exit on ${name}`);
      t.diagnostic(`${name} with a call in flight: exit after ${(at - start).toFixed(1)} ms`);
      assert.equal(signal, null);
      assert.equal(code, 0, server.stderrText);
      assert.ok(at - start < 100, `${name}: exit took ${(at - start).toFixed(1)} ms`);
      assert.deepEqual(server.badLines, []);
    }
    await fake.stop();
  });
});
