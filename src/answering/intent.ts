/** The question asks for a member's post or organisation ("在哪家企业任职?担任什么职务?"). */
export function asksRole(question: string): boolean {
  return /(任职|职务|职位|单位|身份|头衔|担任|哪家|什么工作|来自哪|affiliation|position|job|title|work(s|ed)? (at|for)|where does .{2,40} work|which (company|organi[sz]ation|institute))/i.test(question);
}

/** The question asks who ("是谁", "哪两位委员", "which member"). */
export function asksWho(question: string): boolean {
  return /(谁|哪位|哪两位|哪几位|哪些委员|什么人|\bwho\b|\bwhich (member|members|delegate|person|people)\b)/i.test(question);
}

const COUNT = /(?:多少|几)\s*([位名个次家项种条年天人所座场篇届批类])/;
const ENGLISH_COUNT = /how many\s+(?:\w+\s+){0,2}?(members?|people|persons?|delegates?|speakers?|times?|companies|enterprises|firms|institutes?|proposals?|suggestions?|years?|days?)\b/i;
const ENGLISH_UNITS: Record<string, string> = {
  member: '位|名|人', people: '位|名|人', person: '位|名|人', delegate: '位|名|人', speaker: '位|名|人',
  time: '次', compan: '家', enterprise: '家', firm: '家', institute: '家|所', proposal: '项|条', suggestion: '项|条',
  year: '年', day: '天',
};
const NUMBER = '[0-9０-９.一二三四五六七八九十百千万两]+';

/** The measure word(s) of a "how many" question ("多少位委员" → "位", "how many members" → "位|名|人"). */
export function countUnit(question: string): string | undefined {
  const chinese = COUNT.exec(question)?.[1];
  if (chinese) return chinese;
  const noun = ENGLISH_COUNT.exec(question)?.[1]?.toLowerCase();
  if (!noun) return undefined;
  const key = Object.keys(ENGLISH_UNITS).find((stem) => noun.startsWith(stem));
  return key ? ENGLISH_UNITS[key] : undefined;
}

/** True when the text states a number with that measure word ("42次", "104家", "三位"). */
export function statesCount(text: string, unit: string): boolean {
  return new RegExp(`${NUMBER}\\s*(?:${unit})`).test(text);
}
