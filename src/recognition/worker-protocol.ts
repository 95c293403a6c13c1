/** Messages between the pool (main thread) and a recognition worker. */
import type { InspectionReport } from './types.js';
import type { InspectLimits } from './basic-report.js';

export type WorkerRequest =
  | { id: number; kind: 'inspect'; bytes: Uint8Array; fileName: string; limits: InspectLimits }
  | { id: number; kind: 'preview'; bytes: Uint8Array; report: InspectionReport; scale: number };

/** First message of a worker once its modules are loaded: `{ ready: true }`. */
export type WorkerResponse =
  | { id: number; ok: true; kind: 'inspect'; report: InspectionReport }
  | { id: number; ok: true; kind: 'preview'; png: Uint8Array }
  | { id: number; ok: false; message: string };
