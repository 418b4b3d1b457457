export type Log = (line: string) => void;

// Bot API URLs carry the token ("/bot123456:AA…/sendMessage"); anything shaped like one is hidden too.
const TOKEN_SHAPE = /\d{5,}:[A-Za-z0-9_-]{20,}/g;

/** Removes the bot token from a line before it reaches a log. */
export function redactToken(line: string, token: string | undefined): string {
  const hidden = token ? line.split(token).join('[bot token]') : line;
  return hidden.replace(TOKEN_SHAPE, '[bot token]');
}

/** A log that can never print the token, whatever grammY or a plugin put in an error. */
export function redactingLog(token: string | undefined, sink: Log): Log {
  return (line) => sink(redactToken(line, token));
}
