import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** An SQL text the harness sends, as written in a TypeScript source file. */
export interface SqlLiteral {
  file: string;
  line: number;
  sql: string;
}

/** Stands in for every `${…}` of a template: valid where an identifier, a value or a number may stand. */
export const TEMPLATE_PLACEHOLDER = 'x_param';

const STATEMENT =
  /^\s*(SELECT|INSERT|UPDATE|DELETE|CALL|WITH|CREATE|ALTER|DROP|TRUNCATE|EXPLAIN|SET|REFRESH|GRANT|REVOKE|VACUUM|ANALYZE|LOCK)\b/i;

function sourceFiles(root: string): string[] {
  if (statSync(root).isFile()) return [root];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(root, f));
}

/**
 * The SQL texts in string and template literals of the given files and folders: literals that begin
 * with a statement keyword, and constants named `…_SQL` (select-list fragments, parsed after SELECT).
 */
export function sqlLiterals(roots: readonly string[]): SqlLiteral[] {
  const found: SqlLiteral[] = [];
  for (const file of roots.flatMap(sourceFiles)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      let text: string | undefined;
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
      else if (ts.isTemplateExpression(node))
        text = node.head.text + node.templateSpans.map((s) => ` ${TEMPLATE_PLACEHOLDER} ${s.literal.text}`).join('');
      if (text !== undefined) {
        const parent = node.parent;
        const fragment = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && parent.name.text.endsWith('_SQL');
        // an ellipsis marks a statement shown to a person (a check's description), not one sent
        if ((STATEMENT.test(text) || fragment) && !text.includes('…')) {
          const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          found.push({ file, line, sql: STATEMENT.test(text) ? text : `SELECT ${text}` });
        }
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
