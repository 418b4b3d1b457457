/**
 * Approximate token counting and budgets. No tokenizer is bundled for every model a user may
 * configure, so: one token per Han character (true to within ~1.5× for current tokenizers) and
 * one per four other characters.
 */
import type { HistoryTurn } from '../../types.js';
import { stripMarkers } from './markers.js';

export function estimateTokens(text: string): number {
  let han = 0;
  let other = 0;
  for (const char of text) {
    if (/\p{Script=Han}/u.test(char)) han++;
    else other++;
  }
  return han + Math.ceil(other / 4);
}

/** The best items (in the given order) whose texts fit the budget together; never none when there are any. */
export function fitToBudget<T>(items: readonly T[], textOf: (item: T) => string, budget: number): T[] {
  const chosen: T[] = [];
  let used = 0;
  for (const item of items) {
    const cost = estimateTokens(textOf(item));
    if (used + cost > budget) continue; // a smaller, lower-ranked one may still fit
    chosen.push(item);
    used += cost;
  }
  if (chosen.length === 0 && items.length > 0) chosen.push(items[0]!);
  return chosen;
}

/** Cuts a text to about `budget` tokens, marking the cut. */
export function truncateToTokens(text: string, budget: number): string {
  if (estimateTokens(text) <= budget) return text;
  let used = 0;
  let out = '';
  for (const char of text) {
    used += /\p{Script=Han}/u.test(char) ? 1 : 0.25;
    if (used > budget) break;
    out += char;
  }
  return `${out}…`;
}

/**
 * The last `turns` turns, each shortened, oldest dropped until they fit `budget`. Old answers lose
 * their [n] markers: those numbers referred to passages this prompt does not have.
 */
export function trimHistory(history: readonly HistoryTurn[], turns: number, budget: number): HistoryTurn[] {
  if (turns <= 0 || budget <= 0) return [];
  const perTurn = Math.max(40, Math.floor(budget / Math.min(turns, Math.max(1, history.length))));
  const recent = history.slice(-turns).map((turn) => ({
    question: truncateToTokens(turn.question, Math.floor(perTurn / 3)),
    answer: truncateToTokens(stripMarkers(turn.answer).trim(), Math.floor((perTurn * 2) / 3)),
  }));
  const cost = (turn: HistoryTurn) => estimateTokens(turn.question) + estimateTokens(turn.answer);
  while (recent.length && recent.reduce((sum, turn) => sum + cost(turn), 0) > budget) recent.shift();
  return recent;
}
