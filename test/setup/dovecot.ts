/**
 * vitest globalSetup: makes sure the mail suites have a Dovecot to start. When `dovecot` is
 * missing and this is a Debian machine run as root, it installs `dovecot-imapd` once (a lock in
 * the temp dir keeps two test runs of the same machine from running apt at the same time) and
 * stops the service the package starts (the tests run their own Dovecot per file). Otherwise the
 * mail suites are skipped with one line saying what to install — and under CI=true a missing
 * Dovecot fails the run instead, so that a green CI never hides skipped mail tests.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

const run = promisify(execFile);
const INSTALL_HINT = 'apt-get install -y dovecot-imapd (Debian, as root)';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the mail suites cannot run (empty when Dovecot is there). */
    dovecotMissing: string;
  }
}

async function has(command: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir && existsSync(join(dir, command))) return true;
  }
  return false;
}

/** A lock made of a directory (mkdir is atomic); a lock older than 10 minutes is a crashed run's. */
async function withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), name);
  for (let i = 0; i < 1200; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmdirSync(lock);
      } catch {
        // taken and released meanwhile
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await task();
  } finally {
    try {
      rmdirSync(lock);
    } catch {
      // already gone
    }
  }
}

/** Stops the system service the package may have started (only the package's own instance). */
async function stopPackageService(): Promise<void> {
  await run('systemctl', ['stop', 'dovecot']).catch(() => undefined);
  const pidFile = '/run/dovecot/master.pid';
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 1) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // not running
      }
    }
  }
}

async function install(): Promise<string> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => run('apt-get', args, { env, maxBuffer: 64 * 1024 * 1024 });
  try {
    await apt(['install', '-y', '-qq', '--no-install-recommends', 'dovecot-imapd']);
  } catch {
    // The package lists may be missing or stale on a fresh machine.
    await apt(['update', '-qq']);
    await apt(['install', '-y', '-qq', '--no-install-recommends', 'dovecot-imapd']);
  }
  await stopPackageService();
  return (await has('dovecot')) ? '' : 'dovecot still missing after apt-get install';
}

async function ensureDovecot(): Promise<string> {
  if (await has('dovecot')) return '';
  const canInstall = process.getuid?.() === 0 && existsSync('/etc/debian_version') && (await has('apt-get'));
  if (!canInstall) return `Dovecot is not installed: ${INSTALL_HINT}`;
  return withLock('facteur-dovecot-install.lock', async () => {
    if (await has('dovecot')) return '';
    console.log('mail tests: installing Dovecot (apt-get install dovecot-imapd)…');
    try {
      return await install();
    } catch (error) {
      return `Dovecot could not be installed (${(error as Error).message.split('\n')[0]}): ${INSTALL_HINT}`;
    }
  });
}

export default async function setup(project: TestProject): Promise<void> {
  const missing = await ensureDovecot();
  if (missing && process.env.CI === 'true') {
    throw new Error(`CI=true and the mail suites cannot run: ${missing}`);
  }
  if (missing) console.log(`mail tests skipped: ${missing}`);
  project.provide('dovecotMissing', missing);
}
