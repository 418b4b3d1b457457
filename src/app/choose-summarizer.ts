/** The composition root: which summarizer the configuration asks for digests (extractive, or an LLM one). */
import type { Config } from '../config.js';
import { clientFromSettings } from '../llm/client.js';
import { createLlmSummarizer, DEFAULT_OUTPUT_TOKENS, extractiveSummarizer, type Summarizer } from '../summaries/digest.js';

/**
 * The LLM summarizer when SUMMARY_MODE is auto and a model is configured (as for answers:
 * OPENAI_MODEL plus OPENAI_BASE_URL or OPENAI_API_KEY), else extractive.
 */
export function createSummarizer(config: Config, mode: 'auto' | 'extractive', log: (line: string) => void = () => undefined): Summarizer {
  const settings = config.openAi;
  if (mode === 'extractive' || !settings.model || (!settings.baseURL && !settings.apiKey)) return extractiveSummarizer;
  const client = clientFromSettings(settings);
  return createLlmSummarizer({
    client,
    maxOutputTokens: Math.max(settings.maxOutputTokens, DEFAULT_OUTPUT_TOKENS),
    temperature: settings.temperature,
    log,
  });
}
