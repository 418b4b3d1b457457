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

/** A wait in words, rounded up: 42 秒 / 42 seconds, 3 分钟 / 3 minutes, 2 小时 / 2 hours. */
function waitFor(seconds: number, language: Language): string {
  const [amount, zh, en] =
    seconds < 90 ? [Math.max(1, Math.ceil(seconds)), '秒', 'second'] : seconds < 90 * 60 ? [Math.ceil(seconds / 60), '分钟', 'minute'] : [Math.ceil(seconds / 3600), '小时', 'hour'];
  return language === 'zh' ? `${amount} ${zh}` : `${amount} ${en}${amount === 1 ? '' : 's'}`;
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
    rateLimited: (seconds: number) => `提问有点快了：请在 ${waitFor(seconds, 'zh')}后再问，在此之前发来的问题不会回答。`,
    tooLong: (length: number, limit: number) => `问题有 ${length} 个字，超过了 ${limit} 字的上限，请简短一些再问。`,
    apology: '抱歉，处理这条消息时出错了，请稍后再试。',
    summaryComing: '论坛摘要功能即将推出。现在可以直接提问，例如：“2026年座谈会的主题是什么？”',
    notAdmin: '抱歉，只有管理员可以重建索引。',
    reindexBusy: '索引正在重建中，请稍候。',
    reindexStarted: '正在重建索引，期间照常回答问题…',
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
    // The link to Telegram: shutdown, lost deliveries, the bot's profile (setMyDescription).
    restarting: '机器人正在重启，没来得及回答这条消息，请稍后再问一次。',
    answerLost: (question: string) => `抱歉，刚才与 Telegram 的连接出了问题，我对“${question}”的回答没能发出。请再问一次。`,
    answerUncertain: (question: string) => `刚才与 Telegram 的连接中断了，我对“${question}”的回答可能没有送达。如果没有看到，请再问一次。`,
    botDescription:
      '我根据新闻报道回答关于北京市政协论坛（专题座谈会等）的问题，每个说法都标注出处 [n] 并附上原文段落。私聊直接提问；在群里 @我、回复我的消息或发送 /ask 问题。/help 查看用法，/summary 看论坛摘要。',
    botShortDescription: '北京市政协论坛问答：根据新闻报道回答，每个说法都标注出处。',
  },
  en: {
    sources: 'Sources',
    thinking: 'Looking it up…',
    emptyQuestion: 'Put the question after the command, e.g. /ask What did 黄宇红 propose?',
    mentionOnly: 'What would you like to know? Mention me with a question, or use /ask <question>.',
    unknownCommand: "I don't know that command. Send /help to see how to use me, or just ask a question.",
    media: 'I can only read text: please send your question as a text message.',
    rateLimited: (seconds: number) => `You're asking a bit fast: please ask again in ${waitFor(seconds, 'en')}; questions sent before then won't be answered.`,
    tooLong: (length: number, limit: number) => `Your question is ${length} characters long; the limit is ${limit}. Please ask it more briefly.`,
    apology: 'Sorry, something went wrong while handling that message. Please try again in a moment.',
    summaryComing: 'Forum summaries are coming soon. For now, ask a question, e.g. "What was the theme of the 2026 forum?"',
    notAdmin: 'Sorry, only the bot admins can rebuild the index.',
    reindexBusy: 'The index is already being rebuilt; please wait.',
    reindexStarted: 'Rebuilding the index; questions are still answered meanwhile…',
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
    restarting: 'The bot is restarting and could not answer this message. Please ask again in a moment.',
    answerLost: (question: string) => `Sorry, the connection to Telegram failed and my answer to “${question}” could not be sent. Please ask again.`,
    answerUncertain: (question: string) =>
      `The connection to Telegram broke while I was sending my answer to “${question}”, so it may not have arrived. If you don't see it, please ask again.`,
    botDescription:
      'I answer questions about the Beijing CPPCC (北京市政协) forum sessions from news reports; every claim is cited [n] with the quoted passage. Ask in a private chat, or mention me, reply to me or use /ask in a group. /help shows how, /summary gives forum digests.',
    botShortDescription: 'Q&A on the Beijing CPPCC forum sessions from news reports, every claim cited.',
  },
} satisfies Record<Language, unknown>;

export type Texts = (typeof TEXTS)['en'];

/**
 * What the bot tells its admins about rebuilds and uploaded articles (maintenance-report.ts puts
 * them together). Articles are named by title and date, files by name only: no server paths, no
 * index internals.
 */
