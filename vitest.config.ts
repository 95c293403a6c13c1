import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Installs Dovecot when missing and possible (root, Debian); else the mail suites skip (CI fails).
    globalSetup: ['test/setup/dovecot.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start real servers (simulator, Dovecot, SMTP, fake Bot API) on loopback:
    // files run in parallel processes, tests inside a file in order.
    pool: 'forks',
    maxWorkers: 2,
    // .ci/run reads the JSON report for its `N passed, N failed` line.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
