// The write and destructive tools through the official MCP SDK: every tool on the demo workspace
// (chunked appends with progress, the content-deletion refusal, uploads from --upload-root
// through the sandbox broker), and the same writes against the TLS fake while it answers every second request
// with a 503 that says the write was saved: they are read back, never repeated.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, test} from 'node:test';

import {BIN, cleanup, listAllTools, makeTempDir, READ_TOOLS, resultText, searchAll, startClient, startFake, withTimeout} from './helpers.mjs';

after(cleanup);

const WRITE_TOOLS = [
  'create_page', 'update_page', 'edit_page_content', 'append_blocks', 'move_page',
  'create_comment', 'create_database', 'update_data_source', 'upload_file',
];
const DESTRUCTIVE_TOOLS = ['trash_page', 'restore_page', 'delete_block'];
// Not update_data_source: removing a property cannot be repeated harmlessly.
const IDEMPOTENT =
    new Set(['update_page', 'move_page', 'trash_page', 'restore_page', 'delete_block']);

async function call(client, name, args, options = {}) {
  return withTimeout(
      client.callTool({name, arguments: args}, undefined, {timeout: 60000, ...options}), 65000,
      `tools/call ${name}`);
}

async function callOk(client, name, args, options = {}) {
  const result = await call(client, name, args, options);
  assert.notEqual(
      result.isError, true, `${name}(${JSON.stringify(args)}) failed: ${resultText(result)}`);
  assert.equal(typeof result.structuredContent, 'object', `${name} has no structuredContent`);
  return result;
}

async function callError(client, name, args, code) {
  const result = await call(client, name, args);
  assert.equal(result.isError, true, `${name} should have failed: ${resultText(result)}`);
  if (code) {
    assert.equal(result.structuredContent?.error?.code, code, resultText(result));
  }
  return result;
}

// The server with every tool and no confirmation questions. A server without least-privilege
// profiles lists every tool already; one with them needs --profile full (and --confirm none,
// since this client cannot answer confirmation questions).
async function startFullServer({env, extraArgs = [], base = ['serve', '--demo']} = {}) {
  let server = await startClient({args: [...base, ...extraArgs], env});
  let listed = await listAllTools(server.client);
  if (!listed.tools.some((t) => t.name === 'trash_page')) {
    await server.close();
    server = await startClient(
        {args: [...base, '--profile', 'full', '--confirm', 'none', ...extraArgs], env});
    listed = await listAllTools(server.client);
  }
  return {server, ...listed};
}

async function findPage(client, title) {
  const results = await searchAll((args) => callOk(client, 'search', args), {query: title});
  const hit = results.find((r) => r.title === title && (r.type ?? r.object ?? 'page') === 'page');
  assert.ok(hit, `no page titled ${title}: ${JSON.stringify(results.map((r) => r.title))}`);
  return hit.id;
}

async function countTitled(client, title) {
  const results = await searchAll((args) => callOk(client, 'search', args), {query: title});
  return results.filter((r) => r.title === title).length;
}

async function allChildren(client, blockId) {
  const blocks = [];
  let cursor;
  for (let page = 0; page < 20; page++) {
    const args = {block_id: blockId, page_size: 100};
    if (cursor) args.start_cursor = cursor;
    const result = await callOk(client, 'get_blocks', args);
    blocks.push(...(result.structuredContent.results ?? []));
    cursor = result.structuredContent.next_cursor;
    if (!cursor) return blocks;
  }
  throw new Error('get_blocks kept returning next_cursor');
}

