// The sandbox seen from outside the real binary: the worker that speaks MCP runs under seccomp
// with no_new_privs, in its own network namespace, holds no file descriptors to files, sees an
// empty filesystem and never holds the token in its environment; broker and worker end together.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import {after, describe, test} from 'node:test';

import {BIN, CANARY_TOKEN, cleanup, RawServer, sleep, startFake, withTimeout} from './helpers.mjs';

after(cleanup);

// The worker is the broker's only child once the short-lived intermediate has exited.
async function workerOf(brokerPid) {
  for (let i = 0; i < 100; i++) {
    const children = fs.readFileSync(`/proc/${brokerPid}/task/${brokerPid}/children`, 'utf8')
                         .trim()
                         .split(/\s+/)
                         .filter(Boolean);
    if (children.length === 1) return Number(children[0]);
    await sleep(10);
  }
  throw new Error(`broker ${brokerPid} has no single worker child`);
}

function statusField(pid, field) {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
                   .split('\n')
                   .find((l) => l.startsWith(`${field}:`));
  return line ? line.split(':')[1].trim() : undefined;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// The broker confines itself after it has forked the worker, so it may still be at it when the
// worker has already answered: wait for `field` to read `value` (at most `ms`).
async function statusBecomes(pid, field, value, ms) {
  for (let waited = 0; waited < ms; waited += 10) {
    if (statusField(pid, field) === value) return true;
    await sleep(10);
  }
  return statusField(pid, field) === value;
}

async function gone(pid, ms) {
  for (let waited = 0; waited < ms; waited += 10) {
    if (!alive(pid)) return true;
    await sleep(10);
  }
  return !alive(pid);
}

describe('the sandboxed worker, from outside', () => {
  test('seccomp, no_new_privs, own network namespace, no files, empty root', async () => {
    const server = RawServer.start();
    await server.initialize();
    const worker = await workerOf(server.child.pid);

    assert.equal(statusField(worker, 'Seccomp'), '2');
    assert.equal(statusField(worker, 'NoNewPrivs'), '1');
    assert.equal(statusField(worker, 'CapEff'), '0000000000000000');
    assert.notEqual(
        fs.readlinkSync(`/proc/${worker}/ns/net`), fs.readlinkSync('/proc/self/ns/net'),
        'the worker shares our network namespace');

    const fds = fs.readdirSync(`/proc/${worker}/fd`);
    for (const fd of fds) {
      const target = fs.readlinkSync(`/proc/${worker}/fd/${fd}`);
      assert.ok(
          /^(pipe|socket|anon_inode):/.test(target),
          `worker fd ${fd} points at ${target}, not a pipe or socket`);
    }
    assert.deepEqual(fs.readdirSync(`/proc/${worker}/root`), [], 'the worker can see files');

    // The jail did not get in the way of serving.
    const answer = await server.request('tools/call', {name: 'get_self', arguments: {}});
    assert.equal(answer.result.structuredContent.type, 'bot');
    server.child.stdin.end();
    assert.equal((await withTimeout(server.exited, 5000, 'exit')).code, 0);
  });

  test('the broker confines itself: seccomp filter, no_new_privs, Landlock', async () => {
    const fake = await startFake();
    try {
      // Against the fake, so the broker has credentials to hold and connections to open.
      const server = RawServer.start({args: ['serve'], env: fake.env()});
      await server.initialize();
      const broker = server.child.pid;
      assert.ok(
          await statusBecomes(broker, 'Seccomp', '2', 2000),
          `the broker is not filtered: Seccomp ${statusField(broker, 'Seccomp')}`);
      assert.equal(statusField(broker, 'NoNewPrivs'), '1');
      // It still does its job under its own filter: CONNECT and TOKEN for a real call.
      const answer = await server.request('tools/call', {name: 'get_self', arguments: {}});
      assert.ok(answer.result && !answer.result.isError, JSON.stringify(answer));
      // A broker that could not confine itself says so at the default log level.
      assert.doesNotMatch(server.stderrText, /broker: (Landlock|seccomp) unavailable/);
      server.child.stdin.end();
      assert.equal((await withTimeout(server.exited, 5000, 'exit')).code, 0);
    } finally {
      await fake.stop();
    }
  });

  test('the token stays in the broker: not in any environment, still used over TLS', async () => {
    const fake = await startFake();
    try {
      const server = RawServer.start({args: ['serve'], env: fake.env()});
      await server.initialize();
      const worker = await workerOf(server.child.pid);
      for (const pid of [server.child.pid, worker]) {
        const environ = fs.readFileSync(`/proc/${pid}/environ`);
        assert.equal(environ.indexOf(CANARY_TOKEN), -1, `the token is in /proc/${pid}/environ`);
      }
      const answer = await server.request('tools/call', {name: 'get_self', arguments: {}});
      assert.ok(answer.result && !answer.result.isError, JSON.stringify(answer));
      assert.equal(server.stderrText.indexOf(CANARY_TOKEN), -1);
      server.child.stdin.end();
      assert.equal((await withTimeout(server.exited, 5000, 'exit')).code, 0);
    } finally {
      await fake.stop();
    }
  });

  test('a worker killed by a signal ends the broker with the same status', async () => {
    const server = RawServer.start();
    await server.initialize();
    const worker = await workerOf(server.child.pid);
    process.kill(worker, 'SIGKILL');
    const {code} = await withTimeout(server.exited, 5000, 'the broker to exit');
    assert.equal(code, 128 + 9);
  });

  test('a broker that dies takes the worker with it', async () => {
    const server = RawServer.start();
    await server.initialize();
    const worker = await workerOf(server.child.pid);
    process.kill(server.child.pid, 'SIGKILL');
    assert.ok(await gone(worker, 3000), `worker ${worker} outlived its broker`);
  });

  test('--sandbox=off says so loudly and leaves the process unconfined', async () => {
    const server = RawServer.start({args: ['serve', '--demo', '--sandbox=off']});
    await server.initialize();
    // stderr is a separate pipe: its bytes may arrive after the answer on stdout.
    for (let i = 0; i < 100 && !/SANDBOX OFF/.test(server.stderrText); i++) await sleep(20);
    assert.match(server.stderrText, /SANDBOX OFF/);
    assert.equal(statusField(server.child.pid, 'Seccomp'), '0');
    server.child.stdin.end();
    assert.equal((await withTimeout(server.exited, 5000, 'exit')).code, 0);
  });

  test('sandbox-check reports every layer and denies every attempt', () => {
    const run = spawnSync(BIN, ['sandbox-check'], {encoding: 'utf8', timeout: 60000});
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /seccomp\s+active/);
    assert.match(run.stdout, /landlock\s+active/);
    assert.doesNotMatch(run.stdout, /ALLOWED|not tested|ERROR/);
    assert.match(run.stdout, /every attempt was denied/);
  });
});
