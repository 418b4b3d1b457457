/**
 * The LLM composer: the best passages that fit the budget go to the model, its answer is streamed
 * (without half-written markers), verified against those passages, and only then returned. Any
 * failure of the model, or an answer with nothing verifiable left, yields the extractive answer
 * with a one-line notice: never a hang, a crash or an unchecked claim.
 */
import { relatedWordsIn } from '../../crosslingual/related-words.js';
import type { Composer, CompositionInput, RewriteInput } from '../composer.js';
import { composeExtractive } from '../extractive.js';
import { questionLanguage, refusalText } from '../language.js';
import type { Answer } from '../../types.js';
import { knownPeople } from './claims.js';
import { LlmError, type LlmClient } from '../../llm/client.js';
import { normalizeMarkers } from './markers.js';
import { failureNotice, unverifiableNotice, type NoticeFollows } from './notices.js';
import { citationFor, promptPassages } from './passages.js';
import { answerMessages } from './prompt.js';
import { rewriteQuestion } from './rewrite.js';
import { streamView } from './stream-view.js';
import { withoutThinking } from '../../llm/thinking.js';
import { trimHistory } from './tokens.js';
import { verifyAnswer } from './verify.js';
import { contentTermsOf, proposedTermsOf, strictContentTermsOf } from './content-terms.js';

export interface LlmComposerOptions {
  client: LlmClient;
  maxOutputTokens: number;
  temperature: number;
  /** Token budget for passages in the prompt. */
  promptTokens: number;
  historyTokens: number;
  historyTurns: number;
  log?: (line: string) => void;
  /** Called after each preview update's verification, with how long it took (the delay it adds). */
  onPreview?: (timing: { ms: number }) => void;
}

export interface LlmComposer extends Composer {
  readonly mode: 'llm';
  readonly client: LlmClient;
  rewrite(input: RewriteInput): Promise<string | undefined>;
}

export function createLlmComposer(options: LlmComposerOptions): LlmComposer {
  const { client, log = () => undefined } = options;
  const history = (turns: CompositionInput['history']) => trimHistory(turns, options.historyTurns, options.historyTokens);

  async function compose(input: CompositionInput): Promise<Answer> {
    const { index, analysis, passages, signal, onText } = input;
    const language = questionLanguage(analysis.question);
    // A year no article has, or nothing retrieved: nothing to give the model.
    if (analysis.documentIds?.size === 0 || passages.length === 0) return refusal(language, []);

    const selected = promptPassages(index, passages, options.promptTokens);
    if (selected.length === 0) return refusal(language, []);
    const messages = answerMessages({
      question: analysis.question,
      language,
      passages: selected,
      history: history(input.history),
      standalone: analysis.searchText !== analysis.question ? analysis.searchText : undefined,
    });
    const verifyOptions = { question: analysis.question, termsOf: (text: string) => contentTermsOf(index, text), borrowedTermsOf: (text: string) => strictContentTermsOf(index, text), proposedTermsOf: (text: string) => proposedTermsOf(index, text), related: relatedWordsIn(index) };
    const people = knownPeople(index);
    // The preview grows a verified sentence at a time: each complete sentence of the stream is
    // checked as the final answer will be, so nothing the final answer removes is ever shown.
    let shown = '';
    let checkedUpTo = -1;
    const stream = onText
      ? (raw: string) => {
          const complete = wholeSentences(streamView(raw, selected.length)) ?? '';
          if (complete.length === checkedUpTo) return;
          checkedUpTo = complete.length;
          const started = performance.now();
          const view = complete ? verifyAnswer(complete, selected, people, verifyOptions).text : '';
          options.onPreview?.({ ms: performance.now() - started });
          if (!view || view === shown) return;
          shown = view;
          try {
            onText(view);
          } catch (error) {
            log(`onText failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      : undefined;

    let raw: string;
    try {
      const reply = await client.chat({ messages, maxTokens: options.maxOutputTokens, temperature: options.temperature, signal, onText: stream });
      raw = withoutThinking(reply.text);
      if (reply.finishReason === 'length') raw = completeSentences(raw);
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = error instanceof LlmError ? error : new LlmError('malformed', String(error));
      log(`LLM answer failed (${failure.kind}): ${failure.message}; answering extractively.`);
      return fallback(input, (follows) => [failureNotice(failure.kind, language, follows)], []);
    }

    const verified = verifyAnswer(raw, selected, people, verifyOptions);
    if (verified.dropped.length || verified.recited) {
      log(`Verification: ${verified.dropped.length} sentence(s) dropped, ${verified.recited} re-cited.`);
    }
    if (verified.refused) return refusal(language, verified.dropped);
    if (!verified.text) return fallback(input, (follows) => [unverifiableNotice(language, follows)], verified.dropped);
    return {
      text: verified.text,
      refused: false,
      mode: 'llm',
      citations: verified.cited.map((passage, i) => citationFor(passage, i + 1)),
      dropped: verified.dropped,
    };
  }

  return {
    mode: 'llm',
    client,
    compose,
    rewrite: (input) => rewriteQuestion({ client, index: input.index, question: input.question, history: history(input.history), signal: input.signal, log }),
  };
}

function refusal(language: 'zh' | 'en', dropped: string[]): Answer {
  return { text: refusalText(language), refused: true, mode: 'llm', citations: [], dropped };
}

/** The extractive answer, with the notice saying why, and what verification dropped. */
function fallback(input: CompositionInput, notices: (follows: NoticeFollows) => string[], dropped: string[]): Answer {
  const answer = composeExtractive({ index: input.index, analysis: input.analysis, passages: input.passages });
  // The notice says what follows: an extract, or the articles' not covering the question.
  return { ...answer, notices: [...(answer.notices ?? []), ...notices(answer.refused ? 'refusal' : 'extract')], dropped };
}

/** An answer cut at the output limit loses its unfinished last sentence. */
function completeSentences(raw: string): string {
  return wholeSentences(raw) ?? normalizeMarkers(raw);
}

/** The text up to its last complete sentence and that sentence's markers; undefined when none is complete. */
function wholeSentences(raw: string): string | undefined {
  const text = normalizeMarkers(raw);
  return /^[^]*(?:[。！？!?；;]|\.(?=\s|\[|$))[”’」』）)"'》]*(?:\s*\[\d{1,3}\])*/.exec(text)?.[0];
}
