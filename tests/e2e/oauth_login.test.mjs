// The whole OAuth login against the TLS fake, driven by a real headless Chromium: it follows
// the authorize redirect to the loopback listener and renders the success page; the saved
// login then serves. Plus the callbacks that must not log anyone in: a forged state, a
// denial, strays on other paths, a wrong client secret, and no answer at all.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';

import {cleanup, resultText, startClient, startFake} from '../integration/helpers.mjs';

import {browse, canary, chromium, CLIENT_ID, CLIENT_SECRET, configureOAuth, configureProvider,
        filesWithSecrets, findChromium, freePort, leaks, makeWorld, oauthCounters, request, runCli,
        startOAuthLogin, worldEnv} from './e2e_helpers.mjs';

after(cleanup);

const CHROMIUM = findChromium();
const needChromium = CHROMIUM ? false :
    process.env.CI === 'true' ? false :  // under CI a missing browser fails the test below
                                'chromium is not installed (packaging/install-deps.sh)';

let fake;
before(async () => {
  fake = await startFake();
  await configureProvider(fake);
});

function credentialsArgs(world) {
  return ['--credentials-file', path.join(world.creds, 'login.bin')];
}

function noSecretsIn(label, ...texts) {
  for (const text of texts) assert.deepEqual(leaks(text), [], `${label} leaked a secret`);
}

describe('OAuth login in a real browser', {skip: needChromium}, () => {
  test('Chromium follows the redirect, the success page renders, the login serves', async () => {
    assert.ok(CHROMIUM, 'chromium must be installed under CI');
    const world = makeWorld();
    const redirectPort = await freePort();
    const login =
        await startOAuthLogin(world, fake, {redirectPort, extraArgs: credentialsArgs(world)});
    assert.match(login.url, new RegExp(`^${fake.url}/v1/oauth/authorize\\?client_id=${CLIENT_ID}&`));
    for (const part of ['response_type=code', 'owner=user', 'code_challenge_method=S256',
                        `redirect_uri=http%3A%2F%2F127.0.0.1%3A${redirectPort}%2Fcallback`]) {
      assert.ok(login.url.includes(part), `the authorize URL has ${part}`);
    }

    // A stray request first (a browser's favicon, a port scanner): answered, login keeps waiting.
    const stray = await request('GET', `http://127.0.0.1:${redirectPort}/favicon.ico`);
    assert.equal(stray.status, 404);

    // The page the browser renders once the login is saved (the DOM after the redirect).
    const browser = await chromium(CHROMIUM, login.url, world, {dumpDom: true});
    assert.equal(browser.code, 0, `chromium failed:\n${browser.stderr.slice(-2000)}`);
    assert.match(browser.stdout, /<h1>notion-mcp: logged in<\/h1>/);
    assert.match(browser.stdout, /the login is saved/);
    noSecretsIn('the page', browser.stdout);

    const outcome = await login.done;
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /Logged in: the OAuth login for workspace "Fake OAuth Workspace"/);
    assert.match(outcome.stdout, /encrypted file .*login\.bin \(profile default\)/);
    assert.match(outcome.stderr, /Ignored a request for another path/);
    noSecretsIn('login', outcome.stdout, outcome.stderr);
    assert.equal((await oauthCounters(fake)).exchanges >= 1, true);

    // The saved login serves: the broker refreshes it and the worker calls Notion with it.
    const keyFile = path.join(world.creds, 'login.bin.key');
    const server = await startClient({
      args: ['serve', ...credentialsArgs(world), '--credentials-key-file', keyFile],
      env: worldEnv(world, fake),
    });
    const result = await server.client.callTool({name: 'get_self', arguments: {}});
    assert.equal(result.isError, undefined, resultText(result));
    assert.match(resultText(result), /Acme Demo Integration/);
    await server.close();
    noSecretsIn('server', server.stderr(), JSON.stringify(server.messages));

    const files = filesWithSecrets([world.root], {except: [path.join(world.creds, 'login.bin')]});
    assert.deepEqual(files, [], 'no secret in a file outside the encrypted store');
  });

  test('a denial in the browser shows "you declined" and stores nothing', async () => {
    const world = makeWorld();
    await configureOAuth(fake, {deny: true});
    try {
      const login = await startOAuthLogin(
          world, fake, {redirectPort: await freePort(), extraArgs: credentialsArgs(world)});
      const browser = await chromium(CHROMIUM, login.url, world, {dumpDom: true});
      assert.equal(browser.code, 0, browser.stderr.slice(-2000));
      assert.match(browser.stdout, /you declined/i);
      const outcome = await login.done;
      assert.equal(outcome.code, 1);
      assert.match(outcome.stderr, /You declined access in Notion, so nothing was stored/);
      assert.equal(fs.existsSync(path.join(world.creds, 'login.bin')), false);
    } finally {
      await configureOAuth(fake, {deny: false});
    }
  });
});

