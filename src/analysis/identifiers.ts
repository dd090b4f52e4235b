/**
 * Identifier shapes: product SKUs, model and part numbers (`KT-2040`, `WD1680`, `A7-B/12`,
 * `1000-045-993`). Dense models and plain word tokenizers lose them; we index each as itself,
 * as its parts, and joined, so that `KT-2040`, `kt2040` and `kt 2040` meet on one term.
 */

/** A raw token: letters/digits, optionally joined by `-`, `/`, `.`, `_`. */
export const RAW_TOKEN = /[\p{L}\p{M}\p{N}]+(?:[-/._][\p{L}\p{M}\p{N}]+)*/gu;

const SEPARATORS = /[-/._]/u;
const SEPARATORS_GLOBAL = /[-/._]/gu;
const DIGIT = /\p{N}/u;
const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT_RUN = /[\p{L}\p{M}]+|\p{N}+/gu;

export function hasSeparator(token: string): boolean {
  return SEPARATORS.test(token);
}

/** An identifier holds a digit and either a letter or a separator (`wd1680`, `1000-045-993`). */
export function isIdentifierToken(token: string): boolean {
  return DIGIT.test(token) && (LETTER.test(token) || SEPARATORS.test(token));
}

/** `kt-2040` → `kt2040`. */
export function joinIdentifier(token: string): string {
  return token.replace(SEPARATORS_GLOBAL, "");
}

/** `a7-b/12` → [`a7`, `b`, `12`]. */
export function separatorParts(token: string): string[] {
  return token.split(SEPARATORS).filter((part) => part.length > 0);
}

/** `gsr18v` → [`gsr`, `18`, `v`]; a part without a letter/digit boundary yields itself. */
export function letterDigitRuns(part: string): string[] {
  return part.match(LETTER_OR_DIGIT_RUN) ?? [part];
}

/**
 * Runs of 2 to `maxJoin` adjacent raw tokens whose joined form `accept` takes (`kt 2040` →
 * `kt2040` when the index holds it), shortest runs first; `end` is exclusive.
 */
export function adjacentJoins(
  tokens: readonly string[],
  maxJoin: number,
  accept: (joined: string) => boolean,
): { joined: string; start: number; end: number }[] {
  const found: { joined: string; start: number; end: number }[] = [];
  for (let n = 2; n <= maxJoin; n += 1) {
    for (let start = 0; start + n <= tokens.length; start += 1) {
      const joined = tokens
        .slice(start, start + n)
        .map(joinIdentifier)
        .join("");
      if (accept(joined)) found.push({ joined, start, end: start + n });
    }
  }
  return found;
}
