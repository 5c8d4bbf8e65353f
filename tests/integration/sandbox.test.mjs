// The sandbox seen from outside the real binary: the worker that speaks MCP runs under seccomp
// with no_new_privs, in its own network namespace, holds no file descriptors to files, sees an
// empty filesystem and never holds the token in its environment; broker and worker end together.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';

import {
  BIN,
  CANARY_TOKEN,
  cleanup,
  makeTempDir,
  RawServer,
  sleep,
  startFake,
  withTimeout
} from './helpers.mjs';

const BROKER_BIN = path.join(path.dirname(BIN), 'notion-mcp-broker');

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
      // The broker takes NOTION_TOKEN out of its environment before it confines itself.
      assert.ok(await statusBecomes(server.child.pid, 'Seccomp', '2', 2000));
      for (const pid of [server.child.pid, worker]) {
        let environ;
        try {
          environ = fs.readFileSync(`/proc/${pid}/environ`);
        } catch (error) {
          // Both are undumpable: only root may read them, and then this checks the contents.
          assert.equal(error.code, 'EACCES');
          assert.notEqual(process.getuid(), 0);
          continue;
        }
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

  test('the broker is the small notion-mcp-broker program, without the MCP code', async () => {
    const fake = await startFake();
    try {
      const server = RawServer.start({args: ['serve'], env: fake.env()});
      await server.initialize();
      const broker = server.child.pid;
      // serve forks the worker, then execs the broker program in its own place. Its name is
      // readable by anyone; its executable and maps only by root (it is not dumpable).
      let name = '';
      for (let i = 0; i < 200 && name !== 'notion-mcp-brok'; i++) {
        name = statusField(broker, 'Name');
        if (name !== 'notion-mcp-brok') await sleep(10);
      }
      assert.equal(name, 'notion-mcp-brok');
      // It is still the worker's parent and serves it: CONNECT and TOKEN for a real call.
      const worker = await workerOf(broker);
      const answer = await server.request('tools/call', {name: 'get_self', arguments: {}});
      assert.ok(answer.result && !answer.result.isError, JSON.stringify(answer));
      if (process.getuid() === 0) {
        assert.equal(fs.readlinkSync(`/proc/${broker}/exe`), fs.realpathSync(BROKER_BIN));
        assert.equal(fs.readlinkSync(`/proc/${worker}/exe`), fs.realpathSync(BIN));
        // After a real call, so that whatever the broker loads on demand is mapped by now.
        const maps = fs.readFileSync(`/proc/${broker}/maps`, 'utf8');
        for (const library of ['libsimdjson', 'libcurl', 'notion-mcp\n']) {
          assert.ok(!maps.includes(library), `the broker maps ${library.trim()}`);
        }
      }
      assert.doesNotMatch(server.stderrText, /broker runs inside this process/);
      server.child.stdin.end();
      assert.equal((await withTimeout(server.exited, 5000, 'exit')).code, 0);
    } finally {
      await fake.stop();
    }
  });

  test('other processes of the same user cannot read the broker (not dumpable)', async () => {
    // As an unprivileged user (root could read anything): the server and the reader both run
    // as nobody when the tests run as root, else as the current user.
    const asUser = process.getuid() === 0 ?
        ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] :
        [];
    const server = RawServer.start({
      bin: asUser.length ? asUser[0] : BIN,
      args: [...asUser.slice(1), ...(asUser.length ? [BIN] : []), 'serve', '--demo'],
      env: asUser.length ? {HOME: os.tmpdir()} : {}  // nobody cannot read root's config
    });
    await server.initialize();
    const broker = server.child.pid;
    assert.ok(await statusBecomes(broker, 'Seccomp', '2', 2000));
    const readAs = (pid) => spawnSync(
        asUser.length ? asUser[0] : 'cat',
        [...asUser.slice(1), ...(asUser.length ? ['cat'] : []), `/proc/${pid}/environ`],
        {encoding: 'utf8', timeout: 10000});
    // The control: a process of the same user that is dumpable can be read.
    const control = readAs('self');
    assert.equal(control.status, 0, `the control read failed: ${control.stderr}`);
    const denied = readAs(broker);
    assert.notEqual(denied.status, 0, 'the broker\'s environment is readable by its user');
    assert.match(denied.stderr, /Permission denied/);
    server.child.stdin.end();
    assert.equal((await withTimeout(server.exited, 5000, 'exit')).code, 0);
  });

  test('a stop signal while the broker is still reading the keyring ends both at once', async () => {
    // A session bus that accepts the connection and never answers: the broker's keyring
    // lookup waits (up to its 10 s timeout) before it reaches its signal loop.
    const dir = makeTempDir();
    const busPath = path.join(dir, 'bus');
    let connected;
    const reached = new Promise((resolve) => {
      connected = resolve;
    });
    const silent = [];
    const bus = net.createServer((socket) => {
      silent.push(socket);
      connected();
    });
    await new Promise((resolve) => bus.listen(busPath, resolve));
    try {
      const server = RawServer.start({
        args: ['serve'],
        env: {HOME: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${busPath}`}
      });
      await server.initialize();  // the worker serves while the broker waits
      await withTimeout(reached, 5000, 'the broker to ask the keyring');
      assert.equal(statusField(server.child.pid, 'Seccomp'), '0', 'the broker is not starting');
      const sent = Date.now();
      server.child.kill('SIGTERM');
      const {code, signal} = await withTimeout(server.exited, 2000, 'exit after SIGTERM');
      assert.equal(signal, null, `killed by ${signal}`);
      assert.equal(code, 0, server.stderrText);
      assert.ok(Date.now() - sent < 1000, `took ${Date.now() - sent} ms`);
    } finally {
      for (const socket of silent) socket.destroy();
      bus.close();
    }
  });

  test('without notion-mcp-broker installed, serve says so and still serves', async () => {
    const dir = makeTempDir();
    const lonely = path.join(dir, 'notion-mcp');
    fs.copyFileSync(BIN, lonely);
    fs.chmodSync(lonely, 0o755);
    const server = RawServer.start({bin: lonely});
    await server.initialize();
    const answer = await server.request('tools/list', {});
    assert.ok(answer.result.tools.length > 0);
    for (let i = 0; i < 100 && !/broker runs inside/.test(server.stderrText); i++) await sleep(20);
    assert.match(server.stderrText, /notion-mcp-broker is not installed \(looked for .*\)/);
    assert.match(server.stderrText, /Reinstall notion-mcp/);
    // The in-process broker confines itself just the same.
    assert.ok(await statusBecomes(server.child.pid, 'Seccomp', '2', 2000));
    server.child.stdin.end();
    assert.equal((await withTimeout(server.exited, 5000, 'exit')).code, 0);
  });

  test('notion-mcp-broker started by hand explains itself and exits', () => {
    const byHand = spawnSync(BROKER_BIN, [], {encoding: 'utf8', timeout: 10000});
    assert.equal(byHand.status, 2);
    assert.match(byHand.stderr, /started by `notion-mcp serve`.*not meant to be run by hand/);
    // A descriptor that is not the channel, a pid that is not its child: refused, not served.
    const forged = spawnSync(
        BROKER_BIN, ['--version=0.0.0', '--channel=0', '--pidfd=-1', '--worker-pid=1', '--demo'],
        {encoding: 'utf8', timeout: 10000, stdio: ['ignore', 'pipe', 'pipe']});
    assert.equal(forged.status, 2);
    assert.match(forged.stderr, /descriptor 0 is not the channel/);
    const unknown = spawnSync(BROKER_BIN, ['--token=x'], {encoding: 'utf8', timeout: 10000});
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown argument --token=x/);
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

  // How most people run it: not as root, so the intermediate shares the broker's memory
  // (sandbox/spawn.cpp) instead of being a fork as it is for root. When the tests run as root,
  // the same check as nobody.
  test('sandbox-check as an unprivileged user holds too', {skip: process.getuid() !== 0}, () => {
    const run = spawnSync(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', BIN, 'sandbox-check'],
        {encoding: 'utf8', timeout: 60000, env: {PATH: process.env.PATH, HOME: os.tmpdir()}});
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /seccomp\s+active/);
    assert.match(run.stdout, /user-namespace\s+active/);
    assert.doesNotMatch(run.stdout, /ALLOWED|not tested|ERROR/);
    assert.match(run.stdout, /every attempt was denied/);
  });
});
