// The OAuth login kept in a real Secret Service (gnome-keyring in a private D-Bus session, set
// up by run_keyring_e2e.sh): login stores it there, a sandboxed server refreshes it after the
// broker has confined itself (Landlock + seccomp; D-Bus and the lock must still be reachable),
// status reads it, logout revokes it at Notion and deletes it from the keyring.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {cleanup, resultText, startClient, startFake} from '../integration/helpers.mjs';

import {configureOAuth, configureProvider, filesWithSecrets, leaks, makeWorld, oauthCounters,
        oauthLogin, runCli, worldEnv} from './e2e_helpers.mjs';

after(cleanup);

if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
  throw new Error('run this file through run_keyring_e2e.sh (it needs a private D-Bus session)');
}

let fake;
before(async () => {
  fake = await startFake();
  await configureProvider(fake);
});

test('an OAuth login in the keyring is refreshed by a confined broker, then logged out',
     async () => {
       const world = makeWorld();
       // The keyring's own files live in the session's XDG_DATA_HOME, set by the runner.
       const env = worldEnv(world, fake, {XDG_DATA_HOME: process.env.XDG_DATA_HOME});
       const login = await oauthLogin(world, fake, {env: {XDG_DATA_HOME: process.env.XDG_DATA_HOME}});
       assert.equal(login.code, 0, login.stderr);
       assert.match(login.stdout, /saved in Secret Service/);

       const status = await runCli(['status'], {env}).done;
       assert.equal(status.code, 0, status.stderr);
       assert.match(status.stdout, /Store: +Secret Service/);
       assert.match(status.stdout, /Token: +works/);

       const server = await startClient({args: ['serve', '--log-level', 'info'], env});
       let result = await server.client.callTool({name: 'get_self', arguments: {}});
       assert.equal(result.isError, undefined, `${resultText(result)}\n${server.stderr()}`);
       const before = await oauthCounters(fake);
       await configureOAuth(fake, {expire_access_tokens: true});
       result = await server.client.callTool({name: 'get_self', arguments: {}});
       assert.equal(result.isError, undefined, `${resultText(result)}\n${server.stderr()}`);
       assert.equal((await oauthCounters(fake)).refreshes, before.refreshes + 1);
       assert.match(server.stderr(), /landlock/);
       assert.match(server.stderr(), /renewed the access token/);
       await server.close();

       // The rotated refresh token was saved in the keyring: a later status still works.
       const again = await runCli(['status'], {env}).done;
       assert.equal(again.code, 0, again.stderr);
       assert.match(again.stdout, /Token: +works/);

       const logout = await runCli(['logout'], {env}).done;
       assert.equal(logout.code, 0, logout.stderr);
       assert.match(logout.stdout,
                    /Revoked the OAuth login at Notion\. Deleted the saved credential from Secret Service/);
       const gone = await runCli(['status'], {env}).done;
       assert.equal(gone.code, 1);
       assert.match(gone.stdout, /Credential: none/);

       for (const outcome of [login, status, again, logout, gone]) {
         assert.deepEqual(leaks(outcome.stdout + outcome.stderr), []);
       }
       assert.deepEqual(leaks(server.stderr() + JSON.stringify(server.messages)), []);
       const keyrings = path.join(process.env.XDG_DATA_HOME, 'keyrings');
       assert.deepEqual(filesWithSecrets([world.root, process.env.XDG_DATA_HOME], {except: [keyrings]}),
                        []);
       // The keyring's own files hold nothing in plain text either.
       assert.deepEqual(filesWithSecrets([keyrings]), []);
     });

// The four-plus-one servers of multi_server.test.mjs, with the login in the keyring: the
// rotated refresh token goes through the Secret Service (store, read back) under the lock.
test('four servers at once and a fifth later all serve from one keyring login', async () => {
  const world = makeWorld();
  const env = worldEnv(world, fake, {XDG_DATA_HOME: process.env.XDG_DATA_HOME});
  const login = await oauthLogin(world, fake, {
    extraArgs: ['--profile-name', 'shared'],
    env: {XDG_DATA_HOME: process.env.XDG_DATA_HOME},
  });
  assert.equal(login.code, 0, login.stderr);
  const before = await oauthCounters(fake);
  const serve = () => startClient({args: ['serve', '--profile-name', 'shared'], env});
  const getSelf = async (server) => {
    const result = await server.client.callTool({name: 'get_self', arguments: {}});
    assert.equal(result.isError, undefined, `${resultText(result)}\n${server.stderr()}`);
  };
  const servers = await Promise.all([serve(), serve(), serve(), serve()]);
  await Promise.all(servers.map(getSelf));
  const fifth = await serve();
  await getSelf(fifth);
  servers.push(fifth);
  const counters = await oauthCounters(fake);
  assert.equal(counters.refreshes - before.refreshes, 5, 'one refresh per server');
  assert.equal(counters.refresh_failures, before.refresh_failures, 'no refresh was refused');
  for (const server of servers) {
    await server.close();
    assert.deepEqual(leaks(server.stderr() + JSON.stringify(server.messages)), []);
  }
  const logout = await runCli(['logout', '--profile-name', 'shared'], {env}).done;
  assert.equal(logout.code, 0, logout.stderr);
  assert.deepEqual(leaks(login.stdout + login.stderr + logout.stdout + logout.stderr), []);
});
