import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { createAsker, type Asker } from '../../src/answering/ask.js';
import { loadConfig } from '../../src/config.js';
import { loadArticles } from '../../src/corpus/load.js';
import { loadingReport } from '../../src/corpus/loading-report.js';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { buildIndex } from '../../src/index/build.js';
import { loadForumIndex, type ForumIndex } from '../../src/index/forum-index.js';
import { summaryLine } from '../../src/app/open-index.js';
import { temporaryDirectory } from '../support/seed-index.js';
import { governmentPage, newspaperPage, portalPage, type NewsPage } from './news-pages.js';

const TAG = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?>/i;

/** An article body saved from a page's source as a Markdown file: paragraphs in <p> tags, no <html>. */
const FRAGMENT = [
  '<p>9月5日，区政协召开“推动文旅融合发展”专题协商会，委员们为打造特色文化街区出谋划策。</p>',
  '<p>区政协委员、某某文化传媒有限公司总经理钱思远建议，盘活老厂房等闲置空间，引入文创企业，打造集展览、演出、消费于一体的文化街区。</p>',
  '<p>区政协委员、某某大学旅游学院副教授冯雪认为，要挖掘胡同历史文化资源，开发夜间文旅线路，延长游客停留时间。</p>',
  '<p><a href="/share">分享</a> <a href="/print">打印</a></p>',
].join('\n');

describe('web pages in seeds/, ingested and asked through the ask path', () => {
  const pages: Record<string, NewsPage> = { newspaper: newspaperPage(), government: governmentPage(), 'copied-page': portalPage() };
  let index: ForumIndex;
  let ask: Asker;
  let ingestLog: string[] = [];
  let ingestSummary: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const { dir, remove } = await temporaryDirectory();
    cleanup = remove;
    const seeds = path.join(dir, 'seeds');
    await mkdir(seeds);
    await writeFile(path.join(seeds, 'newspaper.html'), pages.newspaper!.html);
    await writeFile(path.join(seeds, 'government.htm'), pages.government!.html);
    // A page saved from the browser and renamed, as maintainers do: its tags must not be indexed.
    await writeFile(path.join(seeds, 'copied-page.txt'), pages['copied-page']!.html);
    await writeFile(path.join(seeds, 'fragment.md'), FRAGMENT);
    // A page cut off after its menu, and an error page: neither holds an article.
    await writeFile(path.join(seeds, 'broken.html'), '<!DOCTYPE html><html><head><title>京华日报</title></head><body><div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/beijing">北京');
    await writeFile(path.join(seeds, 'not-found.html'), '<html><head><title>404 页面不存在</title></head><body><div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div><p>404 您访问的页面不存在</p></body></html>');
    await writeFile(path.join(seeds, 'empty.htm'), '');
    const indexDir = path.join(dir, 'index');
    const result = await buildIndex({
      seedsDir: seeds, indexDir, embedder: new LexicalEmbedder(),
      onProgress: (event) => {
        if (event.stage === 'loaded') ingestLog = loadingReport(event);
      },
    });
    ingestSummary = summaryLine(result, loadConfig({ SEEDS_DIR: seeds, INDEX_DIR: indexDir }));
    index = await loadForumIndex(indexDir, { resolveEmbedder: async (manifest) => new LexicalEmbedder(manifest.embedder.dimensions) });
    ask = createAsker({ index });
  }, 60_000);
  afterAll(async () => {
    await index?.close();
    await cleanup();
  });

  it('says which files were read as web pages, and why the others were not indexed', () => {
    expect(ingestLog).toEqual([
      'read as a web page: copied-page.txt (its text is HTML: it begins with <!DOCTYPE html>); its article was extracted from the HTML',
      expect.stringMatching(/^read as a web page: fragment\.md \(its text is HTML: it has \d+ HTML tags in 4 lines\)/),
      'read as a web page: government.htm (an .htm file); its article was extracted from the HTML',
      'read as a web page: newspaper.html (an .html file); its article was extracted from the HTML',
      expect.stringMatching(/^not indexed: broken\.html: the web page has no article in it: its \d+ characters of text are menus, links or short lines, not paragraphs; skipped$/),
      'not indexed: empty.htm: the file is empty; skipped',
      expect.stringMatching(/^not indexed: not-found\.html: the web page has no article in it/),
    ]);
    expect(ingestSummary).toMatch(/Indexed 4 articles .*3 file\(s\) skipped/);
  });

  it('gives each article the title, date, publisher and URL the page states', () => {
    for (const [id, page] of Object.entries(pages)) {
      const document = index.corpus.documents.get(id)!;
      expect(document, id).toBeDefined();
      expect({ title: document.title, date: document.date, url: document.url, publisher: document.publisher }, id).toEqual({
        title: page.title, date: page.date, url: page.url, publisher: page.publisher,
      });
    }
  });

  it('keeps the body a paragraph a line, cleaned like any article, and no page furniture in any passage', () => {
    const newspaper = index.corpus.documents.get('newspaper')!;
    // A source line break inside a Chinese sentence is no gap in it.
    expect(newspaper.text.split('\n')).toContain('市政协委员、北京某某规划设计研究院院长陈立新认为，老旧小区加装电梯是居民最关心的问题之一。他建议简化审批流程，并探索“一梯一策”的资金分担机制，让更多楼门装上电梯。');
    expect(newspaper.text.split('\n')[0]).toMatch(/^1月20日，北京市政协十四届二次会议召开/); // the dateline is cut by the cleaner
    expect(newspaper.reporters).toEqual(['王晓雪']);
    expect(index.corpus.documents.get('government')!.people.map((person) => person.name)).toEqual(['周文博', '孙海燕']);
    for (const [id, page] of Object.entries(pages)) {
      const passages = index.corpus.chunks.filter((chunk) => chunk.docId === id).map((chunk) => chunk.text);
      expect(passages.length, id).toBeGreaterThan(0);
      for (const chrome of page.chrome) expect(passages.filter((text) => text.includes(chrome)), `${id}: ${chrome}`).toEqual([]);
    }
    for (const chunk of index.corpus.chunks) expect(chunk.text, chunk.id).not.toMatch(TAG);
    const fragment = index.corpus.chunks.filter((chunk) => chunk.docId === 'fragment').map((chunk) => chunk.text).join('\n');
    expect(fragment).toContain('盘活老厂房等闲置空间');
    expect(fragment).not.toMatch(/分享|打印/);
  });

  it('answers from the body of each page, citing the article with its date and link', async () => {
    const cases = [
      { question: '李春梅委员建议建立什么平台？', id: 'newspaper', expected: '居民议事平台' },
      { question: '孙海燕建议设立什么服务中心？', id: 'government', expected: '首贷服务中心' },
      { question: '吴桂兰提出要建立什么制度？', id: 'copied-page', expected: '家庭医生上门巡诊制度' },
      { question: '钱思远建议盘活哪些闲置空间？', id: 'fragment', expected: '老厂房' },
    ];
    for (const { question, id, expected } of cases) {
      const result = await ask(question);
      expect(result.refused, question).toBe(false);
      expect(result.answer, question).toContain(expected);
      expect(result.answer, question).not.toMatch(TAG);
      const cited = result.citations.find((citation) => citation.docId === id)!;
      expect(cited, question).toBeDefined();
      const page = pages[id];
      if (page) expect(cited, question).toMatchObject({ title: page.title, date: page.date, url: page.url ?? null });
      expect(index.corpus.documents.get(id)!.text, question).toContain(cited.text);
      expect(cited.text, question).toContain(expected);
    }
  });
});

