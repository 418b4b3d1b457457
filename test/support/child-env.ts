/**
 * The environment for a script the tests start as its own process: only what Node needs to run
 * (PATH, HOME), no .env file noise, and the settings of the test — nothing of the developer's own
 * environment (a real TELEGRAM_BOT_TOKEN or OPENAI_* must never reach a test process).
 */
export function childEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOTENV_CONFIG_QUIET: 'true', ...settings };
}
