/**
 * Quotation marks in text cut out of an article. Reports quote members over several sentences
 * (“……。……。”) and mark terms and titles inside (‘科教产融合平台’, 《…提案》), so a sentence or
 * clause taken on its own often holds half a pair. Shown like that it reads as broken; every
 * extract the bot shows goes through here.
 */

const PAIRS: Record<string, string> = { '“': '”', '‘': '’', '「': '」', '『': '』', '《': '》' };
const CLOSERS = new Map(Object.entries(PAIRS).map(([open, close]) => [close, open]));

// What may follow a closing mark at the end of a sentence: its punctuation, an ellipsis, markers.
const TAIL = /^[。！？；，、,.!?;…\s]*(?:\[\d+\])*\s*$/u;

/**
 * Every opening mark closed and every closing mark opened: a quotation still open at the end
 * (the sentence ends inside a longer quote, or the cut fell inside it) is closed after the text;
 * a closing mark whose quotation began in an earlier sentence gets its opening mark in front
 * when it ends the text (the whole extract is inside that quotation), and is dropped when it
 * stands inside (the cut removed the quotation's beginning).
 */
export function balanceQuotes(text: string): string {
  const open: { mark: string; at: number }[] = [];
  const dropped = new Set<number>();
  let openedBefore = '';
  for (let i = 0; i < text.length; i++) {
    const character = text[i]!;
    if (PAIRS[character]) {
      open.push({ mark: character, at: i });
      continue;
    }
    const opener = CLOSERS.get(character);
    if (!opener) continue;
    if (open.at(-1)?.mark === opener) {
      open.pop();
    } else if (open.length === 0 && TAIL.test(text.slice(i + 1)) && !openedBefore) {
      openedBefore = opener;
    } else {
      dropped.add(i);
    }
  }
  // Quote marks are never surrogates, so UTF-16 offsets are safe here.
  let result = dropped.size ? text.split('').filter((_, i) => !dropped.has(i)).join('') : text;
  if (openedBefore) result = `${result.startsWith('…') ? '…' : ''}${openedBefore}${result.replace(/^…/, '')}`;
  const closing = open.reverse().map(({ mark }) => PAIRS[mark]).join('');
  if (!closing) return result;
  const markers = /(?:\[\d+\])+$/.exec(result)?.[0] ?? '';
  return `${result.slice(0, result.length - markers.length)}${closing}${markers}`;
}

/** True when every quotation mark in the text has its partner, in order. */
export function quotesBalanced(text: string): boolean {
  const open: string[] = [];
  for (const character of text) {
    if (PAIRS[character]) open.push(character);
    const opener = CLOSERS.get(character);
    if (opener && open.pop() !== opener) return false;
  }
  return open.length === 0;
}
