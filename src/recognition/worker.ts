/**
 * Entry point of a recognition worker thread: answers inspect and preview requests one at a
 * time. The pool bounds its time (terminate on timeout) and heap (resourceLimits).
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.js';
import { inspectPdf } from './inspect.js';
import { renderPreviewImage } from './preview.js';
import { sectionXml } from './facturx/pdfjs-read.js';
import { validateInWorker } from './facturx/worker-task.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

port.on('message', (req: WorkerRequest) => {
  void handle(req).then(
    (answer) => {
      // The heap in use after the task: the pool replaces a worker whose heap stays large.
      const res = { ...answer, heapMb: getHeapStatistics().used_heap_size / 1_048_576 };
      if (res.ok && res.kind === 'preview') port.postMessage(res, [res.png.buffer as ArrayBuffer]);
      else port.postMessage(res);
    },
    (error: unknown) => {
      const res: WorkerResponse = {
        id: req.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      };
      port.postMessage(res);
    },
  );
});

port.postMessage({ ready: true });

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
  if (req.kind === 'inspect') {
    const report = await inspectPdf(req.bytes, req.fileName, req.limits);
    const facturxXml = sectionXml(report.facturx);
    return { id: req.id, ok: true, kind: 'inspect', report, ...(facturxXml ? { facturxXml } : {}) };
  }
  if (req.kind === 'facturx') {
    return { id: req.id, ok: true, kind: 'facturx', validation: await validateInWorker(req) };
  }
  return {
    id: req.id,
    ok: true,
    kind: 'preview',
    png: await renderPreviewImage(req.bytes, req.report, { scale: req.scale, format: req.format }),
  };
}
