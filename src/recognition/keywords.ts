/**
 * Keyword families per field (recognition-rules.md §1.3: official keywords plus the usual French
 * invoicing wordings). Patterns run on folded text (lower case, no accents, plain spaces). A
 * lower `rank` is a stronger keyword; one keyword may announce several fields (`TVA` announces
 * the tax total and, with a weaker rank, the VAT number) and the value decides.
 */
import type { FieldKey } from './types.js';

/** `N°`, `No`, `n°`, `Nº` (NFKC `No`), `numéro`, `num.`, `#`. */
const NUM = '(?:n ?°|no\\b\\.?|n\\.|numero|num\\.|#)';
const NUM_OPT = `(?:${NUM} ?(?:de (?:la |l')?|d'|du )?)?`;

export interface KeywordFamily {
  /** Stable name, for tests and debugging. */
  name: string;
  pattern: string;
  targets: Array<{ field: FieldKey; rank: number }>;
  /** Credit-note wording (sets `invoiceType` = AVOIR). */
  creditNote?: boolean;
  /** Keyword introducing the recipient's block (`Destinataire`, `Client`, `Ministère`…). */
  recipientHeading?: boolean;
  /** Blocks a weaker keyword inside it (`Date d'échéance` is not the invoice date). */
  blocker?: boolean;
  /** Only when it opens its chunk in the top part of a page (a bare `N° 875` under the title). */
  topOnly?: boolean;
  /** An advance or an amount already paid (`Acompte`, `Déjà payé`): the amount due is reduced. */
  deduction?: boolean;
  /** Read like a keyword but not one Chorus Pro knows (`Rennes, le …`): the value has no keyword. */
  unofficial?: boolean;
  /** A common word: its value must follow it in its own chunk (never a cell beside or below). */
  inlineOnly?: boolean;
}

const t = (field: FieldKey, rank: number) => ({ field, rank });

