/**
 * Reasoning models served through OpenAI-compatible APIs (DeepSeek-R1, Qwen3 on Ollama) may put
 * their reasoning in the content between <think> tags. It is not the answer: never shown, never verified.
 */
export function withoutThinking(text: string): string {
  return text.replace(/<think>[^]*?(?:<\/think>|$)/g, '').replace(/^\s+/, '');
}
