/** ISO 8601 durations (PnYnMnWnDTnHnMnS) as used by the clock control; years and months are refused. */
import { InvalidInput } from './errors';

const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const MS = { week: 604_800_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 };

/** Milliseconds in an ISO 8601 duration such as `P10D`, `PT30M` or `P1DT2H`. */
export function parseDuration(text: string): number {
  const match = PATTERN.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    throw new InvalidInput(
      `"${text}" is not an ISO 8601 duration we accept`,
      'Use weeks, days, hours, minutes and seconds, for example P10D, PT30M or P1DT2H30M (years and months vary in length and are not accepted).',
      'advance',
    );
  }
  const [, w, d, h, m, s] = match;
  return (
    Number(w ?? 0) * MS.week +
    Number(d ?? 0) * MS.day +
    Number(h ?? 0) * MS.hour +
    Number(m ?? 0) * MS.minute +
    Math.round(Number(s ?? 0) * MS.second)
  );
}
