import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../src/corpus/clean.js';
import { forumDate, plenarySessionYear } from '../../src/corpus/dates.js';

const page = (text: string) => cleanDocument({ id: 'x', file: 'x.txt', title: '', text });

describe('cleaning by structure', () => {
  it('drops navigation, share bars, app banners and the link list after the closing credit', () => {
    const article = page([
      '首页 | 时政 | 北京 | 视频',
      '市政协召开“社区养老”协商座谈会',
      '来源：晨光日报　发布时间：2025年06月03日 09:30　字号：大 中 小',
      '本报讯（记者 苏明远）6月2日，北京市政协召开“社区养老”协商座谈会，围绕居家养老服务协商议政。',
      '市政协委员、某某养老服务公司总经理李青山建议，社区食堂要向周边老人开放。',
      '微信 微博 QQ空间 复制链接',
      '（记者 苏明远）',
      '相关新闻',
      '老年餐桌覆盖全市',
      '社区医院上新了',
      '打开晨光日报客户端 阅读体验更佳',
    ].join('\n'));
    expect(article.text).toContain('社区食堂要向周边老人开放');
    for (const chrome of ['首页', '字号', '微博', '相关新闻', '社区医院上新了', '客户端', '本报讯']) expect(article.text).not.toContain(chrome);
    expect(article.title).toBe('市政协召开“社区养老”协商座谈会');
    expect(article.reporters).toEqual(['苏明远']);
    expect(article.date).toBe('2025-06-02');
  });

  it('drops contact lines and copyright notices but keeps a sentence that mentions a phone service', () => {
    const article = page([
      '5月9日，区政协委员围绕12345热线协商，委员建议热线回访要更及时。',
      '报料电话：010-67106710　邮箱：tips@example.com',
      '版权所有，未经授权不得转载。',
    ].join('\n'));
    expect(article.text).toContain('12345热线');
    expect(article.text).not.toContain('67106710');
    expect(article.text).not.toContain('版权');
  });
});

describe('forum dates', () => {
  it('takes the year of a month-day lede from the plenary session it names', () => {
    expect(plenarySessionYear('市政协十四届三次会议期间')).toBe(2025);
    expect(forumDate(['1月15日，在市政协十四届三次会议期间召开座谈会。'])).toBe('2025-01-15');
  });

  it('does not take a target year for the year of the meeting', () => {
    expect(forumDate(['3月8日，委员们提出，力争2030年建成示范区。2026年是开局之年。'])).toBe('2026-03-08');
  });

  it('puts a December meeting reported in January in the previous year', () => {
    expect(forumDate(['12月28日，市政协召开协商会。'], '2026-01-03')).toBe('2025-12-28');
  });
});
