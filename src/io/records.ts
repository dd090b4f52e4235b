import { PairliftError, type ErrorLocation } from "../errors.js";

/** Field readers shared by every record format: each names the file, line and field on failure. */

export function requireId(value: unknown, where: ErrorLocation): string {
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (value === undefined || value === null || value === "") {
    throw new PairliftError("E_FIELD", "missing id", where);
  }
  throw new PairliftError("E_FIELD", `id must be a non-empty string, got ${typeof value}`, where);
}

export function optionalString(value: unknown, where: ErrorLocation): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  throw new PairliftError("E_FIELD", `must be a string, got ${describe(value)}`, where);
}

export function requireString(value: unknown, where: ErrorLocation): string {
  if (value === undefined || value === null) {
    throw new PairliftError("E_FIELD", "missing", where);
  }
  return optionalString(value, where);
}

export function optionalObject(
  value: unknown,
  where: ErrorLocation,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new PairliftError("E_FIELD", `must be a JSON object, got ${describe(value)}`, where);
}

export function parseGrade(raw: string | undefined, where: ErrorLocation): number {
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) {
    throw new PairliftError(
      "E_FIELD",
      `relevance grade must be an integer, got ${JSON.stringify(raw ?? "")}`,
      where,
    );
  }
  const grade = Number.parseInt(raw, 10);
  // Beyond 2^53 an integer is not exact as a number: 9007199254740993 would read as …992.
  if (!Number.isSafeInteger(grade)) {
    throw new PairliftError(
      "E_FIELD",
      `relevance grade ${raw} is out of range (at most ${Number.MAX_SAFE_INTEGER} either way)`,
      where,
    );
  }
  return grade;
}

/** Remembers where each id was first seen, so a duplicate error can point at both lines. */
export class IdRegistry {
  private readonly seen = new Map<string, number>();
  constructor(private readonly what: string) {}

  add(id: string, where: { file: string; line: number; field: string }): void {
    const first = this.seen.get(id);
    if (first !== undefined) {
      throw new PairliftError(
        "E_DUPLICATE_ID",
        `duplicate ${this.what} id ${JSON.stringify(id)} (first seen on line ${first})`,
        where,
      );
    }
    this.seen.set(id, where.line);
  }

  has(id: string): boolean {
    return this.seen.has(id);
  }

  get size(): number {
    return this.seen.size;
  }
}

function describe(value: unknown): string {
  return Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
}
