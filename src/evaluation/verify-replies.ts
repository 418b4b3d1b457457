/**
 * The verification eval: hand-written model replies (eval/verify/replies.jsonl), faithful ones and
 * ones with one planted error each, are replayed by a scripted model on 127.0.0.1 through the
 * real ask path (retrieval, prompt, streaming, verification), and scored: per error type how many
 * were caught (removed), re-cited or reached the user; how many true sentences were dropped; and
 * whether the final answer keeps the facts the reply stated. Every streamed preview is checked
 * too: nothing the final answer removes may ever be on screen.
 */
import { readFile } from 'node:fs/promises';
import { createAsker } from '../answering/ask.js';
import type { ForumIndex } from '../index/forum-index.js';
import { createLlmClient } from '../llm/client.js';
import { createLlmComposer } from '../answering/llm/composer.js';
import { ANSWER_SYSTEM_PROMPT } from '../answering/llm/prompt.js';
import { startScriptedModel, type ChatRequest } from './scripted-llm.js';

export interface ScriptedReply {
  id: string;
  question_id: string;
  question: string;
  lang: 'zh' | 'en';
  type: 'faithful' | 'error';
  error: string | null;
  reply: string;
  planted: string | null;
}

export type Outcome = 'caught' | 're-cited' | 'reached';

export interface ReplyResult {
  id: string;
  type: ScriptedReply['type'];
  error: string | null;
  /** For an error reply: what became of the planted sentence. */
  outcome?: Outcome;
  /** True sentences of the reply (cited to a passage the prompt held) that the final answer lost. */
  trueDropped: string[];
  trueSentences: number;
  /** Sentences whose supporting passage retrieval did not put in the prompt (no model could cite it). */
  unanchored: number;
  /** The reply's facts (from the question's expected facts) it stated, and how many the final answer keeps. */
  facts: { stated: number; kept: number };
  /** The stated facts the final answer lost. */
  lostFacts: string[];
  /** A streamed preview showed a sentence that the final answer does not contain. */
  previewLeaks: string[];
  /** The final answer the user got. */
  answer: string;
}

