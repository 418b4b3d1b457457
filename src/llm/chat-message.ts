/** One message of an OpenAI-style chat request. */
export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };
