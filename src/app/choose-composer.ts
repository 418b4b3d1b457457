/** The composition root: which composer the configuration asks for (extractive, or an LLM one). */
import type { Config } from '../config.js';
import { clientFromSettings } from '../llm/client.js';
import { createLlmComposer } from '../answering/llm/composer.js';
import { extractiveComposer, type Composer } from '../answering/composer.js';

/**
 * The LLM composer when a model and a server are configured (OPENAI_MODEL plus OPENAI_BASE_URL
 * or OPENAI_API_KEY), else the extractive one. Says which in one line; never logs the key.
 */
export function createComposer(config: Config, log: (line: string) => void = () => undefined): Composer {
  const settings = config.openAi;
  if (!settings.model) return extractiveComposer;
  if (!settings.baseURL && !settings.apiKey) {
    log('OPENAI_MODEL is set but neither OPENAI_BASE_URL nor OPENAI_API_KEY is: answering extractively.');
    return extractiveComposer;
  }
  const client = clientFromSettings(settings);
  log(`Answering with ${settings.model} at ${client.where} (verified citations; extractive when it fails).`);
  return createLlmComposer({
    client,
    maxOutputTokens: settings.maxOutputTokens,
    temperature: settings.temperature,
    promptTokens: settings.promptTokens,
    historyTokens: settings.historyTokens,
    historyTurns: settings.historyTurns,
    log,
  });
}

/** "llm (model)" or "extractive", for scripts that print the mode. */
export function describeComposer(composer: Composer): string {
  const model = (composer as { client?: { model?: string } }).client?.model;
  return model ? `${composer.mode} (${model})` : composer.mode;
}
