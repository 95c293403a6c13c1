/** What Chorus Pro would refuse in a Factur-X flux, given the directory's answer. */
import { describe, expect, it } from 'vitest';
import { checkFacturxForChorus } from '../../../src/recognition/facturx/chorus-checks.js';
import type { ChorusBuyerDirectory, FacturxReport } from '../../../src/recognition/facturx/types.js';

const section = (over: Partial<FacturxReport> = {}, fields: FacturxReport['fields'] = {}): FacturxReport => ({
  fileName: 'factur-x.xml',
  profile: 'EN16931',
  guideline: 'urn:cen.eu:en16931:2017',
  valid: true,
  errors: [],
  fields: { recipientSiret: { value: '11000001500013' }, ...fields },
  mismatches: [],
  ...over,
});
const directory = (over: Partial<ChorusBuyerDirectory> = {}): ChorusBuyerDirectory => ({
  structure: { active: true, siret: '11000001500013' },
  serviceCodeRequired: false,
  engagementRequired: false,
  engagementOrServiceRequired: false,
  services: [
    { code: 'SERVICE_FACT', active: true },
    { code: 'ANCIEN', active: false },
    { code: 'MARCHES', active: true, engagementRequired: true },
  ],
  ...over,
});
const codes = (s: FacturxReport, d: ChorusBuyerDirectory | null | undefined) =>
  checkFacturxForChorus(s, d).map((i) => i.code);

describe('checkFacturxForChorus', () => {
  it('takes a valid EN 16931 to a known buyer that requires nothing', () => {
    expect(codes(section(), directory())).toEqual([]);
  });

  it('refuses MINIMUM and BASIC WL, unknown profiles and invalid XML', () => {
    expect(codes(section({ profile: 'MINIMUM' }), directory())).toEqual(['profile-refused']);
    expect(codes(section({ profile: 'BASIC WL' }), directory())).toEqual(['profile-refused']);
    expect(codes(section({ profile: 'BASIC' }), directory())).toEqual([]);
    expect(codes(section({ profile: null, valid: false }), directory())).toEqual([
      'profile-unknown',
      'xml-invalid',
    ]);
  });

  it('needs a buyer SIRET the directory knows and that is active', () => {
    expect(codes(section({}, { recipientSiret: undefined }), directory())).toEqual(['buyer-siret-missing']);
    expect(codes(section(), null)).toEqual(['buyer-unknown']);
    expect(codes(section(), directory({ structure: { active: false } }))).toEqual(['buyer-inactive']);
    expect(codes(section(), undefined)).toEqual([]);
  });

  it('asks for the service code or engagement the buyer requires', () => {
    expect(codes(section(), directory({ serviceCodeRequired: true, engagementRequired: true }))).toEqual([
      'service-code-required',
      'engagement-required',
    ]);
    expect(
      codes(
        section({}, { recipientServiceCode: { value: 'SERVICE_FACT' }, engagementNumber: { value: 'EJ1' } }),
        directory({ serviceCodeRequired: true, engagementRequired: true }),
      ),
    ).toEqual([]);
    expect(codes(section(), directory({ engagementOrServiceRequired: true }))).toEqual([
      'engagement-or-service-required',
    ]);
    expect(
      codes(
        section({}, { engagementNumber: { value: 'EJ1' } }),
        directory({ engagementOrServiceRequired: true }),
      ),
    ).toEqual([]);
  });

  it('checks the service code against the buyer’s services', () => {
    expect(codes(section({}, { recipientServiceCode: { value: 'INCONNU' } }), directory())).toEqual([
      'service-code-unknown',
    ]);
    expect(codes(section({}, { recipientServiceCode: { value: 'ANCIEN' } }), directory())).toEqual([
      'service-inactive',
    ]);
    expect(codes(section({}, { recipientServiceCode: { value: 'MARCHES' } }), directory())).toEqual([
      'engagement-required',
    ]);
  });

  it('explains each refusal in French', () => {
    const [issue] = checkFacturxForChorus(section({ profile: 'MINIMUM' }), directory());
    expect(issue?.message).toMatch(/Chorus Pro/);
  });
});
