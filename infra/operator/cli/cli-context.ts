import { resolveHome } from '../../local/lake-paths';

/** A stream progress is drawn on: redrawn in place when it is a terminal. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** What every command shares: the resolved home and where output goes. */
export interface CliContext {
  home(): string;
  out(line: string): void;
  err(line: string): void;
  /** Where progress is drawn (stderr); without it progress is printed line by line through `err`. */
  readonly progress?: ProgressStream;
}

/** The context of a program whose global `--home` option is read lazily (after parsing). */
export function cliContext(globalHome: () => string | undefined): CliContext {
  return {
    home: () => resolveHome(globalHome()),
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    progress: process.stderr,
  };
}
