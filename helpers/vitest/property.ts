import type fc from 'fast-check';

/**
 * fast-check settings for every property: a fixed seed when FC_SEED is set (to replay a failure),
 * and the seed and shrunk counterexample in the failure message. Mutant runs (ARCANE_MUTANT_RUN=1)
 * only need to know that a property fails, so they skip the shrinking.
 */
export function propertyOptions<T>(overrides: fc.Parameters<T> = {}): fc.Parameters<T> {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
  return {
    ...(seed !== undefined ? { seed } : {}),
    verbose: 0,
    endOnFailure: process.env.ARCANE_MUTANT_RUN === '1',
    ...overrides,
  };
}
