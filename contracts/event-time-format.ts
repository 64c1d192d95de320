import { z } from 'zod';

/**
 * The strptime specifiers an event-time format may use, and the MySQL-style specifier Athena's
 * `date_parse` (Trino) spells each with. Python/C strptime and MySQL disagree on several letters
 * (`%M` is minutes in strptime, the month name in MySQL; `%S`/`%s`; `%I`/`%h`; `%B`/`%M`; `%A`/`%W`),
 * so a manifest is written in strptime and converted once. Time-zone specifiers (`%z`, `%Z`) are
 * absent: `date_parse` has none, and event times without a zone are read as UTC.
 */
export const STRPTIME_TO_MYSQL: Readonly<Record<string, string>> = {
  '%Y': '%Y',
  '%y': '%y',
  '%m': '%m',
  '%d': '%d',
  '%e': '%e',
  '%j': '%j',
  '%H': '%H',
  '%I': '%h',
  '%M': '%i',
  '%S': '%s',
  '%f': '%f',
  '%p': '%p',
  '%b': '%b',
  '%B': '%M',
  '%a': '%a',
  '%A': '%W',
  '%T': '%T',
  '%%': '%%',
};

/** The named event-time formats (anything else is a strptime pattern). */
export const NAMED_EVENT_TIME_FORMATS = ['iso8601', 'epoch_seconds', 'epoch_millis'] as const;

/** The specifiers of a strptime pattern that STRPTIME_TO_MYSQL does not know (a lone trailing `%` included). */
export function unsupportedSpecifiers(pattern: string): string[] {
  const found = pattern.match(/%.?/gs) ?? [];
  return [...new Set(found.filter((s) => STRPTIME_TO_MYSQL[s] === undefined))];
}

/**
 * How raw event times are written: `iso8601` (a date, or a date and time, optionally with an offset;
 * no offset means UTC), `epoch_seconds`, `epoch_millis` (numbers, or text holding one), or a strptime
 * pattern such as `%d/%m/%Y %H:%M` (UTC; specifiers listed in STRPTIME_TO_MYSQL).
 */
export const EventTimeFormatSchema = z.string().superRefine((f, ctx) => {
  if ((NAMED_EVENT_TIME_FORMATS as readonly string[]).includes(f)) return;
  if (!f.includes('%')) {
    ctx.addIssue({ code: 'custom', message: 'expected "iso8601", "epoch_seconds", "epoch_millis" or a strptime pattern such as "%Y-%m-%d %H:%M:%S"' });
    return;
  }
  const bad = unsupportedSpecifiers(f);
  if (bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `strptime pattern uses ${bad.map((s) => JSON.stringify(s)).join(', ')}, not supported (use ${Object.keys(STRPTIME_TO_MYSQL).join(' ')})`,
    });
  }
});

/** An event-time format as the manifest writes it. */
export type EventTimeFormat = z.infer<typeof EventTimeFormatSchema>;

/** Converts a (validated) strptime pattern to the MySQL-style format of Athena's `date_parse`. */
export function strptimeToMysql(pattern: string): string {
  return pattern.replace(/%.?/gs, (s) => {
    const mysql = STRPTIME_TO_MYSQL[s];
    if (mysql === undefined) throw new RangeError(`strptime specifier ${JSON.stringify(s)} is not supported in event-time format ${JSON.stringify(pattern)}`);
    return mysql;
  });
}
