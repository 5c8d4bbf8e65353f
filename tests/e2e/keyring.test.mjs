// The OAuth login kept in a real Secret Service (gnome-keyring in a private D-Bus session, set
// up by run_keyring_e2e.sh): login stores it there, a sandboxed server refreshes it after the
// broker has confined itself (Landlock + seccomp; D-Bus and the lock must still be reachable),
// status reads it, logout revokes it at Notion and deletes it from the keyring.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {cleanup, resultText, startClient, startFake} from '../integration/helpers.mjs';

import {CLIENT_ID, CLIENT_SECRET, configureOAuth, filesWithSecrets, leaks, makeWorld,
        oauthCounters, oauthLogin, runCli, worldEnv} from './e2e_helpers.mjs';

after(cleanup);

if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
  throw new Error('run this file through run_keyring_e2e.sh (it needs a private D-Bus session)');
}

let fake;
before(async () => {
  fake = await startFake();
  await configureOAuth(fake, {client_id: CLIENT_ID, client_secret: CLIENT_SECRET});
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
