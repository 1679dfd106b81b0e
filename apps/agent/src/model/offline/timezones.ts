import { isTimeZone } from '../../tools/clock.js';

/**
 * "Area/Location" or "Area/Location/Sub", words joined by `_` or `-`. A name starts only where a
 * run of such characters starts: a match tried at every dash of "ab-ab-ab-…" would rescan the rest
 * of the run from each one (quadratic in the message).
 */
const IANA_NAME =
  /(?<![A-Za-z_-])\b([A-Za-z]+(?:[_-][A-Za-z]+)*\/[A-Za-z]+(?:[_-][A-Za-z]+)*(?:\/[A-Za-z_]+)?)\b/;

let zoneIndex: Map<string, string> | undefined;

/** Last path segment of every zone this runtime knows ("new_york" → "America/New_York"). */
function zonesByCity(): Map<string, string> {
  if (!zoneIndex) {
    zoneIndex = new Map();
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const city = zone.split('/').pop()!.toLowerCase();
      if (!zoneIndex.has(city)) zoneIndex.set(city, zone);
    }
  }
  return zoneIndex;
}

/**
 * The time zone a question names: an IANA name as written ("Europe/Paris", passed on even when
 * unknown so the clock can say so), UTC/GMT, or a city that is itself a zone ("in Tokyo").
 */
export function findTimeZone(text: string): string | undefined {
  const iana = IANA_NAME.exec(text);
  if (iana) {
    const name = iana[1]!;
    return isTimeZone(name)
      ? new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
      : name;
  }
  if (/\b(?:UTC|GMT|Zulu)\b/i.test(text)) return 'UTC';
  const place = /\bin\s+([A-Za-z][A-Za-z' -]{1,40})/i.exec(text);
  if (place) {
    const words = place[1]!.trim().split(/\s+/);
    for (let n = Math.min(words.length, 4); n > 0; n--) {
      const zone = zonesByCity().get(words.slice(0, n).join('_').toLowerCase());
      if (zone) return zone;
    }
  }
  return undefined;
}
