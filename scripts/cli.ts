import 'dotenv/config';
import { parseArgs } from 'node:util';
import { ConfigError, describeError } from '../src/errors.js';

/**
 * Options shared by the scripts: `--name value`, `--name=value` and `--flag`; the rest are
 * positional. Node's own parser (util.parseArgs), with its errors said as the scripts say theirs.
 */
export function parseArguments(argv: string[], flags: string[], valued: string[]): { options: Record<string, string | boolean>; rest: string[] } {
  const spec = Object.fromEntries([...flags.map((name) => [name, { type: 'boolean' as const }]), ...valued.map((name) => [name, { type: 'string' as const }])]);
  // Chat ids are negative (--post -100123): a negative number after a valued option is its value.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    const next = argv[i + 1];
    if (argument.startsWith('--') && valued.includes(argument.slice(2)) && next !== undefined && /^-\d/.test(next)) args.push(`${argument}=${argv[++i]}`);
    else args.push(argument);
  }
  try {
    const { values, positionals } = parseArgs({ args, options: spec, allowPositionals: true, strict: true });
    return { options: values as Record<string, string | boolean>, rest: positionals };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const option = /'(-{1,2}[^' ]+)/.exec((error as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new ConfigError(`Unknown option ${option ?? ''}.`.replace(' .', '.'));
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new ConfigError(`${option ?? 'An option'} ${flags.some((flag) => option === `--${flag}`) ? 'takes no value' : 'needs a value'}.`);
    throw error;
  }
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
