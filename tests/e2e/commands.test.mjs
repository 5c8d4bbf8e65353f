// The other credential commands through the real binary, with the encrypted credentials file:
// `login --token` (checked with Notion, stored with the workspace name, never echoed),
// `status`, `credentials export` for a CI agent, and `logout` (revokes an OAuth login at
// Notion, then deletes it), each saying what it did and never printing a secret.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {cleanup, resultText, startClient, startFake} from '../integration/helpers.mjs';

import {CLIENT_ID, CLIENT_SECRET, configureOAuth, filesWithSecrets, leaks, makeWorld,
        oauthCounters, oauthLogin, runCli, worldEnv} from './e2e_helpers.mjs';

after(cleanup);

// The fake accepts exactly this bearer (besides tokens its OAuth provider issued).
const TOKEN = 'ntn_e2eC4n4ryIntegrationToken0123456789abcdefghij';

let fake;
before(async () => {
  fake = await startFake({token: TOKEN});
  await configureOAuth(fake, {client_id: CLIENT_ID, client_secret: CLIENT_SECRET});
});

function clean(label, outcome) {
  assert.deepEqual(leaks(outcome.stdout + outcome.stderr, [TOKEN]), [], `${label} leaked`);
}

test('login --token from stdin: checked, saved with the workspace name, then status and serve',
     async () => {
       const world = makeWorld();
       const file = path.join(world.creds, 'token.bin');
       const env = worldEnv(world, fake);
       const login = await runCli(['login', '--token', '--credentials-file', file],
                                  {env, input: `  ${TOKEN}\n`}).done;
       assert.equal(login.code, 0, login.stderr);
       assert.match(login.stdout,
                    /Logged in: the integration token for workspace "Acme Inc\. \(demo\)" is saved in encrypted file .*token\.bin \(profile default\)/);
       clean('login', login);
       assert.equal((fs.statSync(file).mode & 0o777), 0o600);
       assert.equal((fs.statSync(`${file}.key`).mode & 0o777), 0o600);

       const keyArgs = ['--credentials-file', file, '--credentials-key-file', `${file}.key`];
       const status = await runCli(['status', ...keyArgs], {env}).done;
       assert.equal(status.code, 0, status.stderr);
       assert.match(status.stdout, /Profile: +default/);
       assert.match(status.stdout, /Credential: integration token/);
       assert.match(status.stdout, /Store: +encrypted file/);
       assert.match(status.stdout, /Workspace: +Acme Inc\. \(demo\)/);
       assert.match(status.stdout, /Token: +works/);
       clean('status', status);

       const server = await startClient({args: ['serve', ...keyArgs], env});
       const result = await server.client.callTool({name: 'get_self', arguments: {}});
       assert.equal(result.isError, undefined, resultText(result));
       await server.close();
       assert.deepEqual(leaks(server.stderr() + JSON.stringify(server.messages), [TOKEN]), []);

       // A token Notion refuses is not stored.
       const other = path.join(world.creds, 'refused.bin');
       const refused = await runCli(['login', '--token', '--credentials-file', other], {
         env,
         input: 'ntn_e2eNotAcceptedToken0123456789abcdefghijklmn\n',
       }).done;
       assert.equal(refused.code, 1);
       assert.match(refused.stderr, /Notion did not accept the token/);
       assert.match(refused.stderr, /Nothing was stored/);
       assert.equal(fs.existsSync(other), false);
       clean('refused login', refused);

       // Empty input is a usage error, not a stored empty token.
       const empty = await runCli(['login', '--token', '--credentials-file', other],
                                  {env, input: '\n'}).done;
       assert.equal(empty.code, 2);
       assert.match(empty.stderr, /No input/);

       // NOTION_TOKEN wins over saved logins, and status says so.
       const fromEnv =
           await runCli(['status', ...keyArgs], {env: {...env, NOTION_TOKEN: TOKEN}}).done;
       assert.equal(fromEnv.code, 0, fromEnv.stderr);
       assert.match(fromEnv.stdout, /Store: +environment variable NOTION_TOKEN/);
       clean('status with NOTION_TOKEN', fromEnv);

       const logout = await runCli(['logout', ...keyArgs], {env}).done;
       assert.equal(logout.code, 0, logout.stderr);
       assert.match(logout.stdout, /cannot be revoked through the API/);
       assert.match(logout.stdout, /Deleted the saved credential from encrypted file/);
       const after = await runCli(['status', ...keyArgs], {env}).done;
       assert.equal(after.code, 1);
       assert.match(after.stdout, /Credential: none/);
       assert.deepEqual(filesWithSecrets([world.root], {secrets: [TOKEN], except: [file]}), []);
     });

