import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Api } from 'grammy';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { IndexHolder } from '../../src/index/holder.js';
import { SummaryDelivery, type DeliveryOptions } from '../../src/telegram/digests/deliver.js';
import { extractiveSummarizer, type Summarizer } from '../../src/summaries/digest.js';
import { FileSubscriptionStore, type SubscriptionStore } from '../../src/summaries/subscriptions.js';
import { loadTestIndex, TOKEN } from '../telegram/helpers.js';
import { buildSeedIndex, copyOfSharedSeedIndex, copySeeds, temporaryDirectory } from '../support/seed-index.js';
import type { FakeTelegram } from '../support/fake-telegram.js';

/** A forum article the seeds do not have, written like the real reports (two members). */
export const NEW_ARTICLE = {
  file: '007_new_forum',
  title: '市政协专题座谈会：委员建言城市更新',
  date: '2026-03-10',
  session: '北京市政协十四届五次会议 “推进城市更新”专题座谈会',
  members: ['李明', '周婷'],
  text: [
    '3月10日,北京市政协十四届五次会议举行“推进城市更新”专题座谈会,多位委员围绕老旧小区改造和街区更新建言献策。',
    '',
    '推动老旧小区改造',
    '',
    '来自经济界的北京市政协委员、北京城市更新研究院院长李明建议,建立老旧小区改造的多元投入机制,引导社会资本参与街区更新。',
    '',
    '他建议,加快出台老旧小区加装电梯的统一技术标准,把加装电梯纳入城市更新年度计划,让更多居民受益。',
    '',
    '发展社区养老服务',
    '',
    '市政协委员、北京康养服务集团有限公司董事长周婷建议,在城市更新中同步建设社区养老服务设施,推动嵌入式养老服务进社区。',
    '',
    '她建议,支持物业企业与养老机构合作,提供助餐助浴等上门服务,打造十五分钟养老服务圈。',
  ].join('\n'),
};

/** The extractive digest with long passages, so it takes three or more messages. */
export const longPassageSummarizer: Summarizer = {
  mode: 'extractive',
  async digest(...args) {
    const digest = await extractiveSummarizer.digest(...args);
    const citations = digest.summary.citations.map((citation) => ({ ...citation, text: `${citation.text}\n${'城市更新的细节。'.repeat(250)}` }));
    return { ...digest, summary: { ...digest.summary, citations } };
  },
};

export interface Corpus {
  seedsDir: string;
  indexDir: string;
  dir: string;
  index: ForumIndex;
  /** Writes an article into the seeds and rebuilds the index (what `npm run ingest` does). */
  ingest(article?: typeof NEW_ARTICLE): Promise<ForumIndex>;
  cleanup(): Promise<void>;
}

/** The repo's seeds copied into a temp dir, and their index built with the lexical embedder. */
export async function makeCorpus(): Promise<Corpus> {
  const { dir, remove } = await temporaryDirectory('summaries-');
  const seedsDir = await copySeeds(path.join(dir, 'seeds'));
  const indexDir = path.join(dir, 'index');
  const corpus: Corpus = {
    seedsDir,
    indexDir,
    dir,
    // The same as building it from the copied seeds, which the first ingest below re-uses.
    index: await copyOfSharedSeedIndex(indexDir),
    async ingest(article = NEW_ARTICLE) {
      await writeFile(path.join(seedsDir, `${article.file}.txt`), article.text);
      await writeFile(
        path.join(seedsDir, `${article.file}.meta.json`),
        JSON.stringify({ title: article.title, date: article.date, publisher: '新京报', session: article.session }),
      );
      corpus.index = await buildSeedIndex(indexDir, seedsDir);
      return corpus.index;
    },
    cleanup: remove,
  };
  return corpus;
}

export function openStore(dir: string): Promise<FileSubscriptionStore> {
  return FileSubscriptionStore.open(path.join(dir, 'subscriptions.json'));
}

/** A delivery posting through a plain Api to the fake (no auto-retry: 429s reach the delivery itself). */
export function testDelivery(
  fake: FakeTelegram,
  store: SubscriptionStore,
  index: () => ForumIndex,
  overrides: Partial<DeliveryOptions> & { logs?: string[]; api?: Api } = {},
): SummaryDelivery {
  const logs = overrides.logs ?? [];
  return new SummaryDelivery({
    api: overrides.api ?? new Api(TOKEN, { apiRoot: fake.apiRoot }),
    store,
    summarizer: extractiveSummarizer,
    index,
    log: (line) => void logs.push(line),
    retryDelayMs: 0,
    ...overrides,
  });
}

/** The index in a folder, hot-reloaded when the manifest changes, delivering after every swap. */
export async function watchIndex(directory: string, onSwap: (index: ForumIndex) => void): Promise<IndexHolder> {
  const holder = await IndexHolder.open({ directory, load: loadTestIndex, onSwap, debounceMs: 50, pollMs: 100 });
  return holder.watch();
}

/** sendMessage calls to one chat (every attempt, failed ones too). */
export function postsTo(fake: FakeTelegram, chatId: number) {
  return fake.callsOf('sendMessage').filter((call) => call.params.chat_id === chatId);
}
