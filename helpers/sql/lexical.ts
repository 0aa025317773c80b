/**
 * The parts of PostgreSQL's lexical grammar that hide code: comments and quoted text. Both the
 * statement splitter and the psql-variable finder skip them the same way, here.
 */
export class LexicalError extends Error {
  constructor(
    message: string,
    /** Offset in the source where the unterminated construct starts. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const WORD_CHAR = /[A-Za-z0-9_\u0080-\uffff]/;
const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/** If a `--` or (nested) `/* … *\/` comment starts at `i`, the offset just past it; else null. */
export function skipComment(source: string, i: number): number | null {
  if (source[i] === '-' && source[i + 1] === '-') {
    const end = source.indexOf('\n', i);
    return end < 0 ? source.length : end;
  }
  if (source[i] === '/' && source[i + 1] === '*') {
    let depth = 1;
    let j = i + 2;
    while (j < source.length && depth > 0) {
      if (source[j] === '/' && source[j + 1] === '*') {
        depth++;
        j += 2;
      } else if (source[j] === '*' && source[j + 1] === '/') {
        depth--;
        j += 2;
      } else j++;
    }
    if (depth > 0) throw new LexicalError('unterminated /* comment', i);
    return j;
  }
  return null;
}

/**
 * If a string ('…', E'…'), quoted identifier ("…") or dollar-quoted string ($tag$…$tag$) starts at
 * `i`, the offset just past it; else null. `$1` and `a$b` are not dollar quotes.
 */
export function skipQuoted(source: string, i: number): number | null {
  const c = source[i];
  const n = source.length;
  if (c === "'") {
    const escapes = i > 0 && /[eE]/.test(source[i - 1]!) && !WORD_CHAR.test(source[i - 2] ?? ' ');
    let j = i + 1;
    for (;;) {
      if (j >= n) throw new LexicalError('unterminated quoted string', i);
      if (escapes && source[j] === '\\') j += 2;
      else if (source[j] === "'" && source[j + 1] === "'") j += 2;
      else if (source[j] === "'") return j + 1;
      else j++;
    }
  }
  if (c === '"') {
    let j = source.indexOf('"', i + 1);
    while (j >= 0 && source[j + 1] === '"') j = source.indexOf('"', j + 2);
    if (j < 0) throw new LexicalError('unterminated quoted identifier', i);
    return j + 1;
  }
  if (c === '$' && !WORD_CHAR.test(source[i - 1] ?? ' ')) {
    DOLLAR_TAG.lastIndex = i;
    const tag = DOLLAR_TAG.exec(source);
    if (!tag) return null;
    const close = source.indexOf(tag[0], i + tag[0].length);
    if (close < 0) throw new LexicalError(`unterminated dollar-quoted string ${tag[0]}`, i);
    return close + tag[0].length;
  }
  return null;
}