describe('callbacks that must not log anyone in', () => {
  test('a forged state gets an error page, a non-zero exit, and nothing is stored', async () => {
    const world = makeWorld();
    const redirectPort = await freePort();
    const login = await startOAuthLogin(world, fake, {redirectPort, extraArgs: credentialsArgs(world)});
    const forged = await request(
        'GET', `http://127.0.0.1:${redirectPort}/callback?code=stolen-code&state=forged-state`);
    assert.equal(forged.status, 400);
    assert.match(forged.body, /not valid/);
    assert.equal(forged.body.includes('stolen-code'), false, 'nothing reflected');
    assert.equal(forged.body.includes('forged-state'), false, 'nothing reflected');
    const outcome = await login.done;
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /does not belong to this login/);
    assert.equal(fs.existsSync(path.join(world.creds, 'login.bin')), false);
    // The listener is gone: the real redirect now finds nobody.
    await assert.rejects(request('GET', `http://127.0.0.1:${redirectPort}/callback`));
  });

  test('a wrong client secret: the exchange is refused, nothing stored, secret not shown',
       async () => {
         const world = makeWorld();
         const wrong = canary('wrong-client-secret');
         const login = await startOAuthLogin(world, fake, {
           redirectPort: await freePort(),
           extraArgs: credentialsArgs(world),
           env: {NOTION_MCP_CLIENT_SECRET: wrong},
         });
         // The browser is told the truth: the login failed (after the refused exchange).
         const page = await browse(login.url, fake);
         assert.equal(page.status, 500);
         assert.match(page.body, /the login failed/);
         assert.doesNotMatch(page.body, /logged in/i);
         const outcome = await login.done;
         assert.equal(outcome.code, 1);
         assert.match(outcome.stderr, /refused the client id or client secret/);
         assert.match(outcome.stderr, /Nothing was stored/);
         assert.deepEqual(leaks(outcome.stdout + outcome.stderr, [wrong]), []);
         assert.equal(fs.existsSync(path.join(world.creds, 'login.bin')), false);
       });

  test('no answer: the login times out with a clear message', async () => {
    const world = makeWorld();
    const started = Date.now();
    const login = await startOAuthLogin(world, fake, {
      redirectPort: await freePort(),
      extraArgs: [...credentialsArgs(world), '--timeout', '5'],
    });
    const outcome = await login.done;
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /No answer from Notion arrived within 5 seconds/);
    assert.ok(Date.now() - started < 20000);
  });

  test('a redirect URI that is not loopback http is refused before anything starts',
       async () => {
         const world = makeWorld();
         for (const uri of ['https://127.0.0.1:8787/callback', 'http://example.com:8787/cb',
                            'http://127.0.0.1/callback']) {
           const outcome = await runCli(
               ['login', '--client-id', CLIENT_ID, '--redirect-uri', uri, '--no-browser'],
               {env: worldEnv(world, fake, {NOTION_MCP_CLIENT_SECRET: CLIENT_SECRET})}).done;
           assert.equal(outcome.code, 2, uri);
           assert.match(outcome.stderr, /redirect URI/, uri);
           assert.equal(outcome.stdout, '', uri);
         }
       });

  test('without a client id the command says what to pass', async () => {
    const world = makeWorld();
    const outcome = await runCli(['login', '--no-browser'], {env: worldEnv(world, fake)}).done;
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /--client-id/);
  });
});
