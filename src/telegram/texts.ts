import { questionLanguage } from '../answering/language.js';

export type Language = 'zh' | 'en';

/**
 * The reply language: the question's own script when it has one (the answer follows it too),
 * else the user's Telegram language.
 */
export function replyLanguage(text: string | undefined, languageCode: string | undefined): Language {
  if (text && /[\p{Script=Han}A-Za-z]/u.test(text)) return questionLanguage(text);
  return languageCode?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Every fixed sentence the bot says, in both languages. Plain text: callers escape. */
export const TEXTS = {
  zh: {
    sources: '来源',
    thinking: '正在查找…',
    emptyQuestion: '请在命令后写上问题，例如：/ask 黄宇红提出了哪些建议？',
    mentionOnly: '想问什么？@我时带上问题，或用 /ask 问题。',
    unknownCommand: '没有这个命令。发送 /help 查看用法，或直接提问。',
    media: '我只能读文字：请把问题用文字发给我。',
    rateLimited: (seconds: number) => `提问有点快了，请在 ${seconds} 秒后再试。`,
    tooLong: (length: number, limit: number) => `问题有 ${length} 个字，超过了 ${limit} 字的上限，请简短一些再问。`,
    apology: '抱歉，处理这条消息时出错了，请稍后再试。',
    summaryComing: '论坛摘要功能即将推出。现在可以直接提问，例如：“2026年座谈会的主题是什么？”',
    notAdmin: '抱歉，只有管理员可以重建索引。',
    reindexBusy: '索引正在重建中，请稍候。',
    reindexStarted: '正在重建索引，期间照常回答问题…',
    reindexDone: (detail: string) => `索引已更新：${detail}`,
    reindexUnchanged: (detail: string) => `索引已是最新：${detail}`,
    reindexFailed: (reason: string) => `重建索引失败，继续使用原索引：${reason}`,
    noDocuments: '索引里还没有文章。',
    helpIntro: '我根据新闻报道回答关于北京市政协论坛（专题座谈会等）的问题，每个说法都标注出处 [n]，并附上原文段落。',
    helpSessions: '已收录的论坛：',
    helpHowTo: '怎么问：私聊直接发送问题；在群里 @我、回复我的消息，或发送 /ask 问题。可以接着追问，例如“她还建议了什么？”。',
    helpExamples: '示例：',
    helpCommands: '/sources 报道列表 · /summary 论坛摘要 · /subscribe 订阅新论坛摘要 · /help 帮助',
    sourcesTitle: (count: number) => `已收录的 ${count} 篇报道：`,
    moreSessions: (count: number) => `……另有 ${count} 场`,
    exampleWho: (name: string) => `${name}提出了哪些建议？`,
    exampleTheme: (question: string) => question,
  },
  en: {
    sources: 'Sources',
    thinking: 'Looking it up…',
    emptyQuestion: 'Put the question after the command, e.g. /ask What did 黄宇红 propose?',
    mentionOnly: 'What would you like to know? Mention me with a question, or use /ask <question>.',
    unknownCommand: "I don't know that command. Send /help to see how to use me, or just ask a question.",
    media: 'I can only read text: please send your question as a text message.',
    rateLimited: (seconds: number) => `You're asking a bit fast: please try again in ${seconds} s.`,
    tooLong: (length: number, limit: number) => `Your question is ${length} characters long; the limit is ${limit}. Please ask it more briefly.`,
    apology: 'Sorry, something went wrong while handling that message. Please try again in a moment.',
    summaryComing: 'Forum summaries are coming soon. For now, ask a question, e.g. "What was the theme of the 2026 forum?"',
    notAdmin: 'Sorry, only the bot admins can rebuild the index.',
    reindexBusy: 'The index is already being rebuilt; please wait.',
    reindexStarted: 'Rebuilding the index; questions are still answered meanwhile…',
    reindexDone: (detail: string) => `The index is updated: ${detail}`,
    reindexUnchanged: (detail: string) => `The index was already up to date: ${detail}`,
    reindexFailed: (reason: string) => `Rebuilding failed; still using the previous index: ${reason}`,
    noDocuments: 'The index has no articles yet.',
    helpIntro: 'I answer questions about the Beijing CPPCC (北京市政协) forum sessions from news reports. Every claim carries a citation [n] with the quoted passage.',
    helpSessions: 'Forum sessions I know:',
    helpHowTo: 'How to ask: in a private chat just send the question; in a group mention me, reply to my message, or send /ask <question>. Follow-ups work, e.g. "What else did she propose?".',
    helpExamples: 'Examples:',
    helpCommands: '/sources the articles · /summary forum digests · /subscribe digests of new forums · /help this help',
    sourcesTitle: (count: number) => `The ${count} indexed article(s):`,
    moreSessions: (count: number) => `…and ${count} more`,
    exampleWho: (name: string) => `What did ${name} propose?`,
    exampleTheme: (question: string) => `Chinese works too: ${question}`,
  },
} satisfies Record<Language, unknown>;

export type Texts = (typeof TEXTS)['en'];
