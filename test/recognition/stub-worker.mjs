// A stand-in recognition worker for the pool tests: its behaviour is chosen by the file name.
import { parentPort, threadId } from 'node:worker_threads';

parentPort.postMessage({ ready: true });

parentPort.on('message', (req) => {
  const name = req.fileName ?? '';
  if (name === 'hang.pdf') return; // never answers: the pool must time out and replace us
  if (name === 'crash.pdf') process.exit(3);
  if (name === 'oom.pdf') {
    const hog = [];
    for (;;) hog.push(new Array(1e6).fill(hog.length));
  }
  if (name === 'throw.pdf') {
    parentPort.postMessage({ id: req.id, ok: false, message: 'boom' });
    return;
  }
  const report = {
    file: name,
    pageCount: 1,
    pagesRead: 1,
    fields: {},
    violations: [],
    threadId: process.pid,
    worker: threadId,
  };
  setTimeout(() => parentPort.postMessage({ id: req.id, ok: true, kind: 'inspect', report }), 5);
});
