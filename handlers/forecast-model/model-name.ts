/**
 * The batch-transform model name of a dataset's forecast (`traffic-forecast`): one model per dataset,
 * serving the dataset's trained artifact, or seasonal-naive without one. SageMaker model names allow
 * letters, digits and hyphens only.
 */
export function forecastModelName(dataset: string): string {
  return `${dataset.replace(/_/g, '-')}-forecast`;
}
