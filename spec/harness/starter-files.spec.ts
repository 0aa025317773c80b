/** The starter skeleton ships every file CONTRACT.md requires, so a student sees each one fail by name. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIRED_QUERY_FILES } from '../../contract/required-files.js';

describe('harness · the starter skeleton', () => {
  it('holds every required query file', () => {
    const missing = REQUIRED_QUERY_FILES.filter((f) => !existsSync(path.join('fixtures/starter', f)));
    expect(missing).toEqual([]);
  });
});
