import { loadModule, parseSync } from 'libpg-query';

/** What one SQL text refers to, by kind, and the names it defines for itself (aliases, CTEs, output columns). */
export interface ReferencedNames {
  relations: Set<string>;
  routines: Set<string>;
  columns: Set<string>;
  /** Names the statement introduces: aliases, CTE names, output and column-definition names, created objects. */
  defined: Set<string>;
}

/** libpg-query parses with PostgreSQL's own grammar (WebAssembly); call once before parseReferencedNames. */
export const loadSqlParser = (): Promise<void> => loadModule();

type Node = Record<string, unknown>;
const strings = (list: unknown): string[] =>
  Array.isArray(list) ? list.map((n) => (n as { String?: { sval: string } }).String?.sval).filter((s): s is string => !!s) : [];

/** Parses `sql` (throws on a syntax error) and collects the names it references. */
export function parseReferencedNames(sql: string): ReferencedNames {
  const found: ReferencedNames = { relations: new Set(), routines: new Set(), columns: new Set(), defined: new Set() };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const own = value as Node;
    // an alias (of a table, a subquery, a function) is a bare {aliasname, colnames} object
    if (typeof own['aliasname'] === 'string') {
      found.defined.add(own['aliasname']);
      for (const c of strings(own['colnames'])) found.defined.add(c);
    }
    for (const [kind, body] of Object.entries(own)) {
      const node = body as Node;
      switch (kind) {
        case 'RangeVar':
          found.relations.add(String(node['relname']));
          break;
        case 'FuncCall':
          found.routines.add(strings(node['funcname']).at(-1)!);
          break;
        case 'ColumnRef': {
          const fields = strings(node['fields']);
          if (fields.length > 0) found.columns.add(fields.at(-1)!);
          if (fields.length > 1) found.relations.add(fields.at(-2)!); // a qualifier: a table or an alias
          break;
        }
        case 'CommonTableExpr':
          found.defined.add(String(node['ctename']));
          for (const c of strings(node['aliascolnames'])) found.defined.add(c);
          break;
        case 'ResTarget':
          if (node['name']) found.defined.add(String(node['name']));
          break;
        case 'ColumnDef':
          found.defined.add(String(node['colname']));
          break;
        case 'CreateStmt':
        case 'IndexStmt':
        case 'ViewStmt':
          if (node['idxname']) found.defined.add(String(node['idxname']));
          for (const key of ['relation', 'view']) if (node[key]) found.defined.add(String((node[key] as Node)['relname']));
          break;
      }
      visit(body);
    }
  };
  visit(parseSync(sql).stmts);
  for (const name of found.defined) {
    found.relations.delete(name);
    found.columns.delete(name);
  }
  return found;
}
