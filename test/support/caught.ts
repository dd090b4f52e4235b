import { PairliftError } from "../../src/errors.js";

/** The PairliftError `run` throws; any other error, or none, fails the test. */
export function caught(run: () => unknown): PairliftError {
  try {
    run();
  } catch (error) {
    if (error instanceof PairliftError) return error;
    throw error;
  }
  throw new Error("expected a PairliftError");
}
