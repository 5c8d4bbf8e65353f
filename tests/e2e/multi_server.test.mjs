// One person, one OAuth login, several MCP clients: four servers started at the same moment
// share one rotating refresh token (the fake kills each refresh token the moment it is used).
// All four must serve, a fifth started afterwards must serve too, and when Notion expires the
// access tokens every server renews its own, in turn, without logging the person out.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {cleanup, resultText, startClient, startFake} from '../integration/helpers.mjs';

import {configureOAuth, configureProvider, filesWithSecrets, leaks, makeWorld, oauthCounters,
        oauthLogin, runCli, worldEnv} from './e2e_helpers.mjs';

after(cleanup);

let fake;
before(async () => {
  fake = await startFake();
  await configureProvider(fake);
});

async function getSelf(server) {
  const result = await server.client.callTool({name: 'get_self', arguments: {}});
  assert.equal(result.isError, undefined, `${resultText(result)}\n${server.stderr()}`);
  assert.match(resultText(result), /Acme Demo Integration/);
}

test('four servers at once and a fifth later all serve with one rotating refresh token',
     async () => {
       const world = makeWorld();
       const file = path.join(world.creds, 'shared.bin');
       const login = await oauthLogin(world, fake, {extraArgs: ['--credentials-file', file]});
       assert.equal(login.code, 0, login.stderr);
       const before = await oauthCounters(fake);

       const serve = () => startClient({
         args: ['serve', '--credentials-file', file, '--credentials-key-file', `${file}.key`],
         env: worldEnv(world, fake),
       });
       const servers = await Promise.all([serve(), serve(), serve(), serve()]);
       await Promise.all(servers.map(getSelf));
       const fifth = await serve();
       await getSelf(fifth);
       servers.push(fifth);

       let counters = await oauthCounters(fake);
       assert.equal(counters.refreshes - before.refreshes, 5, 'one refresh per server');
       assert.equal(counters.refresh_failures, before.refresh_failures, 'no refresh was refused');
       assert.equal(counters.live_refresh_tokens - before.live_refresh_tokens, 0,
                    'exactly the stored refresh token is alive');

       // Notion expires the access tokens: each server is refused once, renews, and carries on.
       await configureOAuth(fake, {expire_access_tokens: true});
       await Promise.all(servers.map(getSelf));
       counters = await oauthCounters(fake);
       assert.equal(counters.refreshes - before.refreshes, 10);
       assert.equal(counters.refresh_failures, before.refresh_failures);

       for (const server of servers) {
         const {code} = await server.close();
         assert.equal(code, 0, server.stderr());
         assert.deepEqual(leaks(server.stderr()), [], 'stderr leaked a secret');
         assert.deepEqual(leaks(JSON.stringify(server.messages)), [], 'an MCP message leaked');
         assert.deepEqual(leaks(JSON.stringify(server.sent)), []);
       }
       assert.deepEqual(leaks(login.stdout + login.stderr), []);
       assert.deepEqual(filesWithSecrets([world.root], {except: [file]}), []);
     });

test('without the sandbox (--sandbox off) the login serves and renews the same way', async () => {
  const world = makeWorld();
  const file = path.join(world.creds, 'unsandboxed.bin');
  const login = await oauthLogin(world, fake, {extraArgs: ['--credentials-file', file]});
  assert.equal(login.code, 0, login.stderr);
  const server = await startClient({
    args: ['serve', '--sandbox', 'off', '--credentials-file', file, '--credentials-key-file',
           `${file}.key`],
    env: worldEnv(world, fake),
  });
  await getSelf(server);
  const before = await oauthCounters(fake);
  await configureOAuth(fake, {expire_access_tokens: true});
  await getSelf(server);
  assert.equal((await oauthCounters(fake)).refreshes, before.refreshes + 1);
  await server.close();
  assert.deepEqual(leaks(server.stderr() + JSON.stringify(server.messages)), []);
});

test('a login that Notion no longer accepts: the server says to log in again, nothing deleted',
     async () => {
       const world = makeWorld();
       const file = path.join(world.creds, 'dead.bin');
       const login = await oauthLogin(world, fake, {extraArgs: ['--credentials-file', file]});
       assert.equal(login.code, 0, login.stderr);
       await configureOAuth(fake, {revoke_all: true});
       const stored = fs.readFileSync(file);
       const server = await startClient({
         args: ['serve', '--credentials-file', file, '--credentials-key-file', `${file}.key`],
         env: worldEnv(world, fake),
       });
       const result = await server.client.callTool({name: 'get_self', arguments: {}});
       assert.equal(result.isError, true);
       assert.match(resultText(result), /notion-mcp login/);
       assert.match(server.stderr(), /invalid_grant/);
       await server.close();
       // Still there and unchanged (the same refresh token): the person decides what to do.
       assert.ok(fs.readFileSync(file).equals(stored), 'the credentials file was rewritten');
       const status = await runCli(
           ['status', '--offline', '--credentials-file', file, '--credentials-key-file',
            `${file}.key`],
           {env: worldEnv(world, fake)}).done;
       assert.equal(status.code, 0, status.stderr);
       assert.match(status.stdout, /Credential: OAuth login/);
       assert.deepEqual(leaks(server.stderr() + JSON.stringify(server.messages)), []);
     });