/** Order matters only to break ties between matches of equal start and length (earlier wins). */
export const KEYWORD_FAMILIES: KeywordFamily[] = [
  // --- invoice number ---------------------------------------------------------------------
  {
    name: 'invoice-number',
    pattern: `${NUM} ?(?:de (?:la )?)?facture|facture ?${NUM}|numero de facture`,
    targets: [t('invoiceNumber', 0)],
  },
  {
    name: 'credit-note-number',
    pattern: `${NUM} ?(?:d'|de l')?avoir|avoir ?${NUM}`,
    targets: [t('invoiceNumber', 0)],
    creditNote: true,
  },
  {
    name: 'invoice-ref',
    pattern: 'ref(?:erence|\\.)? (?:de (?:la )?)?facture|invoice (?:n ?°|no\\.?|number|#)',
    targets: [t('invoiceNumber', 1)],
  },
  { name: 'invoice-word', pattern: 'facture|invoice', targets: [t('invoiceNumber', 2)] },
  { name: 'credit-note-word', pattern: 'avoir', targets: [t('invoiceNumber', 3)], creditNote: true },
  { name: 'number-sign', pattern: NUM, targets: [t('invoiceNumber', 4)], topOnly: true, unofficial: true },
  // --- invoice date -----------------------------------------------------------------------
  {
    name: 'invoice-date',
    pattern: "date (?:de (?:la )?|d'|du )?(?:facture|facturation|emission|l'avoir|avoir)|invoice date",
    targets: [t('invoiceDate', 0)],
  },
  {
    name: 'issued-on',
    pattern: "(?:emise?|etablie?|faite?)(?: a [a-z' -]{2,40}?)?,? le|facture du|invoice of",
    targets: [t('invoiceDate', 1)],
  },
  {
    name: 'place-date',
    pattern: "[a-z][a-z' -]{1,40}, le",
    targets: [t('invoiceDate', 3)],
    topOnly: true,
    unofficial: true,
  },
  { name: 'date-word', pattern: 'date', targets: [t('invoiceDate', 2)] },
  // --- SIRET by role ----------------------------------------------------------------------
  {
    name: 'siret-recipient',
    pattern: `${NUM_OPT}siret (?:du |de l'|des? |de la )?(?:client|dest(?:inataire)?\\.?|acheteur|beneficiaire|entite publique|structure publique|administration)`,
    targets: [t('recipientSiret', 0)],
  },
  {
    name: 'siret-supplier',
    pattern: `${NUM_OPT}siret (?:du |de l'|de la )?(?:fournisseur|emetteur|vendeur|prestataire|titulaire|entreprise)`,
    targets: [t('supplierSiret', 0)],
  },
  { name: 'siret', pattern: `${NUM_OPT}siret(?: ?${NUM})?`, targets: [t('supplierSiret', 1)] },
  // --- VAT number -------------------------------------------------------------------------
  {
    name: 'vat-number',
    pattern: `${NUM_OPT}(?:tva|t\\.v\\.a\\.?) ?intra(?:[- ]?(?:communautaire|com)\\.?|communautaire)?(?: ?${NUM})?|${NUM} ?(?:de )?(?:tva|t\\.v\\.a\\.?)|identifiant (?:de )?tva|tva ce|vat (?:reg(?:istration)?\\.? )?(?:number|no\\.?|id)|vat`,
    targets: [t('supplierVatNumber', 0)],
  },
  // --- engagement, market, service code ----------------------------------------------------
  {
    name: 'engagement',
    pattern: `${NUM_OPT}engagement(?: juridique)?(?: ?${NUM})?|${NUM_OPT}e\\.?j\\.?(?![a-z])|(?:bon|bons) de commande(?: ?${NUM})?|ref(?:erence|\\.)? (?:de (?:la )?)?commande|${NUM} ?(?:de )?commande|commande ?${NUM}|commande|${NUM} ?bc|bc(?: ?${NUM})?(?![a-z])|purchase order`,
    targets: [t('engagementNumber', 0)],
  },
  {
    name: 'market',
    pattern: `${NUM_OPT}marche(?: public)?(?: ?${NUM})?|ref(?:erence|\\.)? (?:du )?marche|${NUM} ?(?:de |du )?contrat|contrat ?${NUM}|ref(?:erence|\\.)? (?:du )?contrat`,
    targets: [t('marketNumber', 0)],
  },
  {
    name: 'service-code',
    pattern: 'code (?:du )?service(?: executant)?|service executant|code service',
    targets: [t('recipientServiceCode', 0)],
  },
  { name: 'service-word', pattern: 'service', targets: [t('recipientServiceCode', 2)], inlineOnly: true },
  // --- totals -----------------------------------------------------------------------------
  {
    name: 'total-excl-tax',
    pattern: '(?:montant )?total (?:net )?(?:h\\.? ?t\\.?|hors tva|hors taxes?)(?![a-z])',
    targets: [t('totalExclTax', 0)],
  },
  {
    name: 'amount-excl-tax',
    pattern:
      '(?:montant|sous-total|sous total) (?:net )?(?:h\\.? ?t\\.?|hors tva|hors taxes?)(?![a-z])|montant total net|net total|untaxed amount|total (?:excl\\.?|excluding) (?:vat|tax)',
    targets: [t('totalExclTax', 1)],
  },
  { name: 'subtotal', pattern: 'sous-total|sous total|subtotal', targets: [t('totalExclTax', 3)] },
  {
    name: 'net-excl-tax',
    pattern: '(?:net|base) (?:h\\.? ?t\\.?|hors taxes?)(?![a-z])',
    targets: [t('totalExclTax', 2)],
  },
  {
    name: 'total-tax',
    pattern: '(?:montant total|total|montant) (?:de la |de |des )?(?:tva|t\\.v\\.a\\.?|taxes?)(?![a-z])',
    targets: [t('totalTax', 0)],
  },
  { name: 'tax-word', pattern: 'tva|t\\.v\\.a\\.?', targets: [t('totalTax', 2), t('supplierVatNumber', 3)] },
  {
    name: 'tax-words',
    pattern: 'taxe sur la valeur ajoutee|taxes|vat amount|total vat',
    targets: [t('totalTax', 2)],
  },
  {
    name: 'total-incl-tax',
    pattern: '(?:montant total|total|montant|net) (?:t\\.? ?t\\.? ?c\\.?|toutes taxes comprises)(?![a-z])',
    targets: [t('totalInclTax', 0)],
  },
  { name: 'net-to-pay', pattern: 'net a payer(?: ttc)?', targets: [t('totalInclTax', 1)] },
  {
    name: 'grand-total',
    pattern:
      'montant total(?: brut)?|total general|total (?:a regler|du)|montant du(?: ttc)?|total amount|amount due|grand total|total',
    targets: [t('totalInclTax', 3)],
    unofficial: true,
  },
  {
    name: 'deduction',
    pattern:
      'acomptes?(?: verses?| deja (?:verses?|regles?))?|deja (?:paye|regle|verse)|montant deja paye|avance(?: versee)?|paid|advance',
    targets: [],
    deduction: true,
  },
  {
    name: 'amount-to-pay',
    pattern: '(?:montant|total|reste|solde) a payer',
    targets: [t('totalInclTax', 2)],
  },
  // --- bank account, currency -------------------------------------------------------------
  { name: 'iban', pattern: '(?:code )?iban', targets: [t('supplierIban', 0)] },
  {
    name: 'rib',
    pattern: "rib|coordonnees bancaires|releve d'identite bancaire",
    targets: [t('supplierIban', 2)],
  },
  { name: 'currency', pattern: 'devise|monnaie|currency', targets: [t('currency', 0)] },
  // --- recipient block headings -----------------------------------------------------------
  { name: 'ministry', pattern: 'ministere', targets: [t('recipientName', 0)], recipientHeading: true },
  // Read by blocks.ts and addressee.ts; here they only hide the shorter keywords inside them.
  {
    name: 'recipient-heading',
    pattern:
      "destinataire|facturee? a|adressee? a|adresse de facturation|adresse du client|acheteur|donneur d'ordre",
    targets: [],
    recipientHeading: true,
  },
  // --- blockers: phrases that contain a weaker keyword but announce something else -----------
  {
    name: 'blocker',
    pattern:
      "date (?:de (?:la |l')?|d'|du |des )?[a-z']+|(?:conditions?|modalites?|mode|delai) de [a-z]+|adresse de [a-z]+|(?:taux|code) (?:de )?tva|tva (?:non applicable|sur les debits|acquittee)|prestations? de services?|services? fait|commande publique|(?:ref(?:erence|\\.)?|code|numero|n ?°|no)(?: de)? client|espace client|service client|(?:n ?° |numero )?(?:tva|t\\.v\\.a\\.?)(?: intra(?:communautaire|com)?\\.?)? (?:du |de l'|de la )?(?:client|acheteur|destinataire)|customer (?:vat|tax)(?: number| id| no\\.?)?|(?:ref(?:erence|\\.)? (?:de )?)?votre contrat|ref(?:erence|\\.)? acheteur|vos references|base (?:de )?tva|montant du report|report|(?:due|delivery|order|payment) date",
    targets: [],
    blocker: true,
  },
];

