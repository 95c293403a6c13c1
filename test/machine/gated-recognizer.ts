import { PreviewError } from '../../src/recognition/errors.js';
import type { Recognizer } from '../../src/recognition/types.js';

/**
 * A real recognizer seen through a counter and a gate: `inspects` counts the readings that reach
 * the engine, previews wait for `releasePreviews()` (or fail with `failPreviews()`), so a test
 * sees what the user gets before the preview is drawn.
 */
export function gatedRecognizer(real: Recognizer) {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  let failing = false;
  const state = { inspects: 0, previewsAsked: 0, previewsDrawn: 0 };
  const recognizer: Recognizer = {
    inspect(bytes, fileName) {
      state.inspects += 1;
      return real.inspect(bytes, fileName);
    },
    async renderPreview(bytes, report, options) {
      state.previewsAsked += 1;
      await gate;
      if (failing) throw new PreviewError('preview failed: test');
      const image = await real.renderPreview(bytes, report, options);
      state.previewsDrawn += 1;
      return image;
    },
    validateFacturx: (bytes, report) => real.validateFacturx(bytes, report),
    close: () => real.close(),
  };
  return {
    recognizer,
    state,
    releasePreviews: () => open(),
    failPreviews: () => {
      failing = true;
      open();
    },
    /** Closes the gate again for the next test. */
    reset: () => {
      failing = false;
      gate = new Promise<void>((resolve) => (open = resolve));
      Object.assign(state, { inspects: 0, previewsAsked: 0, previewsDrawn: 0 });
    },
  };
}