export async function readReplies(file: string): Promise<ScriptedReply[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as ScriptedReply;
      } catch (error) {
        throw new Error(`${file} line ${i + 1} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    });
}

const ANCHOR = /\[\[=([^\]]+)\]\]/g;

/** The passages of an answer request, number → text (as the prompt writes them). */
function promptPassages(request: ChatRequest): Map<number, string> {
  const user = request.messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
  const passages = new Map<number, string>();
  for (const match of user.matchAll(/<passage n="(\d+)"[^>]*>\n([^]*?)\n<\/passage>/g)) passages.set(Number(match[1]), match[2]!);
  return passages;
}

/** The reply with each anchor [[=text]] replaced by the [n] of the prompt passage holding the text (dropped when none does). */
export function anchored(reply: string, passages: Map<number, string>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = reply.replace(ANCHOR, (_whole, substring: string) => {
    for (const [n, passage] of passages) if (passage.includes(substring)) return `[${n}]`;
    missing.push(substring);
    return '';
  });
  return { text, missing };
}

function squash(text: string): string {
  return text.replace(/\[\d+\]/g, '').normalize('NFKC').toLowerCase().replace(/[\s\p{P}]/gu, '');
}

/** The reply's sentences with their anchors, in order. */
function sentencesOf(reply: string): { text: string; anchors: string[] }[] {
  // Chinese sentence ends, and an English one: a full stop before a capital letter.
  const pieces = reply.match(/(?:[^。！？!?.\n]|\.(?!\s+[A-Z“"]))+(?:[。！？!?]+|\.(?=\s+[A-Z“"]|\s*\[\[|\s*$)|(?=\n)|$)(?:\s*\[\[=[^\]]+\]\])*/g) ?? [];
  return pieces
    .map((piece) => ({ text: piece.replace(ANCHOR, '').trim(), anchors: [...piece.matchAll(ANCHOR)].map((match) => match[1]!) }))
    .filter((sentence) => squash(sentence.text).length >= 4);
}

export async function runReplies(index: ForumIndex, replies: ScriptedReply[], factsOf: (questionId: string) => string[], previewTimings: number[] = []): Promise<ReplyResult[]> {
  let current: ScriptedReply | undefined;
  let promptHeld = new Map<number, string>();
  const model = await startScriptedModel((request) => {
    const system = request.messages.find((message) => message.role === 'system')?.content ?? '';
    const question = /<question>([^]*?)<\/question>/.exec(request.messages.at(-1)?.content ?? '')?.[1] ?? '';
    // The rewrite request: the question is standalone already.
    if (system !== ANSWER_SYSTEM_PROMPT) return question.replace(/‹/g, '<').replace(/›/g, '>');
    promptHeld = promptPassages(request);
    return anchored(current!.reply, promptHeld).text;
  });
  try {
    const client = createLlmClient({ apiKey: 'scripted', baseURL: model.baseURL, model: 'scripted', timeoutMs: 5000, maxRetries: 0, maxRetryAfterMs: 0, deadlineMs: 10_000, cooldownMs: 0 });
    const composer = createLlmComposer({ client, maxOutputTokens: 600, temperature: 0, promptTokens: 2500, historyTokens: 600, historyTurns: 4, onPreview: ({ ms }) => previewTimings.push(ms) });
    const ask = createAsker({ index, composer });
    const results: ReplyResult[] = [];
    for (const reply of replies) {
      current = reply;
      const previews: string[] = [];
      const trace = await ask(reply.question, { onText: (text) => previews.push(text) });
      const final = squash(trace.answer);
      const sentences = sentencesOf(reply.reply);
      const planted = reply.planted ? squash(reply.planted) : undefined;
      const isPlanted = (text: string) => planted !== undefined && (squash(text).includes(planted) || planted.includes(squash(text)));
      const heldBy = (anchors: string[]) => anchors.length > 0 && anchors.every((anchor) => [...promptHeld.values()].some((passage) => passage.includes(anchor)));
      const truths = sentences.filter((sentence) => !isPlanted(sentence.text));
      const citable = truths.filter((sentence) => heldBy(sentence.anchors));
      const trueDropped = citable.filter((sentence) => !final.includes(squash(sentence.text))).map((sentence) => sentence.text);
      const stated = factsOf(reply.question_id).filter((fact) => squash(reply.reply).includes(squash(fact)));
      const kept = stated.filter((fact) => final.includes(squash(fact)));
      // A preview may show only what the final answer keeps.
      const previewLeaks = [...new Set(previews.flatMap((preview) => sentencesOf(preview.replace(/\[(\d+)\]/g, '')).map((s) => s.text)))].filter((text) => !final.includes(squash(text)));
      results.push({
        id: reply.id,
        type: reply.type,
        error: reply.error,
        ...(reply.type === 'error' ? { outcome: outcomeOf(reply, trace.answer, trace.citations) } : {}),
        trueDropped,
        trueSentences: citable.length,
        unanchored: truths.length - citable.length,
        facts: { stated: stated.length, kept: kept.length },
        lostFacts: stated.filter((fact) => !kept.includes(fact)),
        previewLeaks,
        answer: trace.answer,
      });
    }
    return results;
  } finally {
    await model.close();
  }
}

/** What became of the planted sentence: removed, moved to another passage, or shown as the model wrote it. */
function outcomeOf(reply: ScriptedReply, answer: string, citations: { n: number; text: string }[]): Outcome {
  const planted = squash(reply.planted ?? '');
  const at = answer.split(/(?<=[。！？!?]|\])\s*/).find((piece) => planted.length >= 4 && squash(piece).length >= 4 && (squash(piece).includes(planted) || planted.includes(squash(piece))));
  if (!at && !squash(answer).includes(planted)) return 'caught';
  if (reply.error !== 'wrong-citation') return 'reached';
  // A true sentence cited to the wrong passage is handled when it now cites one without the wrong anchor's text.
  const original = new RegExp(`${escape(reply.planted ?? '')}\\s*\\[\\[=([^\\]]+)\\]\\]`).exec(reply.reply)?.[1];
  const numbers = [...answer.slice(answer.indexOf(at ?? '')).matchAll(/\[(\d+)\]/g)].slice(0, 2).map((match) => Number(match[1]));
  const still = numbers.some((n) => original && citations.find((citation) => citation.n === n)?.text.includes(original));
  return still ? 'reached' : 're-cited';
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface VerificationSummary {
  byError: Map<string, Record<Outcome, number>>;
  trueSentences: number;
  trueDropped: number;
  unanchored: number;
  facts: { stated: number; kept: number };
  previewLeaks: number;
}

export function summarise(results: ReplyResult[]): VerificationSummary {
  const byError = new Map<string, Record<Outcome, number>>();
  for (const result of results) {
    if (!result.outcome || !result.error) continue;
    const row = byError.get(result.error) ?? { caught: 0, 're-cited': 0, reached: 0 };
    row[result.outcome]++;
    byError.set(result.error, row);
  }
  const faithful = results.filter((result) => result.type === 'faithful');
  return {
    byError,
    trueSentences: results.reduce((sum, result) => sum + result.trueSentences, 0),
    trueDropped: results.reduce((sum, result) => sum + result.trueDropped.length, 0),
    unanchored: results.reduce((sum, result) => sum + result.unanchored, 0),
    facts: faithful.reduce((sum, result) => ({ stated: sum.stated + result.facts.stated, kept: sum.kept + result.facts.kept }), { stated: 0, kept: 0 }),
    previewLeaks: results.reduce((sum, result) => sum + result.previewLeaks.length, 0),
  };
}

export function formatSummary(summary: VerificationSummary): string {
  const lines = ['error type            caught  re-cited  reached'];
  for (const [error, row] of [...summary.byError].sort()) lines.push(`${error.padEnd(20)} ${String(row.caught).padStart(7)} ${String(row['re-cited']).padStart(9)} ${String(row.reached).padStart(8)}`);
  lines.push(
    '',
    `true sentences dropped: ${summary.trueDropped}/${summary.trueSentences} (${summary.unanchored} more whose passage retrieval did not give the model)`,
    `faithful replies' facts kept: ${summary.facts.kept}/${summary.facts.stated}`,
    `streamed previews showing a sentence the final answer removed: ${summary.previewLeaks}`,
  );
  return lines.join('\n');
}
