// Built once: a formatter costs far more to build (time zone data) than to use.
const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const PARIS_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Paris calendar date (`YYYY-MM-DD`) of an instant. */
export function parisDay(instant: string | Date): string {
  return PARIS_DAY.format(typeof instant === 'string' ? new Date(instant) : instant);
}

/**
 * « 26/11/2026 à 07:42 (heure de Paris) ». Chorus Pro and its users live on French time: an
 * instant stored in UTC is always shown in Europe/Paris, summer time included.
 */
export function formatParisDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = PARIS_DATE_TIME.formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')}/${get('month')}/${get('year')} à ${get('hour')}:${get('minute')} (heure de Paris)`;
}
