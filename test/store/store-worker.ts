/**
 * A second Facteur process for the multi-process tests (run with `node --import tsx`).
 * argv[2]: JSON { deps, mode, ... }. Prints one JSON line with its results on stdout.
 */
import { RevisionConflictError, createStore, type StoreDeps } from '../../src/store/index.js';

interface Job {
  deps: StoreDeps;
  mode: 'open' | 'deliver' | 'create' | 'until-killed';
  worker?: string;
  conversations?: string[];
  own?: number;
  shared?: number;
  accountId?: string;
  count?: number;
  /** Print `ready`, then wait for a `go` line on stdin: workers booted separately start together. */
  barrier?: boolean;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
if (job.barrier) {
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    process.stdin.on('data', (d: Buffer) => {
      if (d.toString().includes('go')) resolve();
    });
  });
  process.stdin.pause();
}
const store = await createStore(job.deps);
const out: Record<string, unknown> = { worker: job.worker };
let conflicts = 0;

async function deliver(conversationId: string, event: string, key: string): Promise<'applied' | 'duplicate'> {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const current = await store.conversations.get(conversationId);
    if (!current) throw new Error(`conversation ${conversationId} missing`);
    const events = [...(current.snapshot as { events: string[] }).events, event];
    try {
      const outcome = await store.conversations.apply({
        conversationId,
        expectedRevision: current.revision,
        snapshot: { events },
        status: 'open',
        idempotencyKey: key,
        result: [{ event }],
      });
      return outcome.applied ? 'applied' : 'duplicate';
    } catch (error) {
      if (!(error instanceof RevisionConflictError)) throw error;
      conflicts++;
    }
  }
  throw new Error('gave up after 1000 conflicts');
}

if (job.mode === 'deliver') {
  let applied = 0;
  let duplicates = 0;
  const count = (r: 'applied' | 'duplicate') => (r === 'applied' ? applied++ : duplicates++);
  const own = job.own ?? 10;
  const shared = job.shared ?? 5;
  for (let i = 0; i < Math.max(own, shared); i++) {
    for (const conv of job.conversations ?? []) {
      if (i < own) {
        const key = `${job.worker}:${conv}:${i}`;
        count(await deliver(conv, `${job.worker}:${i}`, key));
        // The channel redelivers the same message (crash before its ack): must be a duplicate.
        if (i % 3 === 0) count(await deliver(conv, `${job.worker}:${i}`, key));
      }
      if (i < shared) count(await deliver(conv, `shared:${i}`, `shared:${conv}:${i}`));
    }
  }
  Object.assign(out, { applied, duplicates, conflicts });
} else if (job.mode === 'until-killed') {
  // Applies events to one draft until the test kills the process (bounded: 20,000 events, 30 s).
  const conv = job.conversations?.[0] ?? '';
  const deadline = Date.now() + 30_000;
  for (let i = 0; i < 20_000 && Date.now() < deadline; i++) {
    await deliver(conv, `K:${i}`, `K:${conv}:${i}`);
    if (i === 20) process.stdout.write('running\n');
  }
} else if (job.mode === 'create') {
  const numbers: string[] = [];
  for (let i = 0; i < (job.count ?? 10); i++) {
    const conv = await store.conversations.create({
      accountId: job.accountId ?? '',
      startedBy: { channel: 'terminal', userId: 'local' },
      snapshot: {},
      machineVersion: 1,
      makeCurrent: false,
    });
    numbers.push(conv.provisionalNumber);
  }
  out.numbers = numbers;
}
await store.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
