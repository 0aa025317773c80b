/**
 * The global setup (which knows the server) and the certificate reporter (which writes the verdict)
 * run in the same process but may load separate copies of a module; they meet on this global key.
 * The verifier returns what is wrong: a non-empty list means the run cannot certify.
 */
const KEY = Symbol.for('arcane-commerce.run-integrity');

type Verifier = () => Promise<string[]>;

export function registerIntegrityVerifier(verify: Verifier): void {
  (globalThis as Record<symbol, unknown>)[KEY] = verify;
}

/** What the run found wrong with itself after the checks (an empty list when nothing, or no verifier). */
export async function verifyRunIntegrity(): Promise<string[]> {
  const verify = (globalThis as Record<symbol, unknown>)[KEY] as Verifier | undefined;
  if (!verify) return [];
  try {
    return await verify();
  } catch (error) {
    return [`the run could not verify the server after the checks: ${(error as Error).message}`];
  }
}
