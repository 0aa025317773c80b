/**
 * An assertion failure meant for a student: the message says what to fix, and no stack trace
 * into the harness follows it.
 */
export function studentError(message: string): Error {
  const error = new Error(message);
  error.name = 'CertificationFailure';
  error.stack = `${error.name}: ${message}`;
  return error;
}
