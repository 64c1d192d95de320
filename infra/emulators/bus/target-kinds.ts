import { STAGE_ARN_PREFIX, busNameOf, isBusArn } from './bus-arns';

/** The kinds of target the local bus delivers to. */
export const TargetKind = { Stage: 'stage', Http: 'http', Bus: 'bus' } as const;

/**
 * What a target ARN designates: an in-process stage handler (`arn:tributary:stage:<id>`), an HTTP
 * endpoint on the loopback interface (`http://127.0.0.1:<port>/…`, like an API destination), or an
 * event bus (`arn:aws:events:…:event-bus/<name>`, for forwarding rules).
 */
export type TargetAddress =
  | { readonly kind: typeof TargetKind.Stage; readonly stageId: string }
  | { readonly kind: typeof TargetKind.Http; readonly url: URL }
  | { readonly kind: typeof TargetKind.Bus; readonly bus: string };

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Classifies a target ARN, or returns the reason it cannot be a local target. */
export function parseTargetArn(arn: string): TargetAddress | { readonly kind: 'invalid'; readonly reason: string } {
  if (arn.startsWith(STAGE_ARN_PREFIX)) {
    const stageId = arn.slice(STAGE_ARN_PREFIX.length);
    return stageId.length > 0 ? { kind: TargetKind.Stage, stageId } : { kind: 'invalid', reason: 'stage ARN names no stage' };
  }
  if (isBusArn(arn)) return { kind: TargetKind.Bus, bus: busNameOf(arn) };
  if (/^https?:\/\//i.test(arn)) {
    let url: URL;
    try {
      url = new URL(arn);
    } catch {
      return { kind: 'invalid', reason: `${arn} is not a valid URL` };
    }
    if (url.protocol !== 'http:') return { kind: 'invalid', reason: 'HTTP targets must use http:// on the loopback interface' };
    if (!isLoopbackHost(url.hostname)) return { kind: 'invalid', reason: `HTTP targets must be on the loopback interface (127.0.0.1, ::1 or localhost), not ${url.hostname}` };
    return { kind: TargetKind.Http, url };
  }
  return {
    kind: 'invalid',
    reason: `the local bus delivers only to stage handlers (${STAGE_ARN_PREFIX}<id>), loopback http:// URLs and event bus ARNs, not ${arn}`,
  };
}
