/**
 * True for a key that names a file still being written or a hidden file, which the raw-zone watcher
 * never announces: keys with a segment starting with `.` (dotfiles, `.tmp` folders, editor swap files), names
 * ending in `.tmp`, `.part`, `.partial`, `.crdownload` or `~`, and Hadoop-style `_COPYING_` names.
 * Tools that write in place and rename at the end (browsers, curl -o with temp, hadoop fs -put) use these.
 */
export function isIgnoredKey(key: string): boolean {
  return key.split('/').some((segment) => segment.startsWith('.') || /(\.tmp|\.part|\.partial|\.crdownload|~)$/i.test(segment) || segment.includes('_COPYING_'));
}
