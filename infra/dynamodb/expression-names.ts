/**
 * The `ExpressionAttributeNames` of expressions written with `#attr` for every attribute (`#attr`
 * stands for `attr`). Naming every attribute this way keeps DynamoDB's ~570 reserved words (`size`,
 * `key`, `status`, `zone` …) out of the way without tracking which ones are reserved.
 */
export function expressionNames(...expressions: readonly string[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const expression of expressions) {
    for (const match of expression.matchAll(/#([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const attr = match[1];
      if (attr !== undefined) names[`#${attr}`] = attr;
    }
  }
  return names;
}
