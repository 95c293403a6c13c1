import { LIBELLE_OK } from '../api/codes.js';

/** The head of every successful answer of the simulated Chorus invoice APIs (spread into it). */
export const ok = { codeRetour: 0, libelle: LIBELLE_OK } as const;
