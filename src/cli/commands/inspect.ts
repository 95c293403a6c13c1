/**
 * `facteur inspect FILE... [--json] [--preview out.png]`: what Chorus Pro would read on each
 * invoice and which golden rules it breaks. `--json` prints the contract of
 * the project reference « inspect-report.md » (JSON Lines for several files). Exit code: 0 when every
 * file could be inspected, 2 when a file is unusable (not a PDF, damaged, encrypted), 1 on a usage
 * error or a file that cannot be read.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import {
  createRecognizer,
  DEFAULT_LIMITS,
  isUnusable,
  oversizedReport,
  type InspectionReport,
} from '../../recognition/index.js';
import { HeapTuningError, tuneHeap } from '../../shared/heap-tuning.js';
import { formatReport } from '../../recognition/format.js';

export const summary = 'lit une facture PDF comme Chorus Pro et signale ce qui bloquerait le dépôt';

const HELP = `Usage : facteur inspect FICHIER.pdf... [--json] [--jobs N] [--preview apercu.png]

Lit chaque facture comme le fait Chorus Pro (3 premières pages) : champs reconnus par bloc
du formulaire de dépôt, puis les points à corriger avec un conseil.

Options :
  --json                 rapport JSON (une ligne par fichier si plusieurs fichiers)
  --jobs N               fichiers lus en parallèle (défaut 1 : le moins de mémoire ; jusqu’au
                         nombre de cœurs pour aller plus vite sur un gros lot)
  --preview FICHIER.png  image de la page 1 avec un cadre autour de chaque champ reconnu
                         (un seul fichier PDF)
  -h, --help             cette aide

Code de sortie : 0 si chaque fichier a pu être lu, 2 si un fichier est inutilisable
(pas un PDF, endommagé, protégé), 1 en cas d’erreur d’utilisation.
`;

interface Options {
  files: string[];
  json: boolean;
  /** Recognition workers (each holds its own pdfjs: about 60–100 MB). */
  jobs: number;
  preview?: string;
}

/** Upper bound of `--jobs`: more workers than that only share the same cores. */
const MAX_JOBS = 16;

function parseJobs(value: string | undefined): number | string {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n < 1 || n > MAX_JOBS)
    return `l’option --jobs attend un nombre entier de 1 à ${MAX_JOBS}.`;
  return n;
}

function parseArgs(argv: string[]): Options | string {
  const opts: Options = { files: [], json: false, jobs: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json') opts.json = true;
    else if (a === '--jobs' || a.startsWith('--jobs=')) {
      const jobs = parseJobs(a === '--jobs' ? argv[++i] : a.slice('--jobs='.length));
      if (typeof jobs === 'string') return jobs;
      opts.jobs = jobs;
    } else if (a === '--preview') {
      const out = argv[++i];
      if (!out) return 'l’option --preview attend le chemin de l’image à écrire.';
      opts.preview = out;
    } else if (a.startsWith('--preview=')) opts.preview = a.slice('--preview='.length);
    else if (a === '--') {
      opts.files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-')) return `option inconnue « ${a} ».`;
    else opts.files.push(a);
  }
  if (opts.files.length === 0) return 'indiquez au moins un fichier PDF.';
  if (opts.preview && opts.files.length > 1)
    return 'l’aperçu (--preview) ne se fait que pour un seul fichier.';
  return opts;
}

/** How many files are read and queued per worker (the pool does the parallel work). */
const WINDOW_PER_JOB = 4;

const command: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(HELP);
    return 0;
  }
  const opts = parseArgs(argv);
  if (typeof opts === 'string') {
    io.stderr.write(`facteur inspect : ${opts}\n\n${HELP}`);
    return 1;
  }
  try {
    tuneHeap(io.env); // the worker's heap too: a batch allocates fast
  } catch (error) {
    if (!(error instanceof HeapTuningError)) throw error;
    io.stderr.write(`facteur inspect : ${error.userMessage}\n`);
    return 1;
  }
  // One worker by default: a batch costs one pdfjs in memory; --jobs trades memory for speed.
  const recognizer = createRecognizer({ poolSize: opts.jobs });
  const queued = Math.max(8, opts.jobs * WINDOW_PER_JOB);
  let exitCode = 0;
  let usageError = false;
  try {
    const jobs: Array<
      Promise<{ file: string; bytes?: Uint8Array; report?: InspectionReport; error?: string }>
    > = [];
    const start = async (file: string) => {
      const path = resolve(io.cwd, file);
      try {
        // A file far over the limit is judged by its size, without loading it.
        if ((await stat(path)).size > DEFAULT_LIMITS.maxBytes) return { file, report: oversizedReport(file) };
        const bytes = await readFile(path);
        // The Factur-X validation completes the report (the conversation shows the fast one first).
        const report = await recognizer.validateFacturx(bytes, await recognizer.inspect(bytes, file));
        return { file, bytes, report };
      } catch (error) {
        return { file, error: readError(file, error as NodeJS.ErrnoException) };
      }
    };
    let next = 0;
    while (next < Math.min(queued, opts.files.length)) jobs.push(start(opts.files[next++] as string));
    for (let i = 0; i < opts.files.length; i++) {
      const result = await (jobs[i] as (typeof jobs)[number]);
      if (next < opts.files.length) jobs.push(start(opts.files[next++] as string));
      jobs[i] = Promise.resolve({ file: result.file }); // release the bytes
      if (result.error || !result.report) {
        io.stderr.write(`facteur inspect : ${result.error ?? 'erreur inconnue'}\n`);
        usageError = true;
        continue;
      }
      const report = result.report;
      if (isUnusable(report)) exitCode = 2;
      io.stdout.write(
        opts.json
          ? JSON.stringify(report) + '\n'
          : formatReport(report) + (opts.files.length > 1 ? '\n' : ''),
      );
      if (opts.preview && result.bytes && !isUnusable(report)) {
        const png = await recognizer.renderPreview(result.bytes, report);
        await writeFile(resolve(io.cwd, opts.preview), png);
        if (!opts.json) io.stdout.write(`Aperçu écrit dans ${opts.preview}\n`);
      } else if (opts.preview) {
        io.stderr.write('facteur inspect : pas d’aperçu pour un fichier inutilisable.\n');
      }
    }
  } finally {
    await recognizer.close();
  }
  return usageError ? 1 : exitCode;
};

function readError(file: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `fichier introuvable : ${file}`;
  if (error.code === 'EISDIR') return `${file} est un dossier, pas un fichier.`;
  if (error.code === 'EACCES') return `lecture interdite : ${file}`;
  return `impossible de lire ${file} (${error.code ?? error.message})`;
}

export default command;
