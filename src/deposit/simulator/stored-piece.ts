/** A file uploaded to the simulated Chorus (`deposer/pdf`, `ajouter/fichier`), kept as a piece. */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { World } from './world.js';

/** Stores the bytes (when the simulator has a data directory) and records the piece; its id. */
export async function storePiece(
  world: World,
  login: string,
  fileName: string,
  bytes: Buffer,
): Promise<number> {
  const state = world.store.state;
  const id = state.nextPieceId++;
  const path = world.store.piecePath(id);
  if (path) await writeFile(path, bytes);
  state.pieces.push({
    id,
    login,
    fileName,
    size: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    uploadedAt: world.now().toISOString(),
  });
  await world.store.persist();
  return id;
}
