/**
 * The French sentences only the Telegram channel says (about Telegram itself: file kinds, its
 * download limit, buttons, its rate limits). Everything about invoices and drafts comes from the
 * conversation's views (src/machine/messages.ts).
 */

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',').replace(',0', '')} Mo`;

export const botMessages = {
  analysing: (fileName: string) => `⏳ Analyse de « ${fileName} »…`,
  queued: (fileName: string, position: number) =>
    `⏳ « ${fileName} » attend son tour : n° ${position} dans la file d’analyse. Je vous réponds dès que c’est fait.`,
  notAPdf:
    'Envoyez la facture en PDF, comme fichier : une photo ou un scan n’est pas lu par Chorus Pro. ' +
    'Dans Telegram : 📎 → Fichier, puis choisissez le PDF.',
  tooBigForTelegram: (size?: number) =>
    `${size === undefined ? 'Ce fichier dépasse 20 Mo' : `Ce fichier fait ${mb(size)}`} : Telegram ne laisse pas un bot télécharger plus de 20 Mo, ` +
    'et Chorus Pro refuse les factures de plus de 10 Mo. Exportez le PDF sans images en haute définition, puis renvoyez-le.',
  downloadFailed: 'Je n’ai pas pu récupérer ce fichier auprès de Telegram. Renvoyez-le dans un instant.',
  staleButton: 'Ce brouillon a changé',
  unknownButton: 'Ce bouton n’est plus valable.',
  tooManyMessages: 'Doucement 🙂 Vous m’écrivez très vite : attendez quelques secondes puis reprenez.',
  tooManyFiles: (perMinute: number) =>
    `Vous m’avez envoyé beaucoup de fichiers d’un coup : au plus ${perMinute} par minute. Renvoyez les suivants dans une minute.`,
  unsupported:
    'Je lis les factures PDF envoyées comme fichier et les réponses écrites. Tapez /aide pour voir ce que je sais faire.',
  internalError:
    'Un problème technique m’empêche de répondre. Réessayez dans un instant : votre brouillon est conservé.',
  groupChat: 'Pour déposer une facture, écrivez-moi en conversation privée.',
  fieldFromFacturx: 'lu dans le Factur-X',
  previewCaption: 'Page 1 : chaque champ reconnu est encadré.',
  fieldToFill: 'à compléter',
  fieldEmpty: 'non renseigné',
  // Start-up problems, for whoever runs `facteur start`.
  noToken: 'TELEGRAM_BOT_TOKEN manquant : le canal Telegram ne peut pas démarrer',
  apiUnreachable:
    'Le serveur Telegram ne répond pas correctement : vérifiez TELEGRAM_BOT_TOKEN et TELEGRAM_API_ROOT, puis réessayez.',
  tokenRefused: 'Telegram refuse le jeton du bot : vérifiez TELEGRAM_BOT_TOKEN (donné par @BotFather).',
  webhookPortTaken: (port: number) =>
    `Le port ${port} est déjà utilisé : choisissez-en un autre avec TELEGRAM_WEBHOOK_PORT.`,
  webhookPortFailed: (port: number) => `Impossible d’écouter sur le port ${port} (TELEGRAM_WEBHOOK_PORT).`,
  webhookRefused: (description: string) =>
    `Telegram refuse le webhook (${description}) : TELEGRAM_WEBHOOK_URL doit être une adresse HTTPS joignable depuis Internet.`,
  commands: [
    { command: 'start', description: 'Commencer, ou rattacher ce compte Telegram' },
    { command: 'aide', description: 'Ce que je sais faire' },
    { command: 'brouillons', description: 'Mes factures en cours' },
    { command: 'reprendre', description: 'Reprendre un brouillon (ex. /reprendre 2)' },
    { command: 'annuler', description: 'Abandonner le brouillon en cours' },
    { command: 'statut', description: 'Où en sont mes factures déposées' },
  ],
} as const;
