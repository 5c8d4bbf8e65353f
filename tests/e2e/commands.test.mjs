// The other credential commands through the real binary, with the encrypted credentials file:
// `login --token` (checked with Notion, stored with the workspace name, never echoed),
// `status`, `credentials export` for a CI agent, and `logout` (revokes an OAuth login at
// Notion, then deletes it), each saying what it did and never printing a secret.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';

import {cleanup, resultText, startClient, startFake} from '../integration/helpers.mjs';

import {browse, canary, configureOAuth, configureProvider, filesWithSecrets, freePort, leaks, makeWorld,
        oauthCounters, oauthLogin, runCli, startOAuthLogin, worldEnv} from './e2e_helpers.mjs';

after(cleanup);

// The fake accepts exactly this bearer (besides tokens its OAuth provider issued).
const TOKEN = canary('integration-token');

let fake;
before(async () => {
  fake = await startFake({token: TOKEN});
  await configureProvider(fake);
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
         input: `${canary('refused-token')}\n`,
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
       // Like every credential command, export checks the profile name first.
       const badName = await runCli(
           ['credentials', 'export', '--to', `${ci}.other`, '--profile-name', '../x'], {env}).done;
       assert.equal(badName.code, 2, badName.stderr);
       assert.match(badName.stderr, /profile name is not valid/);
       assert.equal(fs.existsSync(`${ci}.other`), false);
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

// A closed loopback port: "Notion cannot be reached".
async function unreachable(env) {
  return {...env, NOTION_MCP_API_URL: `https://127.0.0.1:${await freePort()}`};
}

test('a token pasted as an argument is never echoed by the argument parser', async () => {
  const world = makeWorld();
  const env = worldEnv(world, fake);
  // One in Notion's shape (made now, never committed) and one of no known shape.
  const shaped = `ntn_${canary('argv').replace(/-/g, '')}`;
  for (const pasted of [shaped, canary('argv')]) {
    const outcome = await runCli(['login', '--token', pasted], {env}).done;
    assert.notEqual(outcome.code, 0);
    assert.match(outcome.stderr, /not expected/);
    assert.match(outcome.stderr, /Secrets never go on the command line/);
    assert.equal((outcome.stdout + outcome.stderr).includes(pasted), false, 'the argument leaked');
    clean('parse error', outcome);
  }
  // A short typo is still shown, so people can see what was wrong.
  const typo = await runCli(['status', 'extra'], {env}).done;
  assert.notEqual(typo.code, 0);
  assert.match(typo.stderr, /extra/);
  // --help is untouched.
  const help = await runCli(['login', '--help'], {env}).done;
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--client-id/);
});

test('login --token: only a 401 is "Notion did not accept the token"', async () => {
  const world = makeWorld();
  const file = path.join(world.creds, 'offline.bin');
  const outcome = await runCli(['login', '--token', '--credentials-file', file],
                               {env: await unreachable(worldEnv(world, fake)), input: `${TOKEN}\n`})
                      .done;
  assert.equal(outcome.code, 1);
  assert.match(outcome.stderr, /Could not check the token with Notion/);
  assert.doesNotMatch(outcome.stderr, /did not accept/);
  assert.equal(fs.existsSync(file), false);
  assert.equal(fs.existsSync(`${file}.key`), false, 'the key made for this login is gone again');
  clean('unreachable login', outcome);
});

test('two profiles in one credentials file refreshed in parallel lose no rotated token',
     async () => {
       const world = makeWorld();
       const file = path.join(world.creds, 'two.bin');
       const first = await oauthLogin(world, fake, {extraArgs: ['--credentials-file', file]});
       assert.equal(first.code, 0, first.stderr);
       const key = ['--credentials-file', file, '--credentials-key-file', `${file}.key`];
       const second =
           await oauthLogin(world, fake, {extraArgs: [...key, '--profile-name', 'second']});
       assert.equal(second.code, 0, second.stderr);
       const env = worldEnv(world, fake);
       const before = await oauthCounters(fake);
       // `status` refreshes (and saves the rotated token) each time, under its profile's lock.
       const loop = async (profile) => {
         const outcomes = [];
         for (let round = 0; round < 12; ++round) {
           outcomes.push(await runCli(['status', ...key, '--profile-name', profile], {env}).done);
         }
         return outcomes;
       };
       const results = (await Promise.all([loop('default'), loop('second')])).flat();
       for (const outcome of results) {
         assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
         assert.match(outcome.stdout, /Token: +works/);
         clean('status', outcome);
       }
       const after = await oauthCounters(fake);
       assert.equal(after.refresh_failures, before.refresh_failures, 'a refresh was refused');
       assert.equal(after.refreshes - before.refreshes, 24);
     });

test('logout keeps the login when Notion cannot revoke it, unless --local-only', async () => {
  const world = makeWorld();
  const file = path.join(world.creds, 'keep.bin');
  const login = await oauthLogin(world, fake, {extraArgs: ['--credentials-file', file]});
  assert.equal(login.code, 0, login.stderr);
  const key = ['--credentials-file', file, '--credentials-key-file', `${file}.key`];
  const env = worldEnv(world, fake);

  const failed = await runCli(['logout', ...key], {env: await unreachable(env)}).done;
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /Could not revoke the login at Notion/);
  assert.match(failed.stderr, /was kept/);
  assert.match(failed.stderr, /--local-only/);
  assert.doesNotMatch(failed.stdout, /Deleted/);
  clean('failed logout', failed);
  const kept = await runCli(['status', '--offline', ...key], {env}).done;
  assert.equal(kept.code, 0, kept.stderr);
  assert.match(kept.stdout, /Credential: OAuth login/);

  const local = await runCli(['logout', '--local-only', ...key], {env: await unreachable(env)}).done;
  assert.equal(local.code, 0, local.stderr);
  assert.match(local.stdout, /Did not revoke the login at Notion \(--local-only\): it stays valid/);
  assert.match(local.stdout, /Deleted the saved credential/);
  const gone = await runCli(['status', '--offline', ...key], {env}).done;
  assert.equal(gone.code, 1);
  assert.match(gone.stdout, /Credential: none/);
});

