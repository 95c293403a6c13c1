/**
 * `facteur structures search <SIRET ou début de SIRET>` and `facteur structures show <SIRET>`:
 * the Chorus Pro directory of recipients, on whichever environment is configured (the embedded
 * simulator when nothing is).
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { formatRules, formatStructures } from '../../deposit/format.js';
import { openCliChorusEnvironment } from '../chorus-environment.js';

export const summary =
  'cherche un destinataire Chorus Pro par SIRET (ou début de SIRET) et affiche ses règles';

const HELP = `Usage :
  facteur structures search <SIRET ou au moins 3 chiffres> [--json]
  facteur structures show <SIRET> [--json]

search  liste les structures dont le SIRET commence par ces chiffres (actives d’abord)
show    affiche les règles du destinataire (code service, engagement) et ses services

Environnement : CHORUS_ENV (simulator par défaut : simulateur intégré), PISTE_CLIENT_ID,
PISTE_CLIENT_SECRET, CHORUS_TECH_LOGIN, CHORUS_TECH_PASSWORD, CHORUS_API_URL, PISTE_OAUTH_URL.
`;

const command: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.stderr.write(`facteur structures : ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const [action, query, ...extra] = parsed.positionals;
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if ((action !== 'search' && action !== 'show') || !query || extra.length > 0) {
    io.stderr.write(`facteur structures : indiquez « search » ou « show » suivi d’un SIRET.\n\n${HELP}`);
    return 2;
  }
  const env = await openCliChorusEnvironment(io);
  try {
    const creds = env.credentials;
    if (!creds) {
      io.stderr.write(
        'facteur structures : CHORUS_TECH_LOGIN et CHORUS_TECH_PASSWORD sont nécessaires hors simulateur.\n',
      );
      return 1;
    }
    const found = await env.service.searchStructures(creds, query);
    if (action === 'search') {
      io.stdout.write(parsed.values.json ? `${JSON.stringify(found)}\n` : `${formatStructures(found)}\n`);
      return found.length > 0 ? 0 : 1;
    }
    const digits = query.replace(/[\s.]/g, '');
    const exact = found.find((s) => s.siret === digits);
    if (!exact) {
      io.stderr.write(`facteur structures : aucune structure au SIRET ${digits} sur ${env.label}.\n`);
      return 1;
    }
    const rules = await env.service.recipientRules(creds, exact.idStructureCPP);
    io.stdout.write(parsed.values.json ? `${JSON.stringify(rules)}\n` : `${formatRules(rules)}\n`);
    return 0;
  } finally {
    await env.close();
  }
};
export default command;
