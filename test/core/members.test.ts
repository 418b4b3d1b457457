import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../src/corpus/clean.js';
import { extractPeople } from '../../src/corpus/members.js';
import { speakerAt } from '../../src/corpus/people.js';

const REPORT = [
  '5月20日，西城区政协召开“老城保护”协商会，区政协副主席章卫国出席，区政协文史委主任白露主持。',
  '委员张伟来自北京古建修缮有限公司，他建议加快院落腾退。张伟说，要让老街坊留得住。',
  '区政协委员、北京西城文化发展中心副主任李晓红表示，胡同文化要活起来。李委员还提出，建立老字号名录。',
  '市政协常委王建国是首都师范大学历史学院教授，他呼吁保护会馆。',
  '孙丽（北京城市规划设计研究院总规划师）指出，应划定保护红线。',
  '区规划分局副局长何平（区规划分局副局长）介绍了进展。回应委员关切，区里将跟进。',
  '有委员提出，胡同停车要统筹。',
  '来自文艺界的委员司马青阳长期关注戏楼保护。据了解，司马青阳现任北京梨园剧场管理有限公司总经理。',
].join('\n');

describe('member extraction', () => {
  it('finds members however the report introduces them, with organisation and post, and leaves officials out', () => {
    expect(extractPeople(REPORT).map((p) => `${p.name}|${p.affiliation}|${p.role}`)).toEqual([
      '张伟|北京古建修缮有限公司|',
      '李晓红|北京西城文化发展中心|副主任',
      '王建国|首都师范大学|历史学院教授',
      '孙丽|北京城市规划设计研究院|总规划师',
      '司马青阳|北京梨园剧场管理有限公司|总经理',
    ]);
    expect(extractPeople(REPORT).find((p) => p.name === '司马青阳')!.sector).toBe('文艺界');
  });

  it('attributes a sentence to the member a surname reference names, and not past an unnamed speaker', () => {
    const people = extractPeople(REPORT);
    const at = (sentence: string) => speakerAt(people, REPORT, REPORT.indexOf(sentence), REPORT.indexOf(sentence) + sentence.length)?.name;
    expect(at('建立老字号名录')).toBe('李晓红');
    expect(at('他呼吁保护会馆')).toBe('王建国');
    expect(at('胡同停车要统筹')).toBeUndefined();
  });

  it("gives a section's lead-in, after its heading and before its member is named, to nobody", () => {
    const text = [
      '委员张伟来自北京古建修缮有限公司，他建议加快院落腾退。',
      '让胡同有烟火气',
      '老城的活力在于居民。区政协委员、北京西城文化发展中心副主任李晓红表示，胡同文化要活起来。',
    ].join('\n');
    const people = extractPeople(text);
    const at = (sentence: string) => speakerAt(people, text, text.indexOf(sentence), text.indexOf(sentence) + sentence.length)?.name;
    expect(at('他建议加快院落腾退')).toBe('张伟');
    expect(at('老城的活力在于居民。')).toBeUndefined();
    expect(at('胡同文化要活起来')).toBe('李晓红');
  });

  it('yields every member of the eight archive reports exactly as members.json states them', async () => {
    const expected = JSON.parse(await readFile('eval/archive/members.json', 'utf8')) as Record<string, { members: { name: string; organisation: string; post: string }[] }>;
    for (const [article, { members }] of Object.entries(expected)) {
      const text = cleanDocument({ id: article, file: `${article}.txt`, title: '', text: await readFile(`eval/archive/${article}.txt`, 'utf8') }).text;
      const found = extractPeople(text).map((p) => `${p.name}|${p.affiliation}|${p.role}`);
      expect(found, article).toEqual(members.map((m) => `${m.name}|${m.organisation}|${m.post}`));
    }
  });
});
