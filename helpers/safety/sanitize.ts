/** Longest message a submission can put into a check's failure, the terminal or a report. */
export const MAX_MESSAGE_CHARS = 4000;

// Every control character but tab and newline, C1 controls (0x9b starts a CSI on some terminals),
// line/paragraph separators and bidi overrides (they reorder what a reader sees).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text a submission can influence (error messages, values it returns, file names), made safe to
 * print: each control character is shown as a visible `\u…` code, so an ANSI escape sequence
 * becomes inert text (`\u001b[2J`), and the text is capped at `max` characters.
 */
export function sanitizeText(text: string, max = MAX_MESSAGE_CHARS): string {
  const visible = text.replace(/\r\n/g, '\n').replace(CONTROL, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
  if (visible.length <= max) return visible;
  return `${visible.slice(0, max)} … [${visible.length - max} more characters cut]`;
}
