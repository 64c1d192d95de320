/**
 * The resource names a rule table is built for: the raw bucket, the name prefix our crawlers and
 * transform jobs carry, the Athena workgroup and the custom bus.
 *
 * Rules must match only our own service events (S3 for our raw bucket, crawls of our crawlers …), so
 * the patterns depend on these names. The embedded default uses `localTopologyNames`; the CDK app
 * passes the names of the resources it creates.
 */
export interface TopologyNames {
  /** The custom bus that carries domain events and the forwarded service events. */
  readonly busName: string;
  /** The raw-zone bucket whose `Object Created` events start a run. */
  readonly rawBucket: string;
  /** Prefix of every crawler and transform job we start (`<prefix>-<dataset>-<zone>`). */
  readonly resourcePrefix: string;
  /** The Athena workgroup the refine queries run in. */
  readonly athenaWorkgroup: string;
}

/** The names the embedded default uses: local buckets are `tributary-<zone>`. */
export const localTopologyNames: TopologyNames = {
  busName: 'tributary',
  rawBucket: 'tributary-raw',
  resourcePrefix: 'tributary',
  athenaWorkgroup: 'tributary',
};