test('a store that cannot take the login fails before the browser is involved', async () => {
  const world = makeWorld();
  const env = worldEnv(world, fake);
  const authorizeBefore = (await oauthCounters(fake)).authorize_requests;
  const oauthArgs = ['login', '--no-browser', '--client-id', 'e2e-client-id', '--redirect-uri',
                     `http://127.0.0.1:${await freePort()}/callback`];
  const withSecret = {...env, NOTION_MCP_CLIENT_SECRET: canary('client-secret')};

  // A key file left over from an earlier login, but no credentials file.
  const orphan = path.join(world.creds, 'orphan.bin');
  fs.writeFileSync(`${orphan}.key`, 'left over', {mode: 0o600});
  const leftover =
      await runCli([...oauthArgs, '--credentials-file', orphan], {env: withSecret}).done;
  assert.equal(leftover.code, 1);
  assert.equal(leftover.stdout, '', 'no authorize URL was printed');
  assert.match(leftover.stderr, /orphan\.bin\.key is already there/);
  assert.match(leftover.stderr, /--credentials-key-file/);
  assert.match(leftover.stderr, /Nothing was asked of Notion/);
  assert.equal(fs.readFileSync(`${orphan}.key`, 'utf8'), 'left over');

  // An existing file with the wrong key.
  const tokenFile = path.join(world.creds, 'other.bin');
  const saved = await runCli(['login', '--token', '--credentials-file', tokenFile],
                             {env, input: `${TOKEN}\n`}).done;
  assert.equal(saved.code, 0, saved.stderr);
  fs.writeFileSync(path.join(world.creds, 'wrong.key'), `${'0a'.repeat(32)}\n`, {mode: 0o600});
  const wrongKey = await runCli(
      [...oauthArgs, '--credentials-file', tokenFile, '--credentials-key-file',
       path.join(world.creds, 'wrong.key')],
      {env: withSecret}).done;
  assert.equal(wrongKey.code, 1);
  assert.equal(wrongKey.stdout, '');
  assert.match(wrongKey.stderr, /cannot be decrypted/);
  assert.match(wrongKey.stderr, /login --credentials-file FILE/);

  // No D-Bus session for the keyring: the encrypted file is suggested.
  const noBus = await runCli(oauthArgs, {env: {...withSecret, DBUS_SESSION_BUS_ADDRESS: undefined}})
                    .done;
  assert.equal(noBus.code, 1);
  assert.equal(noBus.stdout, '');
  assert.match(noBus.stderr, /No D-Bus session/);
  assert.match(noBus.stderr, /login --credentials-file PATH/);

  assert.equal((await oauthCounters(fake)).authorize_requests, authorizeBefore);
  for (const outcome of [leftover, wrongKey, noBus]) clean('refused login', outcome);
});

