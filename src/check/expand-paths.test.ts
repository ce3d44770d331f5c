import { join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryPrefix } from './expand-paths.js';

describe('entryPrefix', () => {
  it('makes the path path.join would of a directory however it was spelled', () => {
    const dirs = ['.', './', '..', '../x', 'x', 'x/', 'x//y', 'x/./y/..', './x/y/', '/', '//', '/tmp', '/tmp/', '/tmp/../var', 'a/b/c/../../d'];
    const names = ['t.yaml', '...', '.hidden.json', 'with space.yml', 'é.template'];
    for (const dir of dirs) {
      for (const name of names) expect(entryPrefix(normalize(dir)) + name, `${dir} + ${name}`).toBe(join(dir, name));
    }
  });
});
