/**
 * Whether a thrown value is a Node system error with `code` (e.g. `ENOENT`). Checked structurally,
 * not with `instanceof Error`, because errors from Node core may come from another realm (jest, vm).
 */
export function hasErrnoCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
