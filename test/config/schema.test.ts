import { describe, expect, it } from 'vitest';
import { createConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/shared/errors.js';

describe('createConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = createConfig({});
    expect(config.chorus.env).toBe('simulator');
    expect(config.dataDir).toBe('./data');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.telegram).toBeUndefined();
    expect(config.mail).toBeUndefined();
  });

  it('fills the PISTE URLs of the sandbox and requires its credentials', () => {
    expect(() => createConfig({ CHORUS_ENV: 'sandbox' })).toThrow(ConfigError);
    const config = createConfig({ CHORUS_ENV: 'sandbox', PISTE_CLIENT_ID: 'id', PISTE_CLIENT_SECRET: 's' });
    expect(config.chorus.apiUrl).toBe('https://sandbox-api.piste.gouv.fr/cpro');
    expect(config.chorus.oauthUrl).toBe('https://sandbox-oauth.piste.gouv.fr/api/oauth/token');
  });

  it('reads an IMAP URL with credentials and mailbox', () => {
    const config = createConfig({
      IMAP_URL: 'imaps://bot%40ex.fr:p%40ss@imap.ex.fr:993/Factures',
      SMTP_URL: 'smtp://smtp.ex.fr:587',
      MAIL_FROM: 'Facteur <bot@ex.fr>',
      MAIL_AUTHSERV_ID: 'mx.ex.fr',
    });
    expect(config.mail?.imap).toMatchObject({
      host: 'imap.ex.fr',
      port: 993,
      secure: true,
      user: 'bot@ex.fr',
      password: 'p@ss',
      mailbox: 'Factures',
    });
  });

  it('never echoes a secret value in its errors', () => {
    try {
      createConfig({ TELEGRAM_BOT_TOKEN: 'not-a-token-SECRETVALUE' });
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('SECRETVALUE');
    }
  });

  it('parses durations', () => {
    const config = createConfig({ FACTEUR_DRAFT_REMINDER_AFTER: '90s', FACTEUR_DRAFT_EXPIRE_AFTER: '2d' });
    expect(config.draftReminderAfterMs).toBe(90_000);
    expect(config.draftExpireAfterMs).toBe(2 * 86_400_000);
    expect(() => createConfig({ FACTEUR_DRAFT_EXPIRE_AFTER: 'demain' })).toThrow(/durée invalide/);
  });
});

describe('FACTEUR_SIMULATOR_FAULTS', () => {
  it('arms validated faults in the embedded simulator, one or several', () => {
    expect(createConfig({}).chorus.simulatorFaults).toEqual([]);
    const one = createConfig({
      FACTEUR_SIMULATOR_FAULTS: '{"kind":"drop-after-apply","operation":"/factures/v1/soumettre"}',
    });
    expect(one.chorus.simulatorFaults).toMatchObject([{ kind: 'drop-after-apply', times: 1 }]);
    const two = createConfig({
      FACTEUR_SIMULATOR_FAULTS: '[{"kind":"error","times":3},{"kind":"latency","latencyMs":50}]',
    });
    expect(two.chorus.simulatorFaults).toHaveLength(2);
  });

  it('refuses what is not JSON or not a known fault, in French', () => {
    expect(() => createConfig({ FACTEUR_SIMULATOR_FAULTS: 'drop' })).toThrow(/JSON invalide/);
    expect(() => createConfig({ FACTEUR_SIMULATOR_FAULTS: '{"kind":"explode"}' })).toThrow(/panne inconnue/);
  });
});
