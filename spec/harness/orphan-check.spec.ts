/**
 * Harness — the orphan cleanup signals a process only when /proc shows it is a server of the
 * killed run: its user, its binary and its data folder. A pid read from postmaster.pid (a file
 * the server's user can write) that names any other process proves nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOurServerProcess, type RunRecord } from '../../helpers/server/run-dirs.js';

let child: ChildProcess;
let record: RunRecord;

beforeAll(async () => {
  // A stand-in "server": this Node binary, with `-D <folder>` among its arguments, as postgres has.
  child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', '--', '-D', '/tmp/arcane-orphan-check/data'], {
    stdio: 'ignore',
  });
  await new Promise((resolve) => child.once('spawn', resolve));
  record = {
    runnerPid: process.pid,
    runnerStart: '0',
    serverDir: '/tmp/arcane-orphan-check',
    dataDir: '/tmp/arcane-orphan-check/data',
    serverUid: process.getuid?.() ?? 0,
    postgresBinary: process.execPath,
  };
});

afterAll(() => {
  child.kill('SIGKILL');
});

describe('harness · orphan cleanup verifies a process before signalling it', () => {
  it('recognizes the process of the record: same user, binary and data folder', () => {
    expect(isOurServerProcess(child.pid!, record)).toBe(true);
  });

  it('refuses a process of another user, another binary, another data folder, or no process', () => {
    expect(isOurServerProcess(child.pid!, { ...record, serverUid: record.serverUid + 4242 })).toBe(false);
    expect(isOurServerProcess(child.pid!, { ...record, postgresBinary: '/bin/sh' })).toBe(false);
    expect(isOurServerProcess(child.pid!, { ...record, dataDir: '/tmp/another/data' })).toBe(false);
    expect(isOurServerProcess(process.pid, record)).toBe(false); // the grader itself, named in a forged postmaster.pid
    expect(isOurServerProcess(2 ** 22 + 1, record)).toBe(false);
  });
});
