import { InvalidArgumentError } from "commander";

/** Commander parsers that turn bad numbers into a usage error naming the option. */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError("expected a positive integer");
  return parsed;
}

export function nonNegativeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new InvalidArgumentError("expected a number ≥ 0");
  return parsed;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new InvalidArgumentError("expected a number > 0");
  return parsed;
}
