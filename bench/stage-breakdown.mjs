// Reads a FACTEUR_STAGE_TRACE file (src/shared/stage-trace.ts) and prints, per stage, the median
// and p95 of the time since the previous stage, and of the time since the first document arrived.
// Usage: node bench/stage-breakdown.mjs /tmp/trace.jsonl
import { readFileSync } from 'node:fs';

const ORDER = [
  'received',
  'locked',
  'allowed',
  'statusSent',
  'fileSlot',
  'downloaded',
  'analyse.start',
  'analyse.creds',
  'analyse.inspected',
  'analyse.chorusDone',
  'analyse.lookups',
  'handled',
  'reportSent',
  'done',
];
const docs = readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l).marks);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const t0 = Math.min(...docs.map((d) => d.received));
console.log(`${docs.length} documents; stage: since previous stage p50/p95 | since first arrival p50/p95 (ms)`);
let prev;
for (const stage of ORDER) {
  const have = docs.filter((d) => d[stage] !== undefined);
  if (have.length === 0) continue;
  const step = prev ? have.filter((d) => d[prev] !== undefined).map((d) => d[stage] - d[prev]) : [];
  const abs = have.map((d) => d[stage] - t0);
  console.log(
    `  ${stage.padEnd(20)} ${step.length ? `${pct(step, 50).toFixed(0).padStart(6)} ${pct(step, 95).toFixed(0).padStart(6)}` : '     -      -'} | ` +
      `${pct(abs, 50).toFixed(0).padStart(6)} ${pct(abs, 95).toFixed(0).padStart(6)}  (n=${have.length})`,
  );
  if (stage !== 'analyse.chorusDone') prev = stage;
}
