import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateStore, type Piece, type SimInvoice } from '../../src/deposit/simulator/store.js';
import { createSilentLogger } from '../../src/shared/logger.js';

const logger = createSilentLogger();
const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'facteur-sim-journal-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function piece(id: number): Piece {
  return {
    id,
    login: 'demo',
    fileName: `f-${id}.pdf`,
    size: 10,
    sha256: 'ab',
    uploadedAt: '2026-01-01T00:00:00Z',
  };
}

function invoice(id: number, pieceId: number): SimInvoice {
  return {
    id,
    login: 'demo',
    number: `F-${id}`,
    invoiceDate: '2026-01-01',
    depositedAt: '2026-01-01T00:00:00Z',
    supplierStructureId: 1,
    supplierSiret: '1',
    supplierName: 'S',
    recipientStructureId: 2,
    recipientSiret: '2',
    recipientName: 'R',
    cadreCode: 'A1_FACTURE_FOURNISSEUR',
    invoiceType: 'FACTURE',
    vatRegime: 'TVA_SUR_DEBIT',
    paymentMode: 'VIREMENT',
    currency: 'EUR',
    totalExclTax: 100,
    totalTax: 20,
    totalInclTax: 120,
    amountDue: 120,
    pieceJointeId: pieceId,
    fileName: 'f.pdf',
    modeDepot: 'DEPOT_PDF_API',
    fingerprint: 'x',
    status: 'DEPOSEE',
    history: [{ id: 1, status: 'DEPOSEE', at: '2026-01-01T00:00:00Z' }],
  };
}

describe('the simulator state on disk (snapshot + journal)', () => {
  it('appends only what changed and reads it back, changes in place included (no close: a crash)', async () => {
    const dir = await dataDir();
    const a = await openStateStore(dir, logger);
    a.state.pieces.push(piece(1));
    a.state.nextPieceId += 1;
    await a.persist(); // the first write is a snapshot
    expect(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')).pieces).toHaveLength(1);
    for (let i = 2; i <= 50; i++) {
      a.state.pieces.push(piece(i));
      await a.persist();
    }
    const before = (await stat(join(dir, 'state.journal'))).size;
    a.state.pieces.push(piece(51));
    const inv = invoice(7, 1);
    a.state.invoices.push(inv);
    a.state.pieces[0]!.invoiceId = 7;
    a.touch(a.state.pieces[0]!);
    a.state.nextInvoiceId += 1;
    await a.persist();
    const lines = (await readFile(join(dir, 'state.journal'), 'utf8')).slice(before).trim().split('\n');
    // The new piece, the new invoice, the changed piece, the counters: not the 50 others.
    expect(lines).toHaveLength(4);
    inv.status = 'SUSPENDUE';
    a.touch(inv);
    await a.persist();

    const b = await openStateStore(dir, logger);
    expect(b.state.pieces).toHaveLength(51);
    expect(b.state.pieces[0]!.invoiceId).toBe(7);
    expect(b.state.invoices).toEqual([{ ...invoice(7, 1), status: 'SUSPENDUE' }]);
    expect(b.state.nextInvoiceId).toBe(a.state.nextInvoiceId);
    expect(b.state.nextPieceId).toBe(a.state.nextPieceId);
    await b.close();
    // Closed: everything in the snapshot, the journal empty.
    expect(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')).pieces).toHaveLength(51);
    expect(await readFile(join(dir, 'state.journal'), 'utf8')).toBe('');
  });

  it('ignores a torn last line (a crash while appending) and refuses a corrupt one elsewhere', async () => {
    const dir = await dataDir();
    const a = await openStateStore(dir, logger);
    a.state.pieces.push(piece(1));
    await a.persist();
    a.state.pieces.push(piece(2));
    await a.persist();
    await appendFile(join(dir, 'state.journal'), '{"pieces":{"id":3,"lo');
    const b = await openStateStore(dir, logger);
    expect(b.state.pieces.map((p) => p.id)).toEqual([1, 2]);
    await appendFile(join(dir, 'state.journal'), '\n{"pieces":');
    await writeFile(join(dir, 'state.journal'), 'nonsense\n{"pieces":' + JSON.stringify(piece(2)) + '}\n');
    await expect(openStateStore(dir, logger)).rejects.toThrow(/journal du simulateur illisible/);
  });

  it('never moves a counter back when an older journal is replayed over a newer snapshot', async () => {
    const dir = await dataDir();
    const a = await openStateStore(dir, logger);
    a.state.pieces.push(piece(1));
    await a.persist();
    a.state.clockOffsetMs = 5_000;
    a.state.nextPieceId += 10;
    await a.persist();
    const journal = await readFile(join(dir, 'state.journal'), 'utf8');
    await a.close(); // snapshot with the same values, journal emptied
    // A crash between the snapshot's rename and the journal's truncation: the old lines remain.
    const snap = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
    await writeFile(
      join(dir, 'state.json'),
      JSON.stringify({ ...snap, clockOffsetMs: 9_000, nextPieceId: snap.nextPieceId + 2 }),
    );
    await writeFile(join(dir, 'state.journal'), journal);
    const b = await openStateStore(dir, logger);
    expect(b.state.clockOffsetMs).toBe(9_000);
    expect(b.state.nextPieceId).toBe(snap.nextPieceId + 2);
  });

  it('writes a touched record only once it is in the state', async () => {
    const dir = await dataDir();
    const a = await openStateStore(dir, logger);
    await a.persist();
    const inv = invoice(1, 1);
    a.touch(inv); // e.g. a status set before the invoice is added
    await a.persist();
    expect((await openStateStore(dir, logger)).state.invoices).toHaveLength(0);
    a.state.invoices.push(inv);
    await a.persist();
    expect((await openStateStore(dir, logger)).state.invoices).toHaveLength(1);
  });

  it('rewrites the snapshot when the journal outgrows the state', async () => {
    const dir = await dataDir();
    const a = await openStateStore(dir, logger);
    a.state.pieces.push(piece(1));
    await a.persist();
    for (let i = 0; i < 2_100; i++) {
      a.state.clockOffsetMs += 1;
      await a.persist();
    }
    const journal = await readFile(join(dir, 'state.journal'), 'utf8');
    expect(journal.split('\n').length).toBeLessThan(2_000);
    const b = await openStateStore(dir, logger);
    expect(b.state.clockOffsetMs).toBe(2_100);
  });
});
