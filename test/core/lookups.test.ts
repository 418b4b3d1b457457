import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../src/bench/corpus.js';
import type { Person } from '../../src/corpus/people.js';
import { englishName, nameAliases, PinyinNameFinder, peopleNamedInEnglish } from '../../src/crosslingual/names.js';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { buildIndex } from '../../src/index/build.js';
import { loadForumIndex, type ForumIndex } from '../../src/index/forum-index.js';
import { documentMask, documentsDatedIn, NameFinder, peopleIn, peopleLookup, yearsInTexts } from '../../src/index/lookups.js';
import { claimsOf, evidenceOf, knownPeople, knownPerson, type KnownPerson } from '../../src/llm/claims.js';
import { headerText, type PromptPassage } from '../../src/llm/passages.js';
import { buildSeedIndex, REPO_SEEDS, temporaryDirectory } from '../support/seed-index.js';

let seeds: ForumIndex;
let synthetic: ForumIndex;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const { dir, remove } = await temporaryDirectory('lookups-');
  cleanup = remove;
  seeds = await buildSeedIndex(path.join(dir, 'seeds-index'));
  const corpus = await generateCorpus({ seedsDir: REPO_SEEDS, outDir: path.join(dir, 'corpus'), chunks: 400, seed: 11 });
  const indexDir = path.join(dir, 'synthetic-index');
  await buildIndex({ seedsDir: corpus.dir, indexDir, embedder: new LexicalEmbedder(), force: true });
  synthetic = await loadForumIndex(indexDir, { resolveEmbedder: async (manifest) => new LexicalEmbedder(manifest.embedder.dimensions) });
}, 120_000);
afterAll(() => cleanup());

const everyoneOf = (index: ForumIndex): Person[] => [...index.documents.values()].flatMap((document) => document.people);

/** Texts that name members: every passage, every title, and made-up questions naming one, two or three. */
function textsOf(index: ForumIndex): string[] {
  const names = [...new Set(everyoneOf(index).map((person) => person.name))];
  const texts = [...index.chunks.map((chunk) => chunk.text), ...[...index.documents.values()].map((document) => document.title)];
  names.forEach((name, i) => {
    const other = names[(i * 7 + 3) % names.length]!;
    texts.push(`${name}建议了什么?`, `${name}和${other}分别说了什么?`, `${other}${name}${names[(i + 1) % names.length]}`, name, name.slice(0, -1), `${name.slice(1)}委员`);
  });
  return texts;
}

describe('members named in a text, by lookup', () => {
  for (const [label, get] of [
    ['seeds', () => seeds],
    ['a synthetic archive', () => synthetic],
  ] as const) {
    it(`finds the same members, in the same order, as a filter over everyone (${label})`, () => {
      const index = get();
      const everyone = everyoneOf(index);
      expect(everyone.length).toBeGreaterThan(0);
      expect(peopleLookup(index).everyone).toEqual(everyone);
      let named = 0;
      for (const text of textsOf(index)) {
        const expected = everyone.filter((person) => text.includes(person.name));
        const found = peopleIn(index, text);
        expect(found).toEqual(expected);
        // The very same objects: callers compare and dedupe them.
        found.forEach((person, i) => expect(person).toBe(expected[i]));
        if (expected.length > 1) named++;
      }
      expect(named).toBeGreaterThan(10);
    });

    it(`finds pinyin spellings as peopleNamedInEnglish does (${label})`, () => {
      const index = get();
      const everyone = everyoneOf(index);
      const names = peopleLookup(index).names;
      const finder = new PinyinNameFinder(names);
      const questions = ['What did Zhang San propose?', 'huang', 'Who spoke?', ''];
      names.forEach((name, i) => {
        const [surname, given] = englishName(name).split(' ');
        const other = englishName(names[(i + 5) % names.length]!);
        questions.push(
          `What did ${surname} ${given} and ${other} say?`,
          `${given} ${surname}'s proposal`,
          `${(surname ?? '') + (given ?? '')}!`.toUpperCase(),
          `${nameAliases(name).at(-1)} in 2025`,
          `x${(surname ?? '').toLowerCase()}${(given ?? '').toLowerCase()}y`,
        );
      });
      let found = 0;
      for (const question of questions) {
        const expected = peopleNamedInEnglish(question, everyone);
        expect(peopleLookup(index).finder.ofNames(finder.namesIn(question)), question).toEqual(expected);
        if (expected.length) found++;
      }
      expect(found).toBeGreaterThan(names.length);
    });
  }

  it('keeps list order, duplicates and overlapping names, and matches what includes() matches', () => {
    const items = ['王磊', '王磊磊', '磊', '黄宇红', '王磊', '', '𠀋明', '阿依·古丽'];
    const finder = new NameFinder(items, (name) => name);
    for (const text of ['王磊磊说', '黄宇红', '', '𠀋明和阿依·古丽', '明', '磊磊', 'abc']) {
      expect(finder.in(text), text).toEqual(items.filter((name) => text.includes(name)));
    }
    expect(new NameFinder([], (name: string) => name).in('王磊')).toEqual([]);
  });

  it('spells unusual names (ü, "·") as peopleNamedInEnglish does', () => {
    const people = ['吕娜', '女娲', '阿依·古丽', '欧阳娜娜', '黄宇红', '黄宇'].map((name, i) => ({ name, affiliation: '', role: '', start: i }));
    const finder = new PinyinNameFinder(people.map((person) => person.name));
    for (const question of ['What did Lv Na say?', 'lvna', 'Ouyang Nana', 'nana ouyang', 'a yi·guli', 'Huang Yu Hong', 'Huang Yu', 'huangyu']) {
      const expected = peopleNamedInEnglish(question, people).map((person) => person.name);
      expect([...finder.namesIn(question)].sort(), question).toEqual([...expected].sort());
    }
  });
});

