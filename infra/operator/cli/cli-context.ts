import { resolveHome } from '../../local/lake-paths';

/** What every command shares: the resolved home and where output goes. */
export interface CliContext {
  home(): string;
  out(line: string): void;
  err(line: string): void;
}

/** The context of a program whose global `--home` option is read lazily (after parsing). */
export function cliContext(globalHome: () => string | undefined): CliContext {
  return {
    home: () => resolveHome(globalHome()),
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
  };
}
