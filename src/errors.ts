/**
 * Errors that carry a sentence a user can act on, plus the underlying cause.
 * Process edges (CLI main, bot.catch) print `message`; the cause goes to logs.
 */
export class ForumBotError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A seed file that cannot be indexed (wrong encoding, binary, empty, …). */
export class ArticleFileError extends ForumBotError {
  constructor(readonly file: string, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${reason}`, options);
  }
}

/** The on-disk index is missing, corrupt or does not match what the code expects. */
export class IndexError extends ForumBotError {}

/** A setting is missing or invalid. */
export class ConfigError extends ForumBotError {}

/** An embedding provider failed to load or answer. */
export class EmbedderError extends ForumBotError {}

/** The question cannot be answered as given (blank, too long). */
export class QuestionError extends ForumBotError {}

/** One line for a human: the message, and the cause's message when it adds something. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
  }
  return String(error);
}
