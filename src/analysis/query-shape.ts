/**
 * What a query looks like, for the automatic slices: identifier-like tokens (codes, SKUs,
 * model and part numbers, gene and compound names), plain numbers and sizes, questions and
 * length. Stricter than the analyzer's `isIdentifierToken`, which must index `18v` as a code
 * to match it; a slice that called `18v` or `2x4` an identifier would mix product sizes into
 * the queries a dense model is most likely to lose.
 */
import { RAW_TOKEN, separatorParts } from "./identifiers.js";
import { normalizeText } from "./normalize.js";

const DIGIT = /\p{N}/u;
const LETTER = /\p{L}/u;
const SEPARATOR = /[-/._]/u;
const ALL_DIGITS = /^\p{N}+$/u;
const LETTERS_ONLY = /^[\p{L}\p{M}]+$/u;

/** Units and counters that follow a number in a size or quantity (`18v`, `10ft`, `100ml`, `4k`, `3rd`). */
const UNITS: ReadonlySet<string> = new Set(
  (
    "v mv kv w kw mw a ma mah ah wh kwh hz khz mhz ghz " +
    "mm cm m km nm um µm μm in inch inches ft yd mi " +
    "ml cl dl l g mg kg ug µg μg mcg lb lbs oz gal qt pt " +
    "s ms sec min h hr hrs d wk mo yr yrs y " +
    "k x p gb mb kb tb db psi bar pa kpa iu pc pcs pk pack ct cfm rpm mph kph c f " +
    "mmhg mmol umol µmol mol st nd rd th " +
    // Counted things and durations in compounds such as `10-fold`, `2-year`, `1-year-old`.
    "fold times old year years day days week weeks month months hour hours minute minutes " +
    "dose doses mile miles meter meters liter liters percent per"
  ).split(" "),
);

/** A number, a decimal, or dimensions (`2x4`, `4x8x12`), optionally followed by a unit. */
const SIZE = /^(\p{N}+(?:[.,]\p{N}+)?)(?:x\p{N}+(?:[.,]\p{N}+)?)*([\p{L}µμ]*)$/u;

/** Digit-only tokens shorter than this are quantities or years, not codes. */
export const LONG_DIGIT_STRING = 6;

/** Raw tokens of a query, as the analyzer sees them (NFKC, lowercase). */
export function queryTokens(text: string): string[] {
  return [...normalizeText(text).matchAll(RAW_TOKEN)].map((match) => match[0]);
}

/** `18v`, `2x4`, `10ft`, `3mm`, `100ml`, `1st`: a number with an optional unit. */
export function isSize(token: string): boolean {
  const match = SIZE.exec(token);
  if (match === null) return false;
  const unit = match[2] ?? "";
  return unit === "" || UNITS.has(unit);
}

/**
 * A token that names a thing by code: letters and digits mixed (`wd1680`, `p53`, `il-6`,
 * `kt-2040`), digit groups joined by `-`, `/` or `.` (`1000-045-993`), or a long digit string
 * (`12345678`), but not a size (`18v`, `2x4`, `10-ft`, `2.5mm`, `10-fold`), a decimal (`3.5`),
 * or a ratio or range of two numbers (`1/4`, `0.23-1.28`, `1990-2000`).
 */
export function isIdentifierLike(rawToken: string): boolean {
  const token = normalizeText(rawToken);
  if (!DIGIT.test(token)) return false;
  if (!SEPARATOR.test(token)) {
    if (ALL_DIGITS.test(token)) return token.length >= LONG_DIGIT_STRING;
    return LETTER.test(token) && !isSize(token);
  }
  const parts = separatorParts(token);
  if (LETTER.test(token)) {
    // `10-ft`, `2.5mm`, `3-pack`: every part a number, a size or a unit word.
    const sizeLike = parts.every(
      (part) => isSize(part) || (LETTERS_ONLY.test(part) && UNITS.has(part)),
    );
    return !sizeLike;
  }
  // A decimal, ratio or range of two numbers (`3.5`, `1/4`, `0.23-1.28`, `1990-2000`) is a
  // quantity; three groups and more (`1000-045-993`, `192.168.0.1`) name something.
  const numbers = token.split(/[-/]/u);
  const quantity = numbers.length <= 2 && numbers.every((n) => /^\p{N}+(?:\.\p{N}+)?$/u.test(n));
  return !quantity && parts.length >= 2;
}

/** A plain number or quantity: a token with a digit that is not identifier-like (`50`, `18v`, `3.5`). */
export function isNumericToken(rawToken: string): boolean {
  return DIGIT.test(rawToken) && !isIdentifierLike(rawToken);
}

const WH_WORDS: ReadonlySet<string> = new Set([
  "what",
  "which",
  "who",
  "whom",
  "whose",
  "when",
  "where",
  "why",
  "how",
]);

/**
 * A question: a question mark anywhere, or a wh-word first. Only the first word counts, because
 * claims and titles use `which` and `how` inside clauses ("cells which express …").
 */
export function isQuestion(text: string): boolean {
  if (text.includes("?") || text.includes("？")) return true;
  const first = queryTokens(text)[0];
  return first !== undefined && WH_WORDS.has(first);
}
