import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainWriteFailure, writeDurably } from '../../src/index/durable-write.js';
import { IndexError } from '../../src/errors.js';
import { buildSeedIndex, temporaryDirectory } from '../support/seed-index.js';

describe('writing an index generation', () => {
  it('a full disk is said in words: which folder, how much is needed, that nothing changed', async () => {
    // /dev/full answers every write with ENOSPC, as a full disk does.
    const failure = await writeDurably('/dev/full', new Uint8Array(4096)).catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe('ENOSPC');
    const explained = await explainWriteFailure(failure, '/tmp', 3 * 1048576);
    expect(explained).toBeInstanceOf(IndexError);
    expect(explained.message).toMatch(/The disk holding \/tmp is full: the index needs about 3\.0 MiB and [\d.]+ MiB is free/);
    expect(explained.message).toContain('the previous index is still in use');
  });

  it('the next ingest removes a temporary manifest a killed one left, and keeps only the current generations', async () => {
    const { dir, remove } = await temporaryDirectory();
    try {
      const indexDir = path.join(dir, 'index');
      const first = await buildSeedIndex(indexDir);
      await first.close();
      await writeFile(path.join(indexDir, '.manifest.json.99999.tmp'), '{"half":');
      const second = await buildSeedIndex(indexDir);
      await second.close();
      const names = await readdir(indexDir);
      expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
      expect(names).toContain('manifest.json');
    } finally {
      await remove();
    }
  });
});
