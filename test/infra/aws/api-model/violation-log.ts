/** Every API-model violation seen since the last {@link takeViolations}, so a test fails even when an adapter swallows an error. */
const seen: string[] = [];

/** Violations a test file provokes on purpose; see {@link allowViolations}. */
const allowed: RegExp[] = [];

/** Records one violation's message (the request's service, operation and each member's path). */
export function recordViolation(message: string): void {
  seen.push(message);
}

/** Returns and forgets the violations recorded so far, less those allowed. */
export function takeViolations(): string[] {
  return seen.splice(0, seen.length).filter((message) => !allowed.some((re) => re.test(message)));
}

/**
 * Forgives, in the calling test file, the violations a test provokes on purpose (a contract case
 * checking that an emulator refuses a bad request): the request is still sent, and the test is not
 * failed for it. Kept free of imports, so the jest setup stays cheap for tests that send no request.
 */
export function allowViolations(...expected: readonly RegExp[]): void {
  allowed.push(...expected);
}
