/**
 * The entries of `values` whose value is not undefined, typed as optional properties: builds
 * options objects from possibly-missing values under `exactOptionalPropertyTypes`.
 */
export function defined<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
