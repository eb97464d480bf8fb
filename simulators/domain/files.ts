/**
 * The files Users submit through service requests, as rules (SM-05, SM-06). Layouts are ASSUMED
 * (DOMAIN.md section 4): a CSV with a header, checked row by row so a rejection gives a reason per
 * row, and a detached ECDSA P-256 signature (DER, SHA-256) by the party's file-signing key.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { InvalidInput } from './errors';
import { EUI64 } from './party';

export interface RowProblem {
  row: number;
  reason: string;
}

export interface AdtThreshold {
  userId: string;
  thresholdType: 'User Warning' | 'User Quarantine';
  value: number;
}

export const ADT_HEADER = 'user_id,threshold_type,value';
export const QCA_HEADER = 'message_id,action';
export const ADT_VALUE_RANGE = { min: 1, max: 1_000_000 };
const MAX_ROWS = 10_000;
/** A cell a spreadsheet would run as a formula: refused, never stored (CSV injection). */
const FORMULA = /^[=+\-@\t\r]/;

/** Splits a small, unquoted CSV into trimmed cells; quotes and formulas are refused with the row number. */
function readCsv(text: string, header: string): { cells: string[][]; problems: RowProblem[] } {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  if (lines[0]?.trim() !== header)
    throw new InvalidInput(`The file's first line must be the header ${header}`, `Found "${(lines[0] ?? '').slice(0, 80)}".`, 'file');
  if (lines.length < 2) throw new InvalidInput('The file has a header and no rows', '', 'file');
  if (lines.length - 1 > MAX_ROWS)
    throw new InvalidInput(`The file has more than ${MAX_ROWS} rows`, 'Split it into several submissions.', 'file');
  const width = header.split(',').length;
  const cells: string[][] = [];
  const problems: RowProblem[] = [];
  lines.slice(1).forEach((line, i) => {
    const row = i + 2;
    const parts = line.split(',').map((c) => c.trim());
    if (parts.length !== width) problems.push({ row, reason: `has ${parts.length} cells, not ${width}` });
    else if (parts.some((c) => FORMULA.test(c) && !/^-?\d+$/.test(c)))
      problems.push({ row, reason: 'has a cell that starts like a spreadsheet formula' });
    else if (parts.some((c) => c.includes('"'))) problems.push({ row, reason: 'has quotes, which this layout does not use' });
    else cells.push([String(row), ...parts]);
  });
  return { cells, problems };
}

export function parseAdtFile(text: string, partyUserIds: readonly string[]): { thresholds: AdtThreshold[]; problems: RowProblem[] } {
  const { cells, problems } = readCsv(text, ADT_HEADER);
  const thresholds: AdtThreshold[] = [];
  const seen = new Set<string>();
  for (const [rowText = '', userId = '', thresholdType = '', valueText = ''] of cells) {
    const row = Number(rowText);
    const value = Number(valueText);
    if (!EUI64.test(userId))
      problems.push({ row, reason: `user_id ${userId.slice(0, 30)} is not an EUI-64 such as 90-B3-D5-1F-30-01-00-00` });
    else if (!partyUserIds.includes(userId)) problems.push({ row, reason: `user_id ${userId} is not one of your party's User IDs` });
    else if (thresholdType !== 'User Warning' && thresholdType !== 'User Quarantine')
      problems.push({ row, reason: `threshold_type must be User Warning or User Quarantine, not ${thresholdType.slice(0, 30)}` });
    else if (!/^\d+$/.test(valueText) || value < ADT_VALUE_RANGE.min || value > ADT_VALUE_RANGE.max)
      problems.push({ row, reason: `value must be a whole number from ${ADT_VALUE_RANGE.min} to ${ADT_VALUE_RANGE.max}` });
    else if (seen.has(`${userId}|${thresholdType}`)) problems.push({ row, reason: `repeats ${userId} ${thresholdType}` });
    else {
      seen.add(`${userId}|${thresholdType}`);
      thresholds.push({ userId, thresholdType, value });
    }
  }
  return { thresholds, problems: problems.sort((a, b) => a.row - b.row) };
}

export interface QuarantineAction {
  messageId: string;
  action: 'delete' | 'release';
}

export function parseQcaFile(text: string, releaseEnabled: boolean): { actions: QuarantineAction[]; problems: RowProblem[] } {
  const { cells, problems } = readCsv(text, QCA_HEADER);
  const actions: QuarantineAction[] = [];
  for (const [rowText = '', messageId = '', action = ''] of cells) {
    const row = Number(rowText);
    if (!/^[A-Za-z0-9-]{8,64}$/.test(messageId)) problems.push({ row, reason: 'message_id must be 8 to 64 letters, digits or dashes' });
    else if (action === 'release' && !releaseEnabled)
      problems.push({ row, reason: 'release is not available: quarantined messages can only be deleted' });
    else if (action !== 'delete' && action !== 'release')
      problems.push({ row, reason: `action must be delete${releaseEnabled ? ' or release' : ''}` });
    else actions.push({ messageId, action });
  }
  return { actions, problems: problems.sort((a, b) => a.row - b.row) };
}

/** Reads a party's file-signing public key (PEM); refuses anything but an ECDSA P-256 public key. */
export function signingKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new InvalidInput('The file-signing key is not a PEM public key', 'Send the ECDSA P-256 public key in PEM (SPKI).', 'signingKey');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new InvalidInput('The file-signing key must be ECDSA P-256', '', 'signingKey');
  }
  return key;
}

/** True when `signature` (DER, or base64 of DER) signs `content` with the key. */
export function signatureValid(content: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  const text = Buffer.from(signature).toString('utf8').trim();
  const der = /^[A-Za-z0-9+/=\s]+$/.test(text) ? Buffer.from(text, 'base64') : Buffer.from(signature);
  try {
    return verify('sha256', content, { key, dsaEncoding: 'der' }, der);
  } catch {
    return false;
  }
}