test('credentials export writes an encrypted file and key for CI; logout revokes OAuth',
     async () => {
       const world = makeWorld();
       const file = path.join(world.creds, 'desk.bin');
       const login = await oauthLogin(world, fake, {extraArgs: ['--credentials-file', file]});
       assert.equal(login.code, 0, login.stderr);
       const env = worldEnv(world, fake);
       const source = ['--credentials-file', file, '--credentials-key-file', `${file}.key`];

       const ci = path.join(world.root, 'ci', 'notion.cred');
       fs.mkdirSync(path.dirname(ci), {mode: 0o700});
       // The source's key comes from the environment here; the export gets a key of its own.
       const exported = await runCli(
           ['credentials', 'export', '--to', ci, '--credentials-file', file],
           {env: {...env, NOTION_MCP_CREDENTIALS_KEY: fs.readFileSync(`${file}.key`, 'utf8')}})
                            .done;
       assert.equal(exported.code, 0, exported.stderr);
       assert.match(exported.stdout, /Exported the OAuth login of profile default/);
       assert.match(exported.stdout, /Its key was written to .*notion\.cred\.key/);
       assert.match(exported.stdout, /NOTION_MCP_CREDENTIALS_KEY="\$\(cat /);
       assert.match(exported.stdout, /LoadCredential=notion-mcp\.key:/);
       assert.match(exported.stderr, /shares its refresh token/);
       assert.equal((fs.statSync(ci).mode & 0o777), 0o600);
       assert.equal((fs.statSync(`${ci}.key`).mode & 0o777), 0o600);
       clean('export', exported);

       // An existing file is not overwritten blindly; with its key the profile is replaced.
       const refused = await runCli(['credentials', 'export', '--to', ci, ...source], {env}).done;
       assert.equal(refused.code, 2);
       assert.match(refused.stderr, /already exists/);
       const added = await runCli(
           ['credentials', 'export', '--to', ci, '--to-key-file', `${ci}.key`, ...source],
           {env}).done;
       assert.equal(added.code, 0, added.stderr);
       assert.match(added.stdout, /sealed with the key from the key file/);

       // The CI agent serves from the exported file with the key in the environment.
       const server = await startClient({
         args: ['serve', '--credentials-file', ci],
         env: {...env, NOTION_MCP_CREDENTIALS_KEY: fs.readFileSync(`${ci}.key`, 'utf8').trim()},
       });
       const result = await server.client.callTool({name: 'get_self', arguments: {}});
       assert.equal(result.isError, undefined, resultText(result));
       await server.close();
       assert.deepEqual(leaks(server.stderr() + JSON.stringify(server.messages)), []);

       // logout on the CI file: revoked at Notion, then deleted.
       const revocations = (await oauthCounters(fake)).revocations;
       const logout = await runCli(
           ['logout', '--credentials-file', ci, '--credentials-key-file', `${ci}.key`],
           {env}).done;
       assert.equal(logout.code, 0, logout.stderr);
       assert.match(logout.stdout, /Revoked the OAuth login at Notion\. Deleted the saved credential/);
       assert.equal((await oauthCounters(fake)).revocations, revocations + 1);
       clean('logout', logout);
       // Nothing left to do the second time.
       const again = await runCli(
           ['logout', '--credentials-file', ci, '--credentials-key-file', `${ci}.key`],
           {env}).done;
       assert.equal(again.code, 0);
       assert.match(again.stdout, /Nothing is saved/);

       assert.deepEqual(filesWithSecrets([world.root], {except: [file, ci]}), []);
     });