export interface KeywordMatch {
  family: KeywordFamily;
  familyIndex: number;
  start: number;
  end: number;
}

const COMPILED = KEYWORD_FAMILIES.map((f) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${f.pattern})`, 'gu'));
/**
 * Any family anywhere, without the word-start condition: one scan that rules out the chunks with
 * no keyword at all (about four in five: amounts, names, addresses) before the 37 scans below.
 * It matches wherever one of them would, so it never hides a keyword (on the real invoices'
 * chunks: the same matches, in about a quarter of the time).
 */
const ANY_KEYWORD = new RegExp(KEYWORD_FAMILIES.map((f) => `(?:${f.pattern})`).join('|'), 'u');

/**
 * Every keyword occurrence in a folded string, leftmost-longest: a longer keyword hides the
 * shorter ones it contains (`Date de facture` hides `facture`; `TVA intracommunautaire`
 * hides `TVA`).
 */
export function findKeywords(folded: string): KeywordMatch[] {
  if (!ANY_KEYWORD.test(folded)) return [];
  const all: KeywordMatch[] = [];
  COMPILED.forEach((re, familyIndex) => {
    re.lastIndex = 0;
    for (const m of folded.matchAll(re)) {
      if (m[0].length === 0) continue;
      all.push({
        family: KEYWORD_FAMILIES[familyIndex] as KeywordFamily,
        familyIndex,
        start: m.index,
        end: m.index + m[0].length,
      });
    }
  });
  all.sort((a, b) => a.start - b.start || b.end - a.end || a.familyIndex - b.familyIndex);
  const kept: KeywordMatch[] = [];
  let reach = -1;
  for (const m of all) {
    if (m.start < reach) continue;
    kept.push(m);
    reach = m.end;
  }
  return kept.filter((m) => !m.family.blocker);
}
