import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/corpus/people.js';
import { Corpus } from '../../src/index/corpus.js';
import type { StoredDocument } from '../../src/index/store.js';
import { claimsOf, evidenceOf, knownPerson } from '../../src/answering/llm/claims.js';
import type { Chunk } from '../../src/types.js';

// A small archive built in memory: no ingest, no files. Sentences and names are made up.
const member = (name: string, affiliation: string, start: number): Person => ({ name, affiliation, role: '主任', start });

function article(id: string, date: string | undefined, paragraphs: string[], people: Person[]): { document: StoredDocument; chunks: Chunk[] } {
  const text = paragraphs.join('\n');
  const document: StoredDocument = { id, file: `${id}.txt`, title: `标题${id}`, ...(date ? { date } : {}), text, contentHash: id, people };
  let start = 0;
  const chunks = paragraphs.map((paragraph, ordinal) => {
    const chunk = { id: `${id}#${ordinal}`, docId: id, ordinal, start, end: start + paragraph.length, text: paragraph };
    start += paragraph.length + 1;
    return chunk;
  });
  return { document, chunks };
}

const first = article('a', '2024-03-01', ['市政协委员王小磊建议建设算力平台。', '吕娜表示，2023年已建成12个试点，202526的编号不是年份。'], [member('王小磊', '某研究院', 0), member('吕娜', '某大学', 20)]);
const second = article('b', '2025-05-09', ['欧阳娜娜说，要把数据用起来。', '王小磊再次发言。'], [member('欧阳娜娜', '某公司', 0), member('王小磊', '某研究院', 15)]);
const undated = article('c', undefined, ['没有日期的报道。'], []);
const corpus = new Corpus(
  [first.document, second.document, undated.document],
  [...first.chunks, ...second.chunks, ...undated.chunks],
);

describe('Corpus', () => {
  it('finds the members a text names, in article order, once per introduction', () => {
    expect(corpus.peopleIn('王小磊和欧阳娜娜分别说了什么？').map((person) => `${person.name}@${person.affiliation}`)).toEqual([
      '王小磊@某研究院',
      '欧阳娜娜@某公司',
      '王小磊@某研究院',
    ]);
    expect(corpus.peopleIn('王小说了什么')).toEqual([]);
    expect(corpus.members.names).toEqual(['王小磊', '吕娜', '欧阳娜娜']);
  });

  it('finds members an English question spells in pinyin, in any order, case or spacing', () => {
    const names = (question: string) => [...new Set(corpus.members.spelledIn(question).map((person) => person.name))];
    expect(names('What did Wang Xiaolei propose?')).toEqual(['王小磊']);
    expect(names('XIAOLEI WANG and ouyang nana')).toEqual(['王小磊', '欧阳娜娜']);
    expect(names('wangxiaolei’s plan')).toEqual(['王小磊']);
    expect(names('What did Lv Na say?')).toEqual(['吕娜']);
    expect(names('Did Wang speak?')).toEqual([]);
  });

  it('finds romanised names in an answer sentence, and in a passage only written names', () => {
    const people = corpus.members.spellings;
    expect(claimsOf('Wang Xiao-lei proposed a computing platform [1].', people).names).toEqual(['王小磊']);
    expect(claimsOf('吕娜和欧阳娜娜都发了言。', people).names).toEqual(['吕娜', '欧阳娜娜']);
    const passage = { n: 1, chunk: { ...second.chunks[0]!, score: 1 }, document: second.document };
    expect([...evidenceOf(passage, [...people, knownPerson('张三')]).names]).toEqual(['欧阳娜娜']);
  });

  it('looks up chunks by article, by id and in order', () => {
    expect(corpus.chunksOf('a').map((chunk) => chunk.id)).toEqual(['a#0', 'a#1']);
    expect(corpus.nextChunk({ docId: 'a', ordinal: 0 })?.id).toBe('a#1');
    expect(corpus.nextChunk({ docId: 'a', ordinal: 1 })).toBeUndefined();
    expect(corpus.chunkWithId('b#1')?.text).toBe('王小磊再次发言。');
    expect(corpus.chunksOf('missing')).toEqual([]);
  });

  it('masks the chunks of chosen articles and lists articles by the year they are dated', () => {
    expect([...corpus.documentMask(['b'])]).toEqual([0, 0, 1, 1, 0]);
    expect(corpus.documentsDatedIn(['2025', '2024'])).toEqual(['a', 'b']);
    expect(corpus.documentsDatedIn(['2026'])).toEqual([]);
  });

  it('knows every year the texts write, overlapping digits too', () => {
    expect([...corpus.yearsInTexts].sort()).toEqual(['2023', '2025']);
    expect(corpus.yearsInTexts.has('2024')).toBe(false);
  });
});