describe('write tools on the demo workspace through the SDK', () => {
  test('tools/list: every write tool with its hints, the whole surface within 15 KB', async () => {
    const {server, tools, bytes} = await startFullServer();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    for (const name of [...READ_TOOLS, ...WRITE_TOOLS, ...DESTRUCTIVE_TOOLS]) {
      assert.ok(byName[name], `tools/list lacks ${name}`);
    }
    assert.equal(tools.length, 22);
    for (const name of [...WRITE_TOOLS, ...DESTRUCTIVE_TOOLS]) {
      const {annotations, inputSchema, outputSchema} = byName[name];
      assert.equal(annotations?.readOnlyHint, false, `${name} readOnlyHint`);
      assert.equal(
          annotations?.destructiveHint, DESTRUCTIVE_TOOLS.includes(name), `${name} destructiveHint`);
      assert.equal(annotations?.idempotentHint === true, IDEMPOTENT.has(name), `${name} idempotent`);
      assert.equal(inputSchema?.type, 'object');
      assert.equal(outputSchema?.type, 'object');
      assert.ok(!JSON.stringify(inputSchema).includes('$defs'), `${name} schema has $defs`);
    }
    assert.ok(bytes <= 15000, `tools/list for the full surface takes ${bytes} bytes`);
    const {code} = await server.close();
    assert.equal(code, 0, server.stderr());
  });

  test('create, update, edit, append, comment, database, move, delete, trash, restore', async () => {
    const {server} = await startFullServer();
    const {client} = server;
    const handbook = await findPage(client, 'Acme Handbook');

    // A page with a Markdown body, read back through get_page.
    const created = await callOk(client, 'create_page', {
      parent_id: handbook,
      title: 'Integration notes',
      markdown: 'First paragraph.\n\n- one\n- two\n',
      icon: '🧪',
    });
    const page = created.structuredContent.id;
    assert.match(resultText(created), /^(\[demo[^\n]*\n)?created page 'Integration notes'/);
    let read = await callOk(client, 'get_page', {page_id: page});
    assert.match(read.structuredContent.markdown, /First paragraph\./);

    const updated = await callOk(client, 'update_page', {page_id: page, title: 'Integration log'});
    assert.equal(updated.structuredContent.title, 'Integration log');

    // 250 items with deep nesting: several requests, progress for each, order kept.
    let markdown = '';
    for (let i = 0; i < 250; i++) markdown += `- item ${i}\n`;
    markdown += '- deep\n  - d2\n    - d3\n      - d4\n        - d5\n';
    // The demo answers so fast that progress and the result share one read, and SDK 1.x runs
    // progress callbacks a microtask after the result (they then miss): judge the wire log.
    const from = server.messages.length;
    const appended = await callOk(
        client, 'append_blocks', {block_id: page, markdown},
        {onprogress: () => {}, resetTimeoutOnProgress: true});
    assert.equal(appended.structuredContent.appended, 255);
    assert.ok(appended.structuredContent.requests >= 4, resultText(appended));
    const request = server.sent.filter((m) => m.method === 'tools/call').at(-1);
    const token = request.params._meta?.progressToken;
    assert.notEqual(token, undefined, 'the SDK sent no progressToken');
    const slice = server.messages.slice(from);
    const progress = slice
        .filter((m) => m.method === 'notifications/progress' && m.params?.progressToken === token)
        .map((m) => m.params);
    assert.ok(progress.length >= 4, `only ${progress.length} progress notifications`);
    assert.ok(slice.findIndex((m) => m.method === 'notifications/progress') <
                  slice.findIndex((m) => m.id === request.id),
              'progress came after the result');
    for (let i = 1; i < progress.length; i++) {
      assert.ok(progress[i].progress > progress[i - 1].progress, 'progress did not increase');
    }
    const top = await allChildren(client, page);
    const texts = top.map((b) => b.text);
    assert.equal(texts[0], 'First paragraph.');
    const items = texts.filter((t) => /^item \d+$/.test(t));
    assert.deepEqual(items, Array.from({length: 250}, (_, i) => `item ${i}`));
    let level = top.find((b) => b.text === 'deep');
    for (const expected of ['d2', 'd3', 'd4', 'd5']) {
      const kids = await allChildren(client, level.id);
      assert.equal(kids.length, 1, `under ${level.text}`);
      assert.equal(kids[0].text, expected);
      level = kids[0];
    }

    // Search-and-replace edits; a replace that would drop a sub-page is refused.
    await callOk(client, 'edit_page_content', {
      page_id: page,
      edits: [{old_str: 'First paragraph.', new_str: 'Opening paragraph.'}],
    });
    read = await callOk(client, 'get_page', {page_id: page, max_chars: 100000});
    assert.match(read.structuredContent.markdown, /Opening paragraph\./);
    const onboarding = await findPage(client, 'Onboarding');
    const refused = await callError(
        client, 'edit_page_content', {page_id: onboarding, replace: 'nothing else'},
        'content_would_be_deleted');
    assert.match(resultText(refused), /allow_deleting_content/);

    // A comment and a reply.
    const comment = await callOk(client, 'create_comment', {page_id: page, text: 'Looks **fine**'});
    await callOk(
        client, 'create_comment',
        {discussion_id: comment.structuredContent.discussion_id, text: 'Thanks'});
    const comments = await callOk(client, 'list_comments', {block_id: page});
    assert.match(resultText(comments), /Thanks/);

    // A database, a row from plain values, a schema change.
    const db = await callOk(client, 'create_database', {
      parent_id: page,
      title: 'Checks',
      properties: {State: 'select', Due: 'date'},
    });
    const source = db.structuredContent.data_source_id;
    const row = await callOk(client, 'create_page', {
      parent_id: source,
      title: 'First check',
      properties: {State: 'Green', Due: '2026-07-01'},
    });
    const rowRead = await callOk(client, 'get_page', {page_id: row.structuredContent.id});
    assert.equal(rowRead.structuredContent.properties.State, 'Green');
    const schema = await callOk(
        client, 'update_data_source', {data_source_id: source, properties: {Notes: 'rich_text'}});
    assert.equal(schema.structuredContent.properties.Notes, 'rich_text');

    // Move, delete a block, trash and restore.
    const security = await findPage(client, 'Security policy');
    const moved = await callOk(client, 'move_page', {page_id: page, new_parent_id: security});
    assert.equal(moved.structuredContent.parent, `page ${security}`);
    const firstBlock = top[0].id;
    const deleted = await callOk(client, 'delete_block', {block_id: firstBlock});
    assert.equal(deleted.structuredContent.in_trash, true);
    const trashed = await callOk(client, 'trash_page', {page_id: page});
    assert.equal(trashed.structuredContent.in_trash, true);
    const restored = await callOk(client, 'restore_page', {page_id: page});
    assert.equal(restored.structuredContent.in_trash, false);

    // Schema errors and tool errors come back as isError results the model can act on.
    await callError(client, 'create_page', {parent_id: 'not a page'}, 'invalid_id');
    await callError(client, 'append_blocks', {block_id: page});
    // Without --upload-root the server says how to allow uploads.
    const upload = await callError(client, 'upload_file', {path: 'notes.txt'});
    assert.match(resultText(upload), /--upload-root/);

    const {code} = await server.close();
    assert.equal(code, 0, server.stderr());
  });

  test('upload_file reads from --upload-root through the sandbox broker', async () => {
    const root = makeTempDir('notion-mcp-uploads-');
    fs.writeFileSync(path.join(root, 'diagram.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    fs.writeFileSync(path.join(path.dirname(root), `outside-${path.basename(root)}.txt`), 'secret');
    // A link inside the root that points out of it is refused like the path itself.
    fs.symlinkSync('/etc/passwd', path.join(root, 'passwd.txt'));
    const started = await startFullServer({extraArgs: ['--upload-root', root]});
    const {client} = started.server;
    const page = await findPage(client, 'Security policy');
    const uploaded = await call(client, 'upload_file', {path: 'diagram.png', page_id: page});
    assert.notEqual(uploaded.isError, true, resultText(uploaded));
    assert.equal(uploaded.structuredContent.content_type, 'image/png');
    const blocks = await allChildren(client, page);
    assert.ok(blocks.some((b) => b.id === uploaded.structuredContent.block_id));
    await callError(
        client, 'upload_file', {path: `../outside-${path.basename(root)}.txt`},
        'outside_upload_root');
    const linked = await callError(client, 'upload_file', {path: 'passwd.txt'}, 'outside_upload_root');
    assert.doesNotMatch(resultText(linked), /root:/);
    await callError(client, 'upload_file', {path: 'missing.png'});
    const {code} = await started.server.close();
    assert.equal(code, 0, started.server.stderr());

    // The same upload over TLS: multipart/form-data through libcurl to the fake.
    const fake = await startFake();
    const overTls = await startFullServer(
        {base: ['serve'], extraArgs: ['--upload-root', root], env: fake.env()});
    const tlsPage = await findPage(overTls.server.client, 'Security policy');
    const tlsUpload = await callOk(
        overTls.server.client, 'upload_file', {path: 'diagram.png', page_id: tlsPage});
    assert.equal(tlsUpload.structuredContent.bytes, 16);
    await overTls.server.close();
    await fake.stop();
  });

  test('--upload-root must name an existing directory', () => {
    const missing = path.join(makeTempDir('notion-mcp-uploads-'), 'nope');
    const run = spawnSync(BIN, ['serve', '--demo', '--upload-root', missing],
                          {input: '', encoding: 'utf8', timeout: 10000});
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /--upload-root '.*nope' is not an existing directory/);
  });
});

describe('write tools over TLS while the fake answers every second request with a 503', () => {
  test('saved writes are read back, never repeated', async () => {
    const fake = await startFake();
    const {server} = await startFullServer(
        {base: ['serve', '--rate-limit', '200', '--rate-burst', '50'], env: fake.env()});
    const {client} = server;
    // Ids first, while the fake behaves: search is a POST, which the fault would also hit.
    const handbook = await findPage(client, 'Acme Handbook');
    const runbook = await findPage(client, 'On-call runbook');

    await fake.config({
      reset: true,
      server_error_every: 2,
      server_error_status: 503,
      retry_guidance: true,
    });
    const created = [];
    for (let i = 0; i < 4; i++) {
      const title = `Saved once ${i}`;
      const result = await callOk(client, 'create_page', {parent_id: handbook, title});
      assert.equal(result.structuredContent.title, title);
      created.push(result);
    }
    const page = created[0].structuredContent.id;
    let markdown = '';
    for (let i = 0; i < 230; i++) markdown += `para ${i}\n\n`;
    markdown += '- a\n  - b\n    - c\n      - d\n';
    const appended = await callOk(client, 'append_blocks', {block_id: page, markdown});
    assert.equal(appended.structuredContent.appended, 234);
    for (const result of created) {
      await callOk(client, 'update_page', {page_id: result.structuredContent.id, icon: '✅'});
    }
    await callOk(client, 'create_comment', {page_id: runbook, text: 'noted once'});
    await callOk(client, 'trash_page', {page_id: created[3].structuredContent.id});
    // The rest of the write surface through the same faults: each saved once, read back.
    await callOk(client, 'edit_page_content', {
      page_id: created[1].structuredContent.id,
      replace: 'Edited over TLS once.\n',
    });
    await callOk(client, 'edit_page_content', {
      page_id: created[1].structuredContent.id,
      edits: [{old_str: 'Edited over TLS once.', new_str: 'Edited twice over TLS.'}],
    });
    await callOk(
        client, 'move_page',
        {page_id: created[2].structuredContent.id, new_parent_id: created[1].structuredContent.id});
    const db = await callOk(client, 'create_database', {
      parent_id: created[0].structuredContent.id,
      title: 'TLS checks',
      properties: {State: 'select'},
    });
    const source = db.structuredContent.data_source_id;
    await callOk(
        client, 'update_data_source', {data_source_id: source, properties: {Notes: 'rich_text'}});
    const firstBlock = (await allChildren(client, page))[0].id;
    await callOk(client, 'delete_block', {block_id: firstBlock});
    await callOk(client, 'restore_page', {page_id: created[3].structuredContent.id});
    const resource = await withTimeout(
        client.readResource({uri: `notion://page/${created[1].structuredContent.id}`}), 20000,
        'resources/read');
    assert.match(resource.contents[0].text, /Edited twice over TLS\./);
    assert.match(resource.contents[0].text, /```untrusted/);
    const stats = await fake.stats();
    assert.ok(stats.server_errors >= 5, `the fake sent few 503s: ${JSON.stringify(stats)}`);
    const recovered = [...created, appended].filter((r) => /read back, not repeated/.test(resultText(r)));
    assert.ok(recovered.length > 0, 'no write went through the read-back path');

    // Checked with the faults off: exactly one of everything.
    await fake.config({reset: true});
    for (let i = 0; i < 3; i++) assert.equal(await countTitled(client, `Saved once ${i}`), 1);
    const blocks = await allChildren(client, page);
    // 231 appended, then the first deleted (and a database added at the end).
    const paragraphs = blocks.filter((b) => b.type !== 'child_database');
    assert.equal(paragraphs.length, 230, 'an append request was repeated or lost');
    assert.deepEqual(
        paragraphs.slice(0, 229).map((b) => b.text),
        Array.from({length: 229}, (_, i) => `para ${i + 1}`));
    assert.equal(blocks.filter((b) => b.type === 'child_database').length, 1,
                 'create_database was repeated');
    const edited = await callOk(
        client, 'get_page', {page_id: created[1].structuredContent.id, max_chars: 100000});
    assert.match(edited.structuredContent.markdown, /Edited twice over TLS\./);
    const moved = await callOk(
        client, 'get_page', {page_id: created[2].structuredContent.id, include_content: false});
    assert.equal(moved.structuredContent.parent, `page ${created[1].structuredContent.id}`);
    const schema = await callOk(client, 'get_data_source', {data_source_id: source});
    assert.match(JSON.stringify(schema.structuredContent), /Notes/);
    const comments = await callOk(client, 'list_comments', {block_id: runbook});
    assert.equal((resultText(comments).match(/noted once/g) ?? []).length, 1);
    const trashed = await callOk(
        client, 'get_page', {page_id: created[3].structuredContent.id, include_content: false});
    assert.notEqual(trashed.structuredContent.in_trash, true, 'restore_page did not restore');

    const {code} = await server.close();
    assert.equal(code, 0, server.stderr());
    await fake.stop();
  });
});
