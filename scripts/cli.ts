import 'dotenv/config';
import { ConfigError, describeError } from '../src/errors.js';

/** Options shared by the scripts: `--name value` and `--flag`; the rest are positional. */
export function parseArguments(argv: string[], flags: string[], valued: string[]): { options: Record<string, string | boolean>; rest: string[] } {
  const options: Record<string, string | boolean> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    if (argument === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    const [name, inline] = argument.startsWith('--') ? argument.slice(2).split(/=(.*)/s) : [undefined];
    if (name !== undefined && flags.includes(name)) options[name] = true;
    else if (name !== undefined && valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new ConfigError(`--${name} needs a value.`);
      options[name] = value;
    } else if (name !== undefined && argument.startsWith('--')) throw new ConfigError(`Unknown option ${argument}.`);
    else rest.push(argument);
  }
  return { options, rest };
}

/** Logs go to stderr so stdout carries only the result (JSON with --json). */
export const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The CLI's one error edge: a sentence for the user, the stack only with DEBUG set. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    log(`Error: ${describeError(error)}`);
    if (process.env.DEBUG && error instanceof Error) log(error.stack ?? '');
    process.exitCode = 1;
  });
}