export const MAINTENANCE_TEXTS = {
  zh: {
    title: (title: string) => `《${title}》`,
    date: (date: string) => `（${date}）`,
    list: (items: readonly string[]) => items.join('、'),
    indexUpdated: (articles: number) => `索引已更新，共 ${articles} 篇报道。`,
    indexUnchanged: (articles: number) => `索引已是最新（共 ${articles} 篇报道），没有新增、更新或移除的报道。`,
    added: '新增：',
    updated: '更新：',
    removed: '移除：',
    skipped: (count: number) => `未能收录 ${count} 个文件：`,
    reindexFailed: (reason: string) => `重建索引失败，仍在使用原来的索引。原因：${reason}`,
    reindexUnavailable: '这个机器人没有设置重建索引的方式。',
    digestsSent: (count: number, chats: string) => `摘要已发送到 ${count} 个订阅的聊天：${chats}。`,
    digestsMissing: (count: number, chats: string) => `有 ${count} 个订阅的聊天没有收到：${chats}（原因见服务器日志，稍后会再试）。`,
    digestsNone: '目前没有订阅摘要的聊天。',
    digestsStillSending: '摘要仍在发送中，完成情况见服务器日志。',
    chatWithoutTitle: (chatId: number) => `聊天 ${chatId}`,
    uploadNotAdmin: '谢谢！只有管理员可以添加报道。想提问的话，请直接用文字发送问题。',
    uploadUnavailable: '这个机器人没有开启添加报道的功能。',
    uploadWrongType: (name: string, extensions: string) => `只能添加 ${extensions} 格式的报道文件（文本或保存的网页），收到的是“${name}”。没有保存任何内容。`,
    uploadReceived: (name: string) => `收到“${name}”，正在检查并收录…`,
    uploadTooLarge: (limitMiB: number) => `文件超过了单篇报道 ${limitMiB} MiB 的上限。没有保存任何内容。`,
    uploadDownloadFailed: '无法从 Telegram 下载这个文件，请稍后再发送一次。没有保存任何内容。',
    uploadRefused: (reason: string) => `这个文件没有收录：${reason}。没有保存任何内容。`,
    uploadAdded: (article: string, file: string) => `已收录${article}，保存为 ${file}。`,
    uploadReplaced: (article: string, file: string) => `已更新${article}，替换了原来的 ${file}。`,
    uploadUnchanged: (article: string, file: string) => `${article}已经收录（${file}），内容没有变化。`,
    uploadRenamed: (existing: string, file: string) => `已有一篇不同的报道叫 ${existing}，没有覆盖它，这篇另存为 ${file}。如要替换原来的，请重新发送文件，并在说明里写“替换”。`,
    uploadEarlierVersion: (article: string, file: string) => `${file} 里已经有${article}的另一个版本，没有覆盖它，这个文件也没有保存。如要用这个版本替换，请重新发送文件，并在说明里写“替换”。`,
    uploadMembers: (count: number, members: string) => `找到 ${count} 位发言的委员：${members}。`,
    uploadNoMembers: '没有找到发言的委员。',
    member: (name: string, post: string) => (post ? `${name}（${post}）` : name),
    uploadNotIndexed: (file: string, reason: string) => `已保存为 ${file}，但没能收录进索引：${reason}。下次 /reindex 或 npm run ingest 时会再试。`,
    uploadBusy: '索引正在重建中，完成后接着收录这个文件…',
  },
  en: {
    title: (title: string) => `“${title}”`,
    date: (date: string) => ` (${date})`,
    list: (items: readonly string[]) => items.join(', '),
    indexUpdated: (articles: number) => `The index is updated: ${articles} articles.`,
    indexUnchanged: (articles: number) => `The index was already up to date (${articles} articles): nothing new, changed or removed.`,
    added: 'New: ',
    updated: 'Changed: ',
    removed: 'Removed: ',
    skipped: (count: number) => `${count} file(s) could not be indexed: `,
    reindexFailed: (reason: string) => `Rebuilding failed; still using the previous index. ${reason}`,
    reindexUnavailable: 'This bot has no way to rebuild its index configured.',
    digestsSent: (count: number, chats: string) => `Digests sent to ${count} subscribed chat(s): ${chats}.`,
    digestsMissing: (count: number, chats: string) => `${count} subscribed chat(s) did not get it: ${chats} (the server log says why; tried again later).`,
    digestsNone: 'No chat is subscribed to digests yet.',
    digestsStillSending: 'Digests are still being sent; the server log says how it ends.',
    chatWithoutTitle: (chatId: number) => `chat ${chatId}`,
    uploadNotAdmin: "Thanks! Only the bot's admins can add articles. To ask a question, just send it as text.",
    uploadUnavailable: 'Adding articles is not set up for this bot.',
    uploadWrongType: (name: string, extensions: string) => `Only ${extensions} article files (text or saved web pages) can be added; this is “${name}”. Nothing was saved.`,
    uploadReceived: (name: string) => `Got “${name}”; checking and indexing it…`,
    uploadTooLarge: (limitMiB: number) => `The file is larger than an article can be (${limitMiB} MiB). Nothing was saved.`,
    uploadDownloadFailed: 'Could not download the file from Telegram; please send it again later. Nothing was saved.',
    uploadRefused: (reason: string) => `This file was not added: ${reason}. Nothing was saved.`,
    uploadAdded: (article: string, file: string) => `Added ${article}, saved as ${file}.`,
    uploadReplaced: (article: string, file: string) => `Updated ${article}, replacing the earlier ${file}.`,
    uploadUnchanged: (article: string, file: string) => `${article} is already indexed (${file}) as it is; nothing changed.`,
    uploadRenamed: (existing: string, file: string) => `A different article is already named ${existing}; it was not overwritten, and this one is saved as ${file}. To replace the earlier one, send the file again with the caption “replace”.`,
    uploadEarlierVersion: (article: string, file: string) => `Another version of ${article} is already saved as ${file}; it was not overwritten and this file was not saved. To replace it with this one, send the file again with the caption “replace”.`,
    uploadMembers: (count: number, members: string) => `Members found (${count}): ${members}.`,
    uploadNoMembers: 'No members found who speak in it.',
    member: (name: string, post: string) => (post ? `${name} (${post})` : name),
    uploadNotIndexed: (file: string, reason: string) => `Saved as ${file}, but it could not be indexed: ${reason}. The next /reindex or npm run ingest tries again.`,
    uploadBusy: 'The index is being rebuilt; this file is indexed right after…',
  },
} satisfies Record<Language, unknown>;

export type MaintenanceTexts = (typeof MAINTENANCE_TEXTS)['en'];
