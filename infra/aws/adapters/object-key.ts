/** The S3 adapter applies the object-store port's one key rule (see handlers/ports/object-key.ts). */
export { objectKeyProblem } from '../../../handlers/ports/object-key';
