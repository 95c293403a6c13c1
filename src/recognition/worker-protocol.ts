/** Messages between the pool (main thread) and a recognition worker. */
import type { InspectionReport } from './types.js';
import type { InspectLimits } from './basic-report.js';
import type { FacturxProfile, FacturxValidation } from './facturx/types.js';
import type { PreviewFormat } from './types.js';

export type WorkerRequest =
  | { id: number; kind: 'inspect'; bytes: Uint8Array; fileName: string; limits: InspectLimits }
  | {
      id: number;
      kind: 'preview';
      bytes: Uint8Array;
      report: InspectionReport;
      scale: number;
      format: PreviewFormat;
    }
  /** Factur-X validation of `xml`, or of the invoice XML found in the PDF `pdf`. */
  | { id: number; kind: 'facturx'; xml?: Uint8Array; pdf?: Uint8Array; profile: FacturxProfile | null };

/** First message of a worker once its modules are loaded: `{ ready: true }`. */
export type WorkerResponse =
  | { id: number; ok: true; kind: 'inspect'; report: InspectionReport; facturxXml?: Uint8Array }
  | { id: number; ok: true; kind: 'facturx'; validation: FacturxValidation }
  | { id: number; ok: true; kind: 'preview'; png: Uint8Array }
  | { id: number; ok: false; message: string };
