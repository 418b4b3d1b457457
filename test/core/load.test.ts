import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanDocument } from '../../src/corpus/clean.js';
import { loadArticles } from '../../src/corpus/load.js';
import { extractPeople } from '../../src/corpus/members.js';
import { REPO_SEEDS, temporaryDirectory } from '../support/seed-index.js';

describe('loading articles', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await temporaryDirectory()));
  afterEach(() => remove());

  it('loads the seeds with their metadata', async () => {
    const { documents, problems, webPages } = await loadArticles(REPO_SEEDS);
    expect(problems).toEqual([]);
    expect(webPages).toEqual([]); // the seeds are text copied from their pages, not HTML
    expect(documents.map((d) => [d.id, d.date, d.publisher])).toEqual([
      ['000_427e375fdec6027b', '2026-01-26', '新京报'],
      ['003_e28bedb5bee0dbd7', '2025-01-15', '新京报'],
    ]);
    expect(documents[0]!.session).toContain('十四届四次会议');
  });

  it('loads a plain file with no metadata: title from the first line, date from the text', async () => {
    await writeFile(path.join(dir, 'plain.txt'), '委员建言城市更新\n2024年1月20日,北京市政协十四届二次会议举行专题座谈会。委员们围绕城市更新积极建言献策,提出了多项建议。\n');
    const { documents, problems } = await loadArticles(dir);
    expect(problems).toEqual([]);
    const cleaned = cleanDocument(documents[0]!);
    expect(cleaned.title).toBe('委员建言城市更新');
    expect(cleaned.date).toBe('2024-01-20');
    expect(cleaned.text.startsWith('2024年1月20日')).toBe(true);
  });

  it('reads front matter', async () => {
    await writeFile(path.join(dir, 'fm.md'), '---\ntitle: "一篇报道"\ndate: 2024/3/5\nurl: https://example.org/a\n---\n正文第一句,内容足够长以构成一个段落,用于测试前置元数据的解析是否正确。\n');
    const { documents } = await loadArticles(dir);
    expect(documents[0]).toMatchObject({ title: '一篇报道', date: '2024-03-05', url: 'https://example.org/a' });
    expect(documents[0]!.text).not.toContain('---');
  });

  it('skips bad files with a message naming each, and keeps the good ones', async () => {
    await writeFile(path.join(dir, 'good.txt'), '好的报道\n北京市政协委员建议加快发展新一代电池技术,推动固态电池产业化,这是一个足够长的句子。\n');
    await writeFile(path.join(dir, 'empty.txt'), '');
    await writeFile(path.join(dir, 'gbk.txt'), Buffer.from([0xb1, 0xb1, 0xbe, 0xa9, 0xca, 0xd0, 0xd5, 0xfe, 0xd0, 0xad, 0xce, 0xaf, 0xd4, 0xb1])); // 北京市政协委员 in GBK
    await writeFile(path.join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x03]));
    await writeFile(path.join(dir, 'huge.txt'), `${'长'.repeat(30000)}\n`);
    await writeFile(path.join(dir, 'notes.json'), '{}'); // not an article: ignored
    const { documents, problems } = await loadArticles(dir);
    expect(documents.map((d) => d.file)).toEqual(['good.txt']);
    const messages = problems.map((p) => p.message).sort();
    expect(messages).toHaveLength(4);
    expect(messages.find((m) => m.startsWith('binary.txt'))).toMatch(/binary/);
    expect(messages.find((m) => m.startsWith('empty.txt'))).toMatch(/empty/);
    expect(messages.find((m) => m.startsWith('gbk.txt'))).toMatch(/GBK\/GB18030.*iconv/);
    expect(messages.find((m) => m.startsWith('huge.txt'))).toMatch(/30000 characters/);
  });
});

describe('cleaning', () => {
  it('drops page chrome from article 003 and keeps the reporters as metadata', async () => {
    const { documents } = await loadArticles(REPO_SEEDS);
    const article = cleanDocument(documents.find((d) => d.id.startsWith('003'))!);
    for (const chrome of ['新京报客户端', '立即打开', '好新闻 无止境', '相关推荐', '报料邮箱', '67106710', '记者主页', '来阅读我的更多文章吧', '校对', '各大高校热议']) {
      expect(article.text).not.toContain(chrome);
    }
    expect(article.reporters).toEqual(['张璐']);
    expect(article.text).not.toContain('白爽');
    expect(article.text).toContain('钱随人走');
    expect(article.text.trim().endsWith('实时监控并及时处理各类安全威胁。')).toBe(true);
  });

  it('drops the photo caption and the editor line of article 000', async () => {
    const { documents } = await loadArticles(REPO_SEEDS);
    const article = cleanDocument(documents.find((d) => d.id.startsWith('000'))!);
    expect(article.text).not.toContain('市政协供图');
    expect(article.text).not.toContain('校对 贾宁');
    expect(article.reporters).toEqual(['陈静']);
  });

  it('finds every member who spoke, with affiliation and post', async () => {
    const { documents } = await loadArticles(REPO_SEEDS);
    const people = documents.map((d) => extractPeople(cleanDocument(d).text));
    expect(people[0]!.map((p) => `${p.name}|${p.affiliation}|${p.role}`)).toEqual([
      '王磊|北京中科闻歌科技股份有限公司|董事长',
      '黄宇红|中国移动通信研究院|院长',
      '冯莉琼|京东方科技集团股份有限公司|执行副总裁',
    ]);
    expect(people[1]!.map((p) => p.name)).toEqual(['马光辉', '褚潇炜', '俞会根', '顾行发', '赵宇']);
    expect(people[1]!.find((p) => p.name === '赵宇')!.role).toBe('骨科主任医师');
  });
});