describe('other per-index lookups', () => {
  it('masks the chunks of a set of documents', () => {
    const ids = [...synthetic.documents.keys()].filter((_, i) => i % 3 === 0);
    const allowed = new Set(ids);
    const mask = documentMask(synthetic, allowed);
    expect(mask.length).toBe(synthetic.chunks.length);
    synthetic.chunks.forEach((chunk, position) => expect(mask[position] === 1).toBe(allowed.has(chunk.docId)));
    expect(documentMask(synthetic, new Set()).every((value) => value === 0)).toBe(true);
  });

  it('lists documents by year and the years the texts mention', () => {
    for (const index of [seeds, synthetic]) {
      const documents = [...index.documents.values()];
      for (let year = 2000; year < 2100; year++) {
        expect(yearsInTexts(index).has(String(year)), String(year)).toBe(documents.some((document) => document.text.includes(String(year))));
      }
      for (const years of [['2025'], ['2018', '2016'], ['2026', '2015', '2026'], ['1999'], []]) {
        const expected = documents.filter((document) => document.date && years.includes(document.date.slice(0, 4))).map((document) => document.id);
        expect(documentsDatedIn(index, years)).toEqual(expected);
      }
    }
  });
});

describe('names in LLM claims and evidence, by lookup', () => {
  const naiveNames = (text: string, people: readonly KnownPerson[]) =>
    people.filter((person) => text.includes(person.name) || person.romanised.test(text)).map((person) => person.name);

  it('finds the names claimsOf and evidenceOf found by testing every member', () => {
    const people = [
      ...knownPeople(synthetic),
      ...['吕娜', '阿依·古丽', '欧阳娜娜', '黄宇'].map(knownPerson),
      { name: '张三', romanised: /\bzhang\s*san\b/ },
      { name: '李四', romanised: /\bLi Si\b/i },
    ];
    const sentences = synthetic.chunks.slice(0, 60).map((chunk) => chunk.text);
    people.forEach((person, i) => {
      const other = people[(i * 5 + 1) % people.length]!.name;
      sentences.push(
        `${englishName(person.name)} proposed it [1].`,
        `${englishName(person.name).toUpperCase().replace(' ', '-')} and ${englishName(other)} said so.`,
        `${person.name}建议 AI 和 6G 融合[2]`,
        `Mr ${englishName(person.name).split(' ').reverse().join('  ')}: "${other}"`,
      );
    });
    sentences.push('Lv Na, Lyu Na, Lü Na and Ouyang Nana', 'zhang san and ZHANG SAN', 'Li Si', 'lisi');
    let named = 0;
    for (const sentence of sentences) {
      const claims = claimsOf(sentence, people);
      const expected = naiveNames(sentence.replace(/\[\d+\]/g, ''), people);
      expect(claims.names, sentence).toEqual(expected);
      if (expected.length) named++;
    }
    expect(named).toBeGreaterThan(people.length);

    for (const chunk of synthetic.chunks.slice(0, 80)) {
      const document = synthetic.documents.get(chunk.docId)!;
      const passage: PromptPassage = { n: 1, chunk: { ...chunk, score: 0 }, document, speaker: document.people[0] };
      const all = `${headerText(passage)}\n${chunk.text}`;
      expect([...evidenceOf(passage, people).names]).toEqual(people.filter((person) => all.includes(person.name)).map((person) => person.name));
    }
  });
});
