/**
 * Every French text of the Factur-X reading: the advice of the three `facturx-*` rules, the
 * report's headline, the Chorus Pro checks.
 */
import type { ChorusFacturxIssueCode, FacturxProfile } from './types.js';

/** The profile as French documents write it (« EN 16931 », « BASIC WL »). */
export function profileLabel(profile: FacturxProfile | null): string {
  if (profile === null) return 'inconnu';
  return profile === 'EN16931' ? 'EN 16931' : profile;
}

/** The report's headline for a PDF carrying an invoice XML. */
export function facturxHeadline(profile: FacturxProfile | null): string {
  return `Factur-X (profil ${profileLabel(profile)}) : données exactes lues dans la facture`;
}

export function facturxInvalidMessage(errorCount: number): string {
  const n = errorCount === 1 ? '1 erreur' : `${errorCount} erreurs`;
  return (
    `Les données Factur-X intégrées au PDF ne respectent pas la norme (${n}) : Chorus Pro les rejetterait. ` +
    'Générez à nouveau la facture depuis votre logiciel ; en attendant, Facteur peut déposer le PDF seul, sans ces données.'
  );
}

export function facturxMismatchMessage(fieldInSentence: string, printed: string, xml: string): string {
  return (
    `${capitalize(fieldInSentence)} diffère entre la page imprimée (${printed}) et les données Factur-X (${xml}) : ` +
    'corrigez la facture dans votre logiciel pour que les deux disent la même chose.'
  );
}

export function facturxProfileRefusedMessage(profile: FacturxProfile | null): string {
  if (profile === null) {
    return (
      'Le profil des données Factur-X n’est pas reconnu : Chorus Pro ne les prendra pas comme une facture. ' +
      'Choisissez le profil EN 16931 dans votre logiciel ; sinon Facteur déposera le PDF seul.'
    );
  }
  return (
    `Le profil Factur-X ${profileLabel(profile)} ne suffit pas pour une facture Chorus Pro : ` +
    'choisissez le profil EN 16931 (ou BASIC) dans votre logiciel ; sinon Facteur déposera le PDF seul.'
  );
}

export const CHORUS_FACTURX_MESSAGES: Record<ChorusFacturxIssueCode, string> = {
  'profile-refused':
    'Ce profil Factur-X (MINIMUM ou BASIC WL) n’est pas une facture pour Chorus Pro : il faut au moins le profil BASIC.',
  'profile-unknown': 'Le profil des données Factur-X n’est pas reconnu par Chorus Pro.',
  'xml-invalid': 'Les données Factur-X ne respectent pas la norme : Chorus Pro rejetterait le flux.',
  'buyer-siret-missing':
    'Les données Factur-X ne donnent pas le SIRET du destinataire (identifiant légal, schéma 0002) : Chorus Pro ne saura pas à qui l’adresser.',
  'buyer-unknown': 'Le SIRET du destinataire indiqué dans le Factur-X est inconnu de l’annuaire Chorus Pro.',
  'buyer-inactive': 'Le destinataire indiqué dans le Factur-X n’est plus actif sur Chorus Pro.',
  'service-code-required':
    'Ce destinataire exige un code service, absent des données Factur-X (référence acheteur).',
  'service-code-unknown':
    'Le code service des données Factur-X n’existe pas chez ce destinataire sur Chorus Pro.',
  'service-inactive': 'Le code service des données Factur-X désigne un service inactif sur Chorus Pro.',
  'engagement-required':
    'Ce destinataire exige un numéro d’engagement (EJ), absent des données Factur-X (référence de commande).',
  'engagement-or-service-required':
    'Ce destinataire exige un numéro d’engagement ou un code service : les données Factur-X n’ont ni l’un ni l’autre.',
};

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
