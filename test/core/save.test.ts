import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { safeArticleName, saveArticle } from '../../src/corpus/save.js';
import { temporaryDirectory } from '../support/seed-index.js';

describe('safeArticleName', () => {
  it('keeps the last path part, letters of any script, digits, _ - and .; no hidden or dash-led names', () => {
    expect(safeArticleName('../../etc/passwd.txt')).toBe('passwd.txt');
    expect(safeArticleName('C:\\Users\\me\\报道.md')).toBe('报道.md');
    expect(safeArticleName('.hidden.md')).toBe('hidden.md');
    expect(safeArticleName('-rf 政协 报道 (1).TXT')).toBe('rf_政协_报道_1_.txt');
    expect(safeArticleName('...txt')).toBeUndefined();
    expect(safeArticleName('no-extension')).toBeUndefined();
  });
});

describe('saveArticle', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(() => cleanup?.());

  it('never overwrites a different article unless asked; leaves no temporary file behind', async () => {
    const { dir, remove } = await temporaryDirectory('save-');
    cleanup = remove;
    await writeFile(path.join(dir, 'a.txt'), 'first');
    await writeFile(path.join(dir, 'b.md'), 'other');

    expect(await saveArticle(dir, 'a.txt', Buffer.from('first'), 'rename')).toEqual({ status: 'identical', file: 'a.txt' });
    expect(await saveArticle(dir, 'a.txt', Buffer.from('second'), 'refuse')).toEqual({ status: 'taken', file: 'a.txt', existing: 'a.txt' });
    expect(await saveArticle(dir, 'a.txt', Buffer.from('second'), 'rename')).toEqual({ status: 'renamed', file: 'a-2.txt', existing: 'a.txt' });
    // The same id under another extension is the same article id: renamed too.
    expect(await saveArticle(dir, 'b.txt', Buffer.from('third'), 'replace')).toEqual({ status: 'renamed', file: 'b-2.txt', existing: 'b.md' });
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('first');

    expect(await saveArticle(dir, 'a.txt', Buffer.from('fourth'), 'replace')).toEqual({ status: 'replaced', file: 'a.txt' });
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('fourth');
    expect((await readdir(dir)).sort()).toEqual(['a-2.txt', 'a.txt', 'b-2.txt', 'b.md']);
  });
});
