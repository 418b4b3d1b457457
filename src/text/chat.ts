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
  return question || text.trim();
}
