// Least privilege seen through the official MCP SDK against `serve --demo`: the profiles, --allow
// and --deny, --scope (reads, writes, search filtering, a move out of the scope), confirmation by
// elicitation (accepted, declined, cancelled, and a client that cannot be asked), the audit log
// (content, 0600, no canary), resources, and config files that must be refused.
import {ElicitRequestSchema, McpError} from '@modelcontextprotocol/sdk/types.js';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, test} from 'node:test';

import {BIN, CANARY_TOKEN, cleanup, listAllTools, makeTempDir, RawServer, resultText, startClient, withTimeout} from './helpers.mjs';

after(cleanup);

// The demo workspace (src/demo/seed_*.cpp).
const HANDBOOK = '1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c';
const HANDBOOK_URL = 'https://www.notion.so/Acme-Handbook-1f3a5c7e9b2d4e6f8a0c2d4e6f8a0b1c';
const ENGINEERING = '3b5d7f9a-1c2e-4a4b-8d6f-8b0c2d4e6f7a';  // Handbook → Engineering practices
const RUNBOOK = 'f4c8c1aa-909d-4693-8f9d-ad95e58e8fc1';      // → On-call runbook
const PRODUCT = '3d5f7a9c-1e3b-4d5f-a7c9-e1b3d5f7a9c2';      // another top-level page
const ROADMAP = 'ec278cbb-cd30-4472-ad23-9cc4cb28bba1';
const MEETINGS = '5b7d9f1a-3c5e-4a7b-9d1f-3e5a7c9b1d2e';     // Meeting notes archive, top level      // Product & Engineering → Roadmap
const PROJECTS = '8c0e2a4b-6d8f-4a0c-9e2a-4c6e8a0c2e3d';     // a data source outside the Handbook
const PROJECTS_DB = '6a8c0e2f-4b6d-4f8a-8c0e-2a4b6d8f0a1b';
const TASKS_DB = 'a1c3e5f7-0b2d-4f6a-8c1e-3a5c7e9b1d4f';
const TASKS = 'c3e5a7b9-2d4f-4b8a-9e3c-5a7c9e1b3d6a';        // its data source; rows relate to projects
// Everything under the Handbook, the Handbook included.
const HANDBOOK_SUBTREE = new Set([
  HANDBOOK, ENGINEERING, RUNBOOK, '4c6e8a0b-2d3f-4b5c-9e7a-9c1d3e5f7a8b',
  '2a4c6e8f-0b1d-4f3a-9c5e-7a9b1c3d5e6f', '742bb75b-a318-43bd-b3fa-f62fe8101870',
  '1d2be205-92b7-45bf-8c6b-448d7cc02887', '5348389c-b794-4778-8f6e-d80574a2418f',
  '90d12674-11a7-42b1-94d1-88eda696019e', 'f7cbc44f-1aa4-4f80-a5e1-36a2f928690b',
]);

// A private home for one server: its config and state directories and its audit log.
function home() {
  const dir = makeTempDir('notion-mcp-policy-');
  return {
    dir,
    config: path.join(dir, 'config'),
    state: path.join(dir, 'state'),
    log: path.join(dir, 'state', 'notion-mcp', 'audit.jsonl'),
  };
}

function envFor(h, extra = {}) {
  // The canary sits in NOTION_TOKEN: the demo never uses it, and it must never be written out.
  return {XDG_CONFIG_HOME: h.config, XDG_STATE_HOME: h.state, NOTION_TOKEN: CANARY_TOKEN, ...extra};
}

// Starts `serve --demo` with `args`, logging to the home's audit log. `elicit` answers the
// server's confirmation questions (and declares the elicitation capability).
async function serve({args = [], elicit, capabilities, h = home(), audit = true} = {}) {
  const auditArgs = audit ? ['--audit-log', h.log] : [];
  const server = await startClient({
    args: ['serve', '--demo', ...auditArgs, ...args],
    env: envFor(h),
    capabilities: capabilities ?? (elicit ? {elicitation: {}} : {}),
  });
  if (elicit) server.client.setRequestHandler(ElicitRequestSchema, elicit);
  server.home = h;
  return server;
}

