/**
 * Ghostscript as an optional repair tool: only when the PDF has something pdf-lib cannot make
 * PDF/A (a non-embedded font that is not a standard one, CMYK colours, LZW streams), and only
 * when a `gs` binary is there. It rewrites the pages (fonts embedded and subset, colours
 * converted to RGB); the XML, XMP and output intent are added after, as for any PDF.
 * Ghostscript is AGPL: it is run as a separate program, never linked.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GhostscriptError } from '../errors.js';

export interface Ghostscript {
  /** The PDF rewritten as PDF/A-3 by `gs -dPDFA=3`. */
  convert(pdf: Uint8Array): Promise<Uint8Array>;
}

const run = (bin: string, args: string[], timeout: number) =>
  new Promise<string>((resolve, reject) => {
    execFile(bin, args, { timeout, maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stderr })) : resolve(String(stdout)),
    );
  });

/** The Ghostscript at `bin` when it answers `--version`, else null (not installed). */
export async function findGhostscript(bin = 'gs', timeoutMs = 60_000): Promise<Ghostscript | null> {
  try {
    await run(bin, ['--version'], 10_000);
  } catch {
    return null;
  }
  return {
    async convert(pdf) {
      const dir = await mkdtemp(join(tmpdir(), 'facteur-gs-'));
      try {
        const input = join(dir, 'in.pdf');
        const output = join(dir, 'out.pdf');
        await writeFile(input, pdf);
        await run(
          bin,
          [
            '-dPDFA=3',
            '-dBATCH',
            '-dNOPAUSE',
            '-dQUIET',
            '-dSAFER',
            '-dNOOUTERSAVE',
            '-sDEVICE=pdfwrite',
            '-sColorConversionStrategy=RGB',
            '-dPDFACompatibilityPolicy=1',
            `-sOutputFile=${output}`,
            input,
          ],
          timeoutMs,
        );
        return new Uint8Array(await readFile(output));
      } catch (error) {
        throw new GhostscriptError(
          `ghostscript conversion failed: ${(error as Error).message.split('\n')[0]}`,
          {
            cause: error,
          },
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