describe('web page metadata and the maintainer’s metadata', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await temporaryDirectory()));
  afterEach(() => remove());

  it('lets a sidecar and front matter override what the page says, and keeps the rest from the page', async () => {
    await writeFile(path.join(dir, 'paper.html'), newspaperPage().html);
    await writeFile(path.join(dir, 'paper.meta.json'), JSON.stringify({ title: '维护者写的标题', session: '北京市政协十四届二次会议 专题座谈会' }));
    await writeFile(path.join(dir, 'saved.md'), `---\ntitle: 前置元数据里的标题\ndate: 2025-03-10\n---\n${governmentPage().html}`);
    const { documents, webPages, problems } = await loadArticles(dir);
    expect(problems).toEqual([]);
    expect(webPages.map((page) => page.file)).toEqual(['paper.html', 'saved.md']);
    const paper = documents.find((document) => document.file === 'paper.html')!;
    expect(paper).toMatchObject({ id: 'paper', title: '维护者写的标题', session: '北京市政协十四届二次会议 专题座谈会', date: '2024-01-20', url: newspaperPage().url, publisher: '京华日报' });
    const saved = documents.find((document) => document.file === 'saved.md')!;
    expect(saved).toMatchObject({ title: '前置元数据里的标题', date: '2025-03-10', url: governmentPage().url });
    expect(saved.text).not.toMatch(TAG);
  });

  it('takes the title from <title> without the site name, and only an absolute URL', async () => {
    const body = '<p>4月8日，市政协召开“建设国际消费中心城市”月度协商座谈会，委员们建议培育更多首店经济和夜间消费新场景。</p>';
    await writeFile(path.join(dir, 'a.html'), `<html><head><title>委员建言国际消费中心城市建设_某某新闻网</title><link rel="canonical" href="/news/2024/0408.html"></head><body>${body}</body></html>`);
    await writeFile(path.join(dir, 'b.html'), `<html><head><title>委员建言“6G-AI”融合发展</title></head><body>${body}</body></html>`);
    const { documents } = await loadArticles(dir);
    expect(documents.map((document) => [document.title, document.url])).toEqual([
      ['委员建言国际消费中心城市建设', undefined],
      ['委员建言“6G-AI”融合发展', undefined],
    ]);
  });

  it('reads a Markdown file with a few inline tags as text, and refuses a .txt that is an empty page', async () => {
    await writeFile(path.join(dir, 'notes.md'), '# 委员建言\n\n市政协委员建议加快建设充电基础设施,<br>推动新能源汽车下乡,让农村居民用车更方便。\n');
    await writeFile(path.join(dir, 'saved.txt'), '<!DOCTYPE html><html><head><title>出错了</title></head><body><nav><a href="/">首页</a></nav></body></html>');
    const { documents, webPages, problems } = await loadArticles(dir);
    expect(webPages).toEqual([]);
    expect(documents.map((document) => document.file)).toEqual(['notes.md']);
    expect(problems.map((problem) => problem.message)).toEqual([
      'saved.txt: its text is HTML: it begins with <!DOCTYPE html>, but the page has no article in it: its 2 characters of text are menus, links or short lines, not paragraphs; skipped',
    ]);
  });
});