async function call(server, name, args = {}) {
  return withTimeout(
      server.client.callTool({name, arguments: args}, undefined, {timeout: 10000}), 15000,
      `tools/call ${name}`);
}

async function ok(server, name, args) {
  const result = await call(server, name, args);
  assert.notEqual(result.isError, true, `${name} failed: ${resultText(result)}`);
  return result;
}

async function refused(server, name, args, pattern) {
  const result = await call(server, name, args);
  assert.equal(result.isError, true, `${name} was not refused: ${resultText(result)}`);
  assert.match(resultText(result), pattern);
  return result;
}

async function toolNames(server) {
  return (await listAllTools(server.client)).tools.map((t) => t.name);
}

function auditRecords(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

// A fresh page under `parent` to change or destroy without touching the seeded ones.
async function newPage(server, parent, title) {
  const created = await ok(server, 'create_page', {parent_id: parent, title});
  const id = created.structuredContent?.id;
  assert.match(id ?? '', /^[0-9a-f-]{36}$/, `create_page returned no id: ${resultText(created)}`);
  return id;
}

// Whether a page is in the trash, as get_page reports it.
async function inTrash(server, id) {
  const page = await ok(server, 'get_page', {page_id: id, include_content: false});
  return JSON.stringify(page.structuredContent).includes('"in_trash":true');
}

describe('profiles', () => {
  test('each profile lists exactly its tools; the rest are refused with the way to allow them',
       async () => {
         const full = await serve({args: ['--profile', 'full', '--confirm', 'none'], audit: false});
         const all = (await listAllTools(full.client)).tools;
         const reads = all.filter((t) => t.annotations.readOnlyHint).map((t) => t.name);
         const destructive =
             all.filter((t) => t.annotations.destructiveHint === true).map((t) => t.name);
         const writes = all.map((t) => t.name).filter(
             (n) => !reads.includes(n) && !destructive.includes(n));
         assert.deepEqual(
             destructive.sort(), ['delete_block', 'restore_page', 'trash_page'],
             'the destructive tools');
         assert.ok(writes.includes('create_page') && writes.includes('move_page'));
         await full.close();

         const read = await serve({args: ['--profile', 'read'], audit: false});
         assert.deepEqual((await toolNames(read)).sort(), [...reads].sort());
         await refused(read, 'create_page', {parent_id: HANDBOOK, title: 'x'}, /--profile write/);
         await read.close();

         const write = await serve({audit: false});  // the default profile
         assert.deepEqual((await toolNames(write)).sort(), [...reads, ...writes].sort());
         await refused(write, 'trash_page', {page_id: RUNBOOK}, /destructive.*--profile full/s);
         await write.close();
       });

  test('--allow adds single tools and --deny removes them, deny winning', async () => {
    const server = await serve({
      args: ['--profile', 'read', '--allow', 'create_comment', '--deny', 'get_*', '--deny',
             'create_comment'],
      audit: false,
    });
    const names = await toolNames(server);
    assert.ok(names.includes('search'));
    assert.ok(!names.includes('get_page'), 'get_page is denied');
    assert.ok(!names.includes('create_comment'), 'deny wins over allow');
    await refused(server, 'get_page', {page_id: HANDBOOK}, /--deny 'get_\*'/);
    await server.close();

    const commenter =
        await serve({args: ['--profile', 'read', '--allow', 'create_comment'], audit: false});
    assert.ok((await toolNames(commenter)).includes('create_comment'));
    assert.ok(!(await toolNames(commenter)).includes('create_page'));
    await ok(commenter, 'create_comment', {page_id: HANDBOOK, text: 'Looks good.'});
    await commenter.close();
  });
});

describe('scope', () => {
  test('reads, searches and writes stay inside; a move out is refused', async () => {
    const server =
        await serve({args: ['--scope', HANDBOOK_URL, '--profile', 'full', '--confirm', 'none']});

    // Reads.
    await ok(server, 'get_page', {page_id: RUNBOOK});
    await refused(server, 'get_page', {page_id: ROADMAP}, /outside.*--scope/s);
    await refused(server, 'get_blocks', {block_id: PRODUCT}, /outside/);
    await refused(server, 'query_data_source', {data_source_id: PROJECTS}, /outside/);
    await ok(server, 'list_users', {});  // people are not content

    // Search keeps only what is inside, and says that it left things out.
    const found = await ok(server, 'search', {page_size: 100});
    const ids = found.structuredContent.results.map((r) => r.id);
    assert.deepEqual(new Set(ids), HANDBOOK_SUBTREE);
    assert.match(resultText(found), /results? outside this server's scope/);
    assert.ok(!resultText(found).includes(ROADMAP));

    // Writes: inside yes, outside no.
    const page = await newPage(server, ENGINEERING, 'Scoped note');
    await ok(server, 'get_page', {page_id: page});  // a new page is inside through its parent
    await refused(server, 'create_page', {parent_id: PRODUCT, title: 'Escape'}, /outside/);
    await refused(server, 'append_blocks', {block_id: ROADMAP, markdown: 'hi'}, /outside/);

    // A move out of the scope is refused, and the page stays where it was.
    await refused(server, 'move_page', {page_id: page, new_parent_id: ROADMAP}, /new_parent_id/);
    const after = await ok(server, 'get_page', {page_id: page, include_content: false});
    assert.ok(JSON.stringify(after.structuredContent).includes(ENGINEERING.replaceAll('-', '')) ||
                  JSON.stringify(after.structuredContent).includes(ENGINEERING),
              `the page moved: ${JSON.stringify(after.structuredContent)}`);
    // Moves inside are fine; so is trashing inside (no confirmation with --confirm none).
    await ok(server, 'move_page', {page_id: page, new_parent_id: HANDBOOK});
    await ok(server, 'trash_page', {page_id: page});
    await refused(server, 'trash_page', {page_id: ROADMAP}, /outside/);

    // Resources follow the scope.
    const templates = await server.client.listResourceTemplates();
    assert.equal(templates.resourceTemplates[0].uriTemplate, 'notion://page/{id}');
    const resource = await server.client.readResource({uri: `notion://page/${RUNBOOK}`});
    assert.equal(resource.contents[0].mimeType, 'text/markdown');
    // Labelled as demo data and fenced as workspace content, like tool results.
    assert.match(resource.contents[0].text, /^\[demo workspace/);
    assert.match(resource.contents[0].text, /```untrusted\n# On-call runbook/);
    await assert.rejects(
        server.client.readResource({uri: `notion://page/${ROADMAP}`}),
        (e) => e instanceof McpError && /outside/.test(e.message));
    await server.close();

    const records = auditRecords(server.home.log);
    const move = records.find((r) => r.tool === 'move_page' && r.outcome === 'refused');
    assert.ok(move, 'the refused move is in the audit log');
    assert.equal(move.detail, 'outside_scope');
  });
  // A URL carries up to three ids (path, side peek ?p=, #block); tools pick one by context, so
  // every one of them must be inside.
  test('ids hidden in a URL\'s side peek or #block cannot escape the scope', async () => {
    const server =
        await serve({args: ['--scope', HANDBOOK_URL, '--profile', 'full', '--confirm', 'none']});
    const hex = (id) => id.replaceAll('-', '');
    const peekOutside = `https://www.notion.so/${hex(HANDBOOK)}?v=1&p=${hex(MEETINGS)}`;
    await refused(
        server, 'create_page', {parent_id: peekOutside, title: 'Escape'}, /\?p=.*outside/s);
    const page = await newPage(server, ENGINEERING, 'Peek mover');
    await refused(server, 'move_page', {page_id: page, new_parent_id: peekOutside}, /outside/);
    // A block outside, named in the #fragment of a URL inside (the demo's ids are the same in
    // every process, so an unscoped server finds one).
    const unscoped = await serve({args: ['--profile', 'full', '--confirm', 'none']});
    const blocks = await ok(unscoped, 'get_blocks', {block_id: ROADMAP});
    const outsideBlock = blocks.structuredContent.results[0].id;
    await unscoped.close();
    await refused(
        server, 'create_comment',
        {page_id: `https://www.notion.so/Acme-Handbook-${hex(HANDBOOK)}#${hex(outsideBlock)}`,
         text: 'sneaky'},
        /outside/);
    await server.close();
    // The three calls were refused before they ran: only the inside page was created.
    const records = auditRecords(server.home.log);
    const summary = JSON.stringify(records.map((r) => [r.tool, r.outcome, r.detail]));
    assert.deepEqual(
        records.filter((r) => r.outcome === 'refused').map((r) => [r.tool, r.detail]),
        [['create_page', 'outside_scope'], ['move_page', 'outside_scope'],
         ['create_comment', 'outside_scope']],
        summary);
    assert.equal(records.filter((r) => r.outcome === 'ok').length, 1, summary);
  });

  // A two-way relation also changes the page it points at (its back-relation), so a relation
  // value is a page the call changes: it must be inside the scope too.
  test('a relation to a page outside the scope is refused', async () => {
    const unscoped = await serve({args: ['--profile', 'full', '--confirm', 'none']});
    const projects = await ok(unscoped, 'query_data_source', {data_source_id: PROJECTS});
    const project = projects.structuredContent.results[0].id;
    await unscoped.close();

    const tasksOnly = await serve({args: ['--scope', TASKS_DB, '--confirm', 'none']});
    const hex = (id) => id.replaceAll('-', '');
    await refused(
        tasksOnly, 'create_page',
        {parent_id: TASKS, title: 'Linked task', properties: {Project: [project]}},
        /relation names .*outside/s);
    await refused(
        tasksOnly, 'create_page',
        {parent_id: TASKS, title: 'Linked by URL',
         properties: {Project: {relation: [{id: `https://www.notion.so/P-${hex(project)}`}]}}},
        /relation names .*outside/s);
    const plain = await ok(tasksOnly, 'create_page', {parent_id: TASKS, title: 'Unlinked task'});
    await refused(
        tasksOnly, 'update_page',
        {page_id: plain.structuredContent.id, properties: {Project: [project]}}, /outside/);
    await tasksOnly.close();
    const records = auditRecords(tasksOnly.home.log);
    assert.deepEqual(records.map((r) => [r.tool, r.outcome, r.detail ?? '']),
                     [['create_page', 'refused', 'outside_scope'],
                      ['create_page', 'refused', 'outside_scope'], ['create_page', 'ok', ''],
                      ['update_page', 'refused', 'outside_scope']],
                     JSON.stringify(records));

    // With both databases in scope the same relation is fine.
    const both = await serve({args: ['--scope', TASKS_DB, '--scope', PROJECTS_DB]});
    const linked = await ok(
        both, 'create_page',
        {parent_id: TASKS, title: 'Linked task', properties: {Project: [project]}});
    const rows = await ok(both, 'query_data_source', {data_source_id: TASKS, page_size: 100});
    const row = rows.structuredContent.results.find((r) => r.id === linked.structuredContent.id);
    assert.deepEqual(row?.Project, [project], JSON.stringify(row));
    await both.close();
  });
});

describe('confirmation', () => {
  test('an accepted question lets a destructive call run; declined and dismissed ones do not',
       async () => {
         const questions = [];
         let reply = {action: 'accept', content: {confirm: true}};
         const server = await serve({
           args: ['--profile', 'full'],
           elicit: async (request) => {
             questions.push(request.params);
             return reply;
           },
         });
         const page = await newPage(server, HANDBOOK, 'Confirm me');
         assert.equal(questions.length, 0, 'a write does not ask under --confirm destructive');

         await ok(server, 'trash_page', {page_id: page});
         assert.equal(questions.length, 1);
         assert.equal(questions[0].mode, 'form');
         assert.match(questions[0].message, /trash/);
         assert.match(questions[0].message, /Confirm me/);  // the page by its title
         assert.equal(questions[0].requestedSchema.properties.confirm.type, 'boolean');
         assert.ok(await inTrash(server, page));

         reply = {action: 'decline'};
         await refused(server, 'restore_page', {page_id: page}, /declined/);
         assert.ok(await inTrash(server, page), 'a declined restore ran anyway');
         reply = {action: 'cancel'};
         await refused(server, 'restore_page', {page_id: page}, /dismissed/);
         reply = {action: 'accept', content: {confirm: false}};
         await refused(server, 'restore_page', {page_id: page}, /declined/);
         assert.ok(await inTrash(server, page));
         assert.equal(questions.length, 4);
         await server.close();

         const outcomes = auditRecords(server.home.log)
                              .filter((r) => r.tool === 'restore_page')
                              .map((r) => r.outcome);
         assert.deepEqual(outcomes, ['declined', 'declined', 'declined']);
       });

  test('a client without elicitation is refused, never silently served', async () => {
    const server = await serve({args: ['--profile', 'full']});
    const page = await newPage(server, HANDBOOK, 'Cannot ask');
    await refused(server, 'trash_page', {page_id: page}, /elicitation.*--confirm none/s);
    assert.ok(!(await inTrash(server, page)));
    await server.close();

    const writes = await serve({args: ['--confirm', 'writes']});
    await refused(
        writes, 'create_page', {parent_id: HANDBOOK, title: 'x'},
        /elicitation.*--confirm destructive/s);
    await ok(writes, 'get_page', {page_id: HANDBOOK, include_content: false});  // reads never ask
    await writes.close();
  });

  test('--confirm writes asks before every change', async () => {
    let asked = 0;
    const server = await serve({
      args: ['--confirm', 'writes'],
      elicit: async () => {
        asked++;
        return {action: 'accept', content: {confirm: true}};
      },
    });
    await newPage(server, HANDBOOK, 'Asked first');
    assert.equal(asked, 1);
    await ok(server, 'search', {query: 'Handbook'});
    assert.equal(asked, 1);
    await server.close();
  });
});

describe('audit log', () => {
  for (const sandbox of ['require', 'off']) {
    test(`one redacted line per call, 0600, written with --sandbox=${sandbox}`, async () => {
      const server = await serve({
        args: ['--sandbox', sandbox, '--profile', 'full'],
        elicit: async () => ({action: 'accept', content: {confirm: true}}),
      });
      await ok(server, 'search', {query: `lookup ${CANARY_TOKEN}`});
      await ok(server, 'get_page', {page_id: HANDBOOK});
      const page = await newPage(server, HANDBOOK, `Note with ${CANARY_TOKEN} inside`);
      await ok(server, 'append_blocks', {block_id: page, markdown: 'x'.repeat(5000)});
      await ok(server, 'trash_page', {page_id: page});
      await refused(server, 'get_page', {page_id: 'not-an-id'}, /./);
      const {code} = await server.close();
      assert.equal(code, 0);

      const log = server.home.log;
      assert.equal(fs.statSync(log).mode & 0o777, 0o600, 'the log is not 0600');
      assert.equal(fs.statSync(path.dirname(log)).mode & 0o777, 0o700, 'its directory is not 0700');
      const text = fs.readFileSync(log, 'utf8');
      assert.ok(!text.includes(CANARY_TOKEN), 'the canary reached the audit log');
      const everything = JSON.stringify(server.messages) + server.stderr();
      assert.ok(!everything.includes(CANARY_TOKEN), 'the canary reached stdout or stderr');

      const records = auditRecords(log);
      assert.deepEqual(
          records.map((r) => r.tool),
          ['search', 'get_page', 'create_page', 'append_blocks', 'trash_page', 'get_page']);
      for (const r of records) {
        assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.equal(r.client, 'notion-mcp-integration');
        assert.equal(typeof r.duration_ms, 'number');
        assert.equal(r.demo, true);
      }
      const [search, read, create, append, trash, bad] = records;
      assert.equal(search.kind, 'read');
      assert.match(search.arguments.query, /\[REDACTED\]/);
      assert.ok(read.request_ids.length >= 1, 'no Notion request ids');
      assert.equal(read.targets[0].title, 'Acme Handbook');
      assert.equal(create.kind, 'write');
      assert.equal(create.outcome, 'ok');
      assert.equal(create.result_id, page);
      assert.ok(append.arguments.markdown.length < 400, 'long content was not shortened');
      assert.equal(trash.kind, 'destructive');
      assert.equal(trash.detail, 'confirmed');
      assert.equal(bad.outcome, 'error');

      const summary = spawnSync(BIN, ['audit', '--audit-log', log, '--writes'], {
        encoding: 'utf8',
        timeout: 10000,
        env: envFor(server.home),
      });
      assert.equal(summary.status, 0, summary.stderr);
      assert.match(summary.stdout, /create_page/);
      assert.match(summary.stdout, /Destroyed \(trashed or deleted\): trash_page 1/);
      assert.ok(!summary.stdout.includes(CANARY_TOKEN));
    });
  }

  test('the demo workspace is not logged unless --audit-log is given', async () => {
    const h = home();
    const server = await serve({h, audit: false});
    await ok(server, 'get_self', {});
    await server.close();
    assert.ok(!fs.existsSync(h.log), 'the demo wrote the default audit log');
  });
});

describe('config file', () => {
  function writeConfig(h, value, mode = 0o600) {
    fs.mkdirSync(path.join(h.config, 'notion-mcp'), {recursive: true});
    const file = path.join(h.config, 'notion-mcp', 'config.json');
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    fs.chmodSync(file, mode);
    return file;
  }

  async function startFails(h, args = []) {
    const server = RawServer.start({args: ['serve', '--demo', ...args], env: envFor(h)});
    const {code} = await withTimeout(server.exited, 5000, 'the server to refuse to start');
    return {code, stderr: server.stderrText};
  }

  test('named profiles select the settings and flags override them', async () => {
    const h = home();
    writeConfig(h, {
      confirm: 'destructive',
      profiles: {
        'notion-read': {profile: 'read', scope: [HANDBOOK_URL]},
        'notion-write': {profile: 'write', deny: ['move_page']},
      },
    });
    const reader = await serve({h, args: ['--config-profile', 'notion-read'], audit: false});
    const names = await toolNames(reader);
    assert.ok(names.includes('get_page') && !names.includes('create_page'));
    await refused(reader, 'get_page', {page_id: ROADMAP}, /outside/);  // the file's scope
    await reader.close();

    const writer = await serve({h, args: ['--config-profile', 'notion-write'], audit: false});
    const writerNames = await toolNames(writer);
    assert.ok(writerNames.includes('create_page') && !writerNames.includes('move_page'));
    await writer.close();

    const overridden = await serve(
        {h, args: ['--config-profile', 'notion-read', '--profile', 'write'], audit: false});
    assert.ok((await toolNames(overridden)).includes('create_page'));
    await overridden.close();

    const missing = await startFails(h, ['--config-profile', 'notion-admin']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /notion-read, notion-write/);
  });

  test('a file others can read, or one holding a token, is refused with the reason', async () => {
    const h = home();
    const file = writeConfig(h, {profile: 'read'}, 0o644);
    const loose = await startFails(h);
    assert.equal(loose.code, 2);
    assert.match(loose.stderr, /other users can read it/);
    assert.ok(loose.stderr.includes(`chmod 600 ${file}`), loose.stderr);

    writeConfig(h, {profiles: {x: {scope: [CANARY_TOKEN]}}});
    const token = await startFails(h);
    assert.equal(token.code, 2);
    assert.match(token.stderr, /shaped like a Notion token/);
    assert.ok(!token.stderr.includes(CANARY_TOKEN), 'the refusal printed the token');

    writeConfig(h, '{"profile": "read", "scpoe": []}');
    const typo = await startFails(h);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown setting "scpoe"/);
  });
});
