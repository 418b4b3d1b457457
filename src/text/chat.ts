/**
 * Chat text as people type it, made into a question: markup-like characters (<b>, &amp;),
 * @mentions and /commands, emoji and decorations, greetings and sign-offs ("hi~", "你好呀",
 * "谢谢"), full-width punctuation. None of it is the question's topic, so none of it may make
 * the question look unanswerable.
 */
const TAG = /<\/?[a-z][^<>]{0,40}>/gi;
const ENTITY = /&(?:amp|lt|gt|quot|nbsp|#\d+);/gi;
const MENTION = /(?:^|\s)[@＠][\w\u4e00-\u9fff-]{1,32}/gu;
const COMMAND = /^\/[a-z_]+(?:@\w+)?\s*/i;
const EMOJI = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{FE0F}\u{200D}\u{20E3}]/gu;
const DECORATION = /[~～＾^*＊♪☆★【】「」『』]+/g;
// ASCII emoticons: <3, :), :-(, ;P, :D, ^_^, T_T.
const EMOTICON = /(?:^|\s)(?:<3+|[:;=][-']?[()DPpOo3\]\[/\\|]+|\^_+\^|T_T)(?=\s|$)/g;
// Greetings and politeness at the edges of a message: "hi~ 小助手", "你好，请问", "麻烦问下", "谢谢!".
const OPENING = /^(?:(?:hi|hello|hey|嗨|哈喽|你好呀?|您好|大家好|在吗|在不在|请问一下|请问|麻烦问一?下|问一?下|想问一?下|小助手|助手|机器人|bot)[\s，,、!！。.~]*)+/iu;
const CLOSING = /(?:[\s，,、]*(?:谢谢(?:啦|了|你)?|多谢|感谢|thanks?(?: you)?|thx|pls|please|帮我捋一捋|帮忙看看|求解答|急|在线等))+[\s!！。.~]*$/iu;

export function normaliseChat(text: string): string {
  let question = text
    .replace(TAG, ' ')
    .replace(ENTITY, (entity) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&nbsp;': ' ' })[entity.toLowerCase()] ?? ' ')
    .replace(COMMAND, '')
    .replace(MENTION, ' ')
    .replace(EMOJI, '')
    .replace(EMOTICON, ' ')
    .replace(DECORATION, ' ')
    .replace(/[<>]/g, ' ')
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim();
  question = question.replace(OPENING, '').replace(CLOSING, '').trim();
  // "& 冯莉琼来自哪家企业": a leading connective left over from removed markup.
  question = question.replace(/^[&,，、;；:：\s]+/, '');
  question = question.replace(COLLOQUIAL_RANK, (_match, before: string, rank: string) => `${before}第${RANKS[rank]}`).replace(/头号/g, '第一');
  return question || text.trim();
}

// Rank said in the chat register: "排全球老二" is 位列全球第二 in a report, "头号城市" 第一城.
// Only after a verb of ranking (排/位列/是/当…) and an optional scope: 老二 alone may be a second child.
const COLLOQUIAL_RANK = /((?:排|排名|位列|位居|是|当|成为|坐上)(?:了)?(?:全球|世界|全国|国内|国际|亚洲|全市)?)老([大二三])/gu;
const RANKS: Record<string, string> = { 大: '一', 二: '二', 三: '三' };
