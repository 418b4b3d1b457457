import { execFileSync } from 'node:child_process';
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/corpus/load.js';
import { temporaryDirectory } from '../support/seed-index.js';

const ARTICLE = '委员建言城市更新\n2024年1月20日,北京市政协十四届二次会议举行专题座谈会。委员们围绕城市更新积极建言献策,提出了多项建议。\n';

function utf16(text: string, order: 'le' | 'be', bom = true): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const bytes = order === 'le' ? le : Buffer.from(le).swap16();
  if (!bom) return bytes;
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), bytes]);
}

describe('faults in the seeds folder', () => {
  let dir: string;
  let seeds: string;
  let outside: string;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, remove } = await temporaryDirectory());
    seeds = path.join(dir, 'seeds');
    outside = path.join(dir, 'elsewhere');
    await mkdir(seeds);
    await mkdir(outside);
    outside = await realpath(outside); // messages name where a link really leads
  });
  afterEach(() => remove());

  const load = async () => {
    const { documents, problems } = await loadArticles(seeds);
    return { files: documents.map((document) => document.file), documents, messages: problems.map((problem) => problem.message) };
  };

  it('refuses a symbolic link that leads out of the seeds folder, and reads one that stays inside', async () => {
    await writeFile(path.join(outside, 'secret.txt'), '这是本机上的另一份文件,不是论坛报道,无论如何都不能进入索引和来源列表。\n');
    await symlink(path.join(outside, 'secret.txt'), path.join(seeds, 'passwd.txt'));
    await symlink('../elsewhere/secret.txt', path.join(seeds, 'relative.txt'));
    await symlink(outside, path.join(seeds, 'folder.txt'));
    await mkdir(path.join(seeds, 'archive'));
    await writeFile(path.join(seeds, 'archive', 'kept.txt'), ARTICLE);
    await symlink('archive/kept.txt', path.join(seeds, 'linked.txt'));
    const { files, documents, messages } = await load();
    expect(files).toEqual(['linked.txt']);
    expect(documents[0]!.text).toContain('委员们围绕城市更新积极建言献策');
    expect(documents.some((document) => document.text.includes('另一份文件'))).toBe(false);
    expect(messages).toEqual([
      `folder.txt: a symbolic link to ${outside}, outside the seeds folder; refused: only files inside the seeds folder are indexed`,
      `passwd.txt: a symbolic link to ${path.join(outside, 'secret.txt')}, outside the seeds folder; refused: only files inside the seeds folder are indexed`,
      `relative.txt: a symbolic link to ${path.join(outside, 'secret.txt')}, outside the seeds folder; refused: only files inside the seeds folder are indexed`,
    ]);
  });

  it('refuses a metadata sidecar linked from outside the seeds folder', async () => {
    await writeFile(path.join(outside, 'other.json'), JSON.stringify({ title: '别处的标题' }));
    await writeFile(path.join(seeds, 'article.txt'), ARTICLE);
    await symlink(path.join(outside, 'other.json'), path.join(seeds, 'article.meta.json'));
    const { files, messages } = await load();
    expect(files).toEqual([]);
    expect(messages).toEqual([
      `article.txt: its metadata file article.meta.json is a symbolic link to ${path.join(outside, 'other.json')}, outside the seeds folder; refused: only files inside the seeds folder are indexed`,
    ]);
  });

  it('reads the articles of a seeds folder that is itself a link', async () => {
    await writeFile(path.join(outside, 'article.txt'), ARTICLE);
    await symlink(outside, path.join(dir, 'linked-seeds'));
    const { documents, problems } = await loadArticles(path.join(dir, 'linked-seeds'));
    expect(problems).toEqual([]);
    expect(documents.map((document) => document.file)).toEqual(['article.txt']);
  });

  it('says a dangling link points nowhere, a folder is a folder and a pipe is no regular file', async () => {
    await symlink('gone.txt', path.join(seeds, 'dangling.txt'));
    await mkdir(path.join(seeds, '2024-forum.md'));
    execFileSync('mkfifo', [path.join(seeds, 'pipe.txt')]);
    const { files, messages } = await load();
    expect(files).toEqual([]);
    expect(messages).toEqual([
      '2024-forum.md: a folder, not a file; skipped',
      'dangling.txt: a symbolic link to gone.txt, which points nowhere (nothing is there); skipped',
      'pipe.txt: not a regular file (a named pipe, socket or device); skipped',
    ]);
  });

  it('reads UTF-16 with a byte-order mark in either byte order, and strips a UTF-8 byte-order mark', async () => {
    const withFrontMatter = `---\ntitle: 带前置元数据的报道\n---\n${ARTICLE}`;
    await writeFile(path.join(seeds, 'le.txt'), utf16(ARTICLE, 'le'));
    await writeFile(path.join(seeds, 'be.txt'), utf16(ARTICLE, 'be'));
    await writeFile(path.join(seeds, 'bom8.md'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(withFrontMatter)]));
    await writeFile(path.join(seeds, 'bom16.md'), utf16(withFrontMatter, 'le'));
    const { documents, messages } = await load();
    expect(messages).toEqual([]);
    const byFile = new Map(documents.map((document) => [document.file, document]));
    expect(byFile.get('le.txt')!.text).toBe(ARTICLE);
    expect(byFile.get('be.txt')!.text).toBe(ARTICLE);
    for (const file of ['bom8.md', 'bom16.md']) {
      expect(byFile.get(file)!.title, file).toBe('带前置元数据的报道');
      expect(byFile.get(file)!.text, file).toBe(ARTICLE);
    }
  });

  it('refuses UTF-16 without a byte-order mark by name, and binary data behind a mark', async () => {
    await writeFile(path.join(seeds, 'unmarked.txt'), utf16(ARTICLE, 'le', false));
    await writeFile(path.join(seeds, 'unmarked-be.txt'), utf16(ARTICLE, 'be', false));
    await writeFile(path.join(seeds, 'image.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x89, 0x50]));
    await writeFile(path.join(seeds, 'png.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const { files, messages } = await load();
    expect(files).toEqual([]);
    expect(messages).toEqual([
      'image.txt: the file starts with a UTF-16LE byte-order mark but holds binary data, not text; skipped',
      'png.txt: this is a binary file, not text; skipped',
      'unmarked-be.txt: the file looks like UTF-16BE text without a byte-order mark; refused. Convert it with `iconv -f UTF-16BE -t UTF-8` and run ingest again',
      'unmarked.txt: the file looks like UTF-16LE text without a byte-order mark; refused. Convert it with `iconv -f UTF-16LE -t UTF-8` and run ingest again',
    ]);
  });

  it('says why in words for every file it does not index', async () => {
    await writeFile(path.join(seeds, 'good.txt'), ARTICLE);
    await writeFile(path.join(seeds, 'empty.txt'), '');
    await writeFile(path.join(seeds, 'blank.md'), '   \n\n');
    await writeFile(path.join(seeds, 'bad-front.md'), `---\nthis is not a pair\n---\n${ARTICLE}`);
    await writeFile(path.join(seeds, 'bad-sidecar.txt'), ARTICLE);
    await writeFile(path.join(seeds, 'bad-sidecar.meta.json'), '{ not json');
    await mkdir(path.join(seeds, 'folder.htm'));
    await symlink('nowhere.html', path.join(seeds, 'dangling.html'));
    const { files, messages } = await load();
    expect(files).toEqual(['good.txt']);
    expect(messages).toHaveLength(6);
    for (const message of messages) {
      expect(message).toMatch(/^[\w.-]+: .{12,}; (?:skipped|refused)/);
      expect(message).not.toMatch(/could not be read$/);
    }
    expect(messages.find((message) => message.startsWith('bad-sidecar.txt'))).toMatch(/its metadata file bad-sidecar\.meta\.json is not valid JSON/);
    expect(messages.find((message) => message.startsWith('bad-front.md'))).toMatch(/front matter line "this is not a pair" is not "key: value"/);
    expect(messages.find((message) => message.startsWith('blank.md'))).toMatch(/no text/);
  });
});
