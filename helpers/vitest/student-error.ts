import { sanitizeText } from '../safety/sanitize.js';

/**
 * An assertion failure meant for a student: the message says what to fix, and no stack trace
 * into the harness follows it.
 */
export function studentError(raw: string): Error {
  const message = sanitizeText(raw); // it may quote what the solution returned or raised
  const error = new Error(message);
  error.name = 'CertificationFailure';
  error.stack = `${error.name}: ${message}`;
  return error;
}