test('a save that fails after the exchange revokes the new login and says so', async () => {
  const world = makeWorld();
  const file = path.join(world.creds, 'blocked.bin');
  const login = await startOAuthLogin(
      world, fake, {redirectPort: await freePort(), extraArgs: ['--credentials-file', file]});
  // After the checks passed, something takes the file's place: the save must fail.
  fs.mkdirSync(file);
  const before = await oauthCounters(fake);
  const page = await browse(login.url, fake);
  assert.equal(page.status, 500);
  assert.match(page.body, /the login failed/);
  assert.doesNotMatch(page.body, /logged in/i);
  const outcome = await login.done;
  assert.equal(outcome.code, 1);
  assert.match(outcome.stderr, /not a regular file/);
  assert.match(outcome.stderr, /revoked at Notion again/);
  const after = await oauthCounters(fake);
  assert.equal(after.exchanges, before.exchanges + 1);
  assert.equal(after.revocations, before.revocations + 1);
  assert.equal(after.live_refresh_tokens, before.live_refresh_tokens, 'no live grant is left');
  clean('failed save', outcome);
});

test('an OAuth token without a refresh token is kept, checked, and revoked at logout', async () => {
  const world = makeWorld();
  const file = path.join(world.creds, 'static-oauth.bin');
  const key = ['--credentials-file', file, '--credentials-key-file', `${file}.key`];
  const env = worldEnv(world, fake);
  await configureOAuth(fake, {omit_refresh_token: true});
  let login;
  try {
    login = await oauthLogin(world, fake, {extraArgs: ['--credentials-file', file]});
  } finally {
    await configureOAuth(fake, {omit_refresh_token: false});
  }
  assert.equal(login.code, 0, login.stderr);
  const status = await runCli(['status', ...key], {env}).done;
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /Credential: integration token/);
  assert.match(status.stdout, /Token: +works/);
  const before = await oauthCounters(fake);
  const logout = await runCli(['logout', ...key], {env}).done;
  assert.equal(logout.code, 0, logout.stderr);
  assert.match(logout.stdout, /Revoked the OAuth login at Notion/);
  assert.equal((await oauthCounters(fake)).revocations, before.revocations + 1);
  assert.equal((await oauthCounters(fake)).live_access_tokens, before.live_access_tokens - 1);
  for (const outcome of [login, status, logout]) clean('static OAuth', outcome);
});

test('names from Notion reach the terminal without control characters', async () => {
  const world = makeWorld();
  const file = path.join(world.creds, 'names.bin');
  await configureOAuth(fake, {workspace_name: 'Evil\u001b[2J\u0007 Name\u009b\r\nFake line'});
  let login;
  try {
    login = await oauthLogin(world, fake, {extraArgs: ['--credentials-file', file]});
  } finally {
    await configureOAuth(fake, {workspace_name: 'Fake OAuth Workspace'});
  }
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /for workspace "Evil\[2J NameFake line" is saved/);
  const status = await runCli(
      ['status', '--offline', '--credentials-file', file, '--credentials-key-file', `${file}.key`],
      {env: worldEnv(world, fake)}).done;
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /Workspace: +Evil\[2J NameFake line\n/);
  for (const text of [login.stdout, login.stderr, status.stdout, status.stderr]) {
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  }
});
