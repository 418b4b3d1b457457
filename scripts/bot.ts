import { loadConfig } from '../src/config.js';
import { loadBotConfig } from '../src/telegram/config.js';
import { log, runMain } from './cli.js';

// `npm start`: the Telegram bot. Long polling by default, a webhook when WEBHOOK_URL is set.
runMain(async () => {
  const settings = loadBotConfig(process.env);
  const config = loadConfig(process.env);
  // The bot and its dependencies load only once the settings are usable, so a missing token fails at once.
  const { runBot } = await import('../src/telegram/main.js');
  await runBot(settings, config, log);
});
