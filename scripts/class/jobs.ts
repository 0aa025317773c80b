import os from 'node:os';

/** Students certified at once by default: two overlaps one run's server start and I/O with the other's checks; more only on big machines. */
export function defaultClassJobs(): number {
  return Math.min(4, Math.max(2, Math.floor(os.availableParallelism() / 2)));
}
