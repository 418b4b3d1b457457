import { describe, expect, it } from 'vitest';
import { memoryIndex } from '../support/memory-index.js';

// Long enough that the first article is cut into several passages.
const paragraph = '委员们围绕轨道交通建设和老旧小区改造深入交流，提出了很多具体意见。';
const articles = [
  {
    id: 'a',
    title: '市政协召开城市更新专题协商会',
    date: '2025-03-12',
    session: '北京市政协十四届三次会议',
    text: `${paragraph.repeat(6)}\n\n委员建议，到2027年建成42个社区养老驿站，推广ＡＩ和６Ｇ应用。\n\n${paragraph.repeat(6)}\n\n企业中，有人说这件事我们都知道。`,
  },
  { id: 'b', title: '科技界委员座谈', text: '委员们谈到固态电池的研发，也谈到数据安全。' },
];

describe('term presence: whether the articles contain a term', () => {
  const index = memoryIndex(articles);
  const presence = index.presence;

  it('finds a term in a passage and not one the passages only hold in pieces', () => {
    expect(index.corpus.chunks.filter((chunk) => chunk.docId === 'a').length).toBeGreaterThan(1);
    expect(presence.holds('社区养老驿站')).toBe(true);
    expect(presence.holds('固态电池')).toBe(true);
    // Every bigram of it occurs in that passage, never all together.
    expect(presence.holds('也谈到固态')).toBe(false);
    expect(presence.holds('养老电池')).toBe(false);
    expect(presence.holds('氢能源')).toBe(false);
  });

  it('finds a term only the title, the session or the date holds', () => {
    expect(presence.holds('专题协商会')).toBe(true);
    expect(presence.holds('十四届三次会议')).toBe(true);
    expect(presence.holds('2025年3月12日')).toBe(true);
    expect(presence.holds('科技界委员座谈')).toBe(true);
    expect(presence.holds('专题座谈会')).toBe(false);
  });

  it('finds numbers and Latin words whole, in either width and case', () => {
    expect(presence.holds('42')).toBe(true);
    expect(presence.holds('42个')).toBe(true);
    expect(presence.holds('2027年')).toBe(true);
    expect(presence.holds('AI')).toBe(true);
    expect(presence.holds('6g')).toBe(true);
    expect(presence.holds('4')).toBe(false);
    expect(presence.holds('2026年')).toBe(false);
    expect(presence.holds('5g')).toBe(false);
  });

  it('holds a group when it holds one of its alternatives', () => {
    expect(presence.holds('氢能源|固态电池')).toBe(true);
    expect(presence.holds('氢能源|光伏')).toBe(false);
  });

  it('reads every passage for a term with no indexed piece (stopword bigrams, one character)', () => {
    expect(presence.holds('我们')).toBe(true);
    expect(presence.holds('驿')).toBe(true);
    expect(presence.holds('他们')).toBe(false);
    expect(presence.holds('鹰')).toBe(false);
  });

  it('does not match across punctuation or between two articles', () => {
    expect(presence.holds('中有')).toBe(false);
    expect(presence.holds('知道科技')).toBe(false);
  });
});

describe('term presence among many passages', () => {
  // 161 articles of one passage each: every bigram of the terms below is in 81 or more of them.
  const many = [
    ...Array.from({ length: 80 }, (_, i) => ({ id: `x${i}`, title: `第${i}篇`, text: '养老服务很重要。' })),
    ...Array.from({ length: 80 }, (_, i) => ({ id: `y${i}`, title: `第${i}篇`, text: '服务中心建好了。' })),
    { id: 'z', title: '开放', text: '养老服务中心开放。' },
  ];
  const presence = memoryIndex(many).presence;

  it('narrows the passages of a common piece by the next pieces and finds the one holding the term', () => {
    expect(presence.holds('老服务中')).toBe(true);
    expect(presence.holds('老服务中心建')).toBe(false);
  });
});
