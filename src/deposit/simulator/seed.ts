import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../../shared/errors.js';

/** The simulator's readable seed file (`seed/chorus-simulator.json`), validated at start. */

const siret = z
  .string()
  .regex(/^\d{14}$/)
  .refine(luhnValid, 'SIRET invalide (clé de Luhn)');

const seedServiceSchema = z.object({
  idService: z.number().int().positive(),
  code: z.string().min(1).max(100),
  label: z.string(),
  active: z.boolean().default(true),
  engagementRequired: z.boolean().default(false),
});

const seedStructureSchema = z.object({
  idStructureCPP: z.number().int().positive(),
  siret,
  name: z.string().min(1),
  type: z.enum(['PUBLIQUE', 'PRIVEE']),
  active: z.boolean().default(true),
  vatNumber: z.string().optional(),
  email: z.string().optional(),
  rules: z
    .object({
      serviceCodeRequired: z.boolean().default(false),
      engagementRequired: z.boolean().default(false),
      engagementOrService: z.boolean().default(false),
    })
    .default({ serviceCodeRequired: false, engagementRequired: false, engagementOrService: false }),
  address: z
    .object({
      adresse: z.string(),
      codePostal: z.string(),
      ville: z.string(),
      pays: z.string().default('FR'),
    })
    .optional(),
  services: z.array(seedServiceSchema).default([]),
});

const seedBankAccountSchema = z.object({
  id: z.number().int().positive(),
  structureId: z.number().int().positive(),
  label: z.string().min(1),
  iban: z
    .string()
    .regex(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/)
    .refine(ibanValid, 'IBAN invalide (clé mod 97)'),
  holder: z.string().optional(),
  ownerSiret: siret.optional(),
  isFactor: z.boolean().default(false),
  valid: z.boolean().default(true),
});

const seedAccountSchema = z.object({
  login: z.string().min(1),
  password: z.string().min(1),
  name: z.string().optional(),
  supplierStructureIds: z.array(z.number().int().positive()).min(1),
});

export const seedFileSchema = z.object({
  technicalAccounts: z.array(seedAccountSchema).default([]),
  structures: z.array(seedStructureSchema).default([]),
  bankAccounts: z.array(seedBankAccountSchema).default([]),
});

export type SeedStructure = z.infer<typeof seedStructureSchema>;
export type SeedService = z.infer<typeof seedServiceSchema>;
export type SeedBankAccount = z.infer<typeof seedBankAccountSchema>;
export type SeedAccount = z.infer<typeof seedAccountSchema>;
export type Seed = z.infer<typeof seedFileSchema>;

/** `seed/chorus-simulator.json` at the repository (or package) root, from src/ and dist/ alike. */
export const DEFAULT_SEED_FILE = fileURLToPath(
  new URL('../../../seed/chorus-simulator.json', import.meta.url),
);

/** Reads and merges seed files in order: a later entry with the same id/login replaces an earlier one. */
export async function loadSeed(files: string[]): Promise<Seed> {
  const merged: Seed = { technicalAccounts: [], structures: [], bankAccounts: [] };
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(
        `fichier de données du simulateur illisible : ${file} (${(error as Error).message})`,
        { cause: error },
      );
    }
    const parsed = seedFileSchema.safeParse(raw);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.')} : ${i.message}`).join(' ; ');
      throw new ConfigError(`fichier de données du simulateur invalide : ${file} : ${detail}`, {
        cause: parsed.error,
      });
    }
    mergeInto(merged.technicalAccounts, parsed.data.technicalAccounts, (a) => a.login);
    mergeInto(merged.structures, parsed.data.structures, (s) => s.idStructureCPP);
    mergeInto(merged.bankAccounts, parsed.data.bankAccounts, (b) => b.id);
  }
  checkConsistency(merged);
  return merged;
}

function mergeInto<T>(target: T[], items: T[], key: (t: T) => unknown): void {
  for (const item of items) {
    const at = target.findIndex((t) => key(t) === key(item));
    if (at >= 0) target[at] = item;
    else target.push(item);
  }
}

function checkConsistency(seed: Seed): void {
  const ids = new Set(seed.structures.map((s) => s.idStructureCPP));
  const sirets = new Map<string, number>();
  const problems: string[] = [];
  for (const s of seed.structures) {
    const other = sirets.get(s.siret);
    if (other !== undefined && other !== s.idStructureCPP) problems.push(`SIRET ${s.siret} en double`);
    sirets.set(s.siret, s.idStructureCPP);
  }
  for (const a of seed.technicalAccounts)
    for (const id of a.supplierStructureIds)
      if (!ids.has(id)) problems.push(`compte ${a.login} : structure ${id} inconnue`);
  for (const b of seed.bankAccounts)
    if (!ids.has(b.structureId))
      problems.push(`compte bancaire ${b.id} : structure ${b.structureId} inconnue`);
  if (problems.length > 0)
    throw new ConfigError(`données du simulateur incohérentes : ${problems.join(' ; ')}`);
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function ibanValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = parseInt(ch, 36);
    if (Number.isNaN(value)) return false;
    for (const digit of String(value)) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export function maskIban(iban: string): string {
  return `${iban.slice(0, 4)} •••• ${iban.slice(-4)}`;
}
