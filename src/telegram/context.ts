import type { Context, LazySessionFlavor } from 'grammy';
import type { SessionData } from './session.js';

/** The context every handler sees: grammY's, plus the per-chat history loaded on first use. */
export type BotContext = Context & LazySessionFlavor<SessionData>;
