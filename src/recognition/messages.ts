/**
 * Every French text of the recognition step: the advice attached to each violation (how to fix
 * the invoice template) and the labels of the fields (preview, human output of `facteur inspect`).
 */
import type { FieldKey, RuleId } from './types.js';
import type { FacturxProfile } from './facturx/types.js';
import {
  facturxInvalidMessage,
  facturxMismatchMessage,
  facturxProfileRefusedMessage,
} from './facturx/messages.js';

export const FIELD_LABELS: Record<FieldKey, string> = {
  invoiceNumber: 'Numéro de facture',
  invoiceDate: 'Date de facture',
  recipientSiret: 'SIRET du destinataire',
  recipientServiceCode: 'Code service',
  recipientName: 'Destinataire',
  supplierSiret: 'SIRET du fournisseur',
  supplierVatNumber: 'N° de TVA intracommunautaire',
  engagementNumber: 'N° d’engagement (EJ)',
  marketNumber: 'N° de marché',
  currency: 'Devise',
  totalExclTax: 'Total HT',
  totalTax: 'Total TVA',
  totalInclTax: 'Total TTC',
  supplierIban: 'IBAN',
};

/** Short labels drawn on the preview image. */
export const FIELD_SHORT_LABELS: Record<FieldKey, string> = {
  invoiceNumber: 'N° facture',
  invoiceDate: 'Date',
  recipientSiret: 'SIRET client',
  recipientServiceCode: 'Code service',
  recipientName: 'Destinataire',
  supplierSiret: 'SIRET fournisseur',
  supplierVatNumber: 'TVA intracom.',
  engagementNumber: 'EJ',
  marketNumber: 'Marché',
  currency: 'Devise',
  totalExclTax: 'Total HT',
  totalTax: 'TVA',
  totalInclTax: 'Total TTC',
  supplierIban: 'IBAN',
};

/** The keyword to advise for each field (the official one when there is one). */
const ADVISED_KEYWORD: Record<FieldKey, string> = {
  invoiceNumber: 'Facture n°',
  invoiceDate: 'Date de facture',
  recipientSiret: 'SIRET client',
  recipientServiceCode: 'Code service',
  recipientName: 'Destinataire',
  supplierSiret: 'SIRET',
  supplierVatNumber: 'TVA intracommunautaire',
  engagementNumber: 'EJ',
  marketNumber: 'Marché n°',
  currency: 'Devise',
  totalExclTax: 'Total HT',
  totalTax: 'Total TVA',
  totalInclTax: 'Total TTC',
  supplierIban: 'IBAN',
};

export interface MessageContext {
  field?: FieldKey;
  page?: number;
  keyword?: string;
  maxMb?: number;
  /** Factur-X rules: the profile, the number of errors, the two values that disagree. */
  profile?: FacturxProfile | null;
  errorCount?: number;
  printed?: string;
  xml?: string;
}

/** The field with its article, inside a sentence (« le numéro de facture »). */
const IN_SENTENCE: Record<FieldKey, string> = {
  invoiceNumber: 'le numéro de facture',
  invoiceDate: 'la date de facture',
  recipientSiret: 'le SIRET du destinataire',
  recipientServiceCode: 'le code service',
  recipientName: 'le destinataire',
  supplierSiret: 'votre SIRET',
  supplierVatNumber: 'votre numéro de TVA intracommunautaire',
  engagementNumber: 'le numéro d’engagement (EJ)',
  marketNumber: 'le numéro de marché',
  currency: 'la devise',
  totalExclTax: 'le total HT',
  totalTax: 'le total de TVA',
  totalInclTax: 'le total TTC',
  supplierIban: 'votre IBAN',
};

const label = (f: FieldKey | undefined): string => (f ? IN_SENTENCE[f] : 'cette donnée');

export function violationMessage(rule: RuleId, ctx: MessageContext = {}): string {
  const f = ctx.field;
  switch (rule) {
    case 'not-pdf':
      return 'Ce fichier n’est pas un PDF : exportez la facture en PDF depuis votre logiciel (« Enregistrer au format PDF »).';
    case 'unreadable-pdf':
      return 'Ce PDF est endommagé ou illisible : exportez-le à nouveau depuis votre logiciel de facturation.';
    case 'encrypted-pdf':
      return 'Ce PDF est protégé (mot de passe ou restrictions) : exportez-le sans protection, Chorus Pro refuse les PDF protégés.';
    case 'file-too-large':
      return `Le fichier dépasse ${ctx.maxMb ?? 10} Mo : réduisez la taille des images ou exportez sans haute résolution.`;
    case 'scanned-page':
      return `La page ${ctx.page ?? '?'} est une image ou un scan sans texte : générez la facture directement en PDF depuis votre logiciel, sans l’imprimer ni la scanner.`;
    case 'colored-content':
      return `Couleurs détectées page ${ctx.page ?? '?'} (texte ou fond) : utilisez du texte noir sur fond blanc, sans aplats ni effets.`;
    case 'no-space-after-keyword':
      return `Laissez un espace entre « ${ctx.keyword ?? ADVISED_KEYWORD[f ?? 'invoiceNumber']} » et la valeur qu’il annonce.`;
    case 'missing-keyword':
      return `Annoncez ${label(f)} par le mot-clé « ${ADVISED_KEYWORD[f ?? 'invoiceNumber']} » suivi d’un espace et de la valeur, sur la même ligne.`;
    case 'beyond-page-3':
      return `${capitalize(label(f))} n’apparaît qu’en page ${ctx.page ?? '?'} : Chorus Pro ne lit que les 3 premières pages, déplacez cette information en page 1.`;
    case 'invalid-siret':
      return `${capitalize(label(f))} est invalide (clé de contrôle fausse) : vérifiez ses 14 chiffres.`;
    case 'invalid-iban':
      return 'L’IBAN est invalide (clé de contrôle fausse) : recopiez-le depuis votre RIB.';
    case 'invalid-vat-number':
      return 'Le numéro de TVA intracommunautaire ne correspond pas à sa clé : vérifiez-le (FR + clé + SIREN).';
    case 'totals-mismatch':
      return 'Le total HT plus la TVA ne donne pas le total TTC : corrigez les montants avant le dépôt (Chorus Pro rejette les erreurs de montant).';
    case 'facturx-invalid':
      return facturxInvalidMessage(ctx.errorCount ?? 1);
    case 'facturx-mismatch':
      return facturxMismatchMessage(label(f), ctx.printed ?? '?', ctx.xml ?? '?');
    case 'facturx-profile-refused':
      return facturxProfileRefusedMessage(ctx.profile ?? null);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
