/**
 * One step's forecast: the dot product of coefficients and features, clamped to the feed's valid
 * speed range 0..250 km/h and rounded to 0.01 km/h, so every caller (training evaluation, batch
 * transform, SageMaker container) produces the same number for the same inputs.
 */
export function linearForecast(coefficients: readonly number[], features: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < coefficients.length; i += 1) sum += (coefficients[i] ?? 0) * (features[i] ?? 0);
  return Math.round(Math.min(250, Math.max(0, sum)) * 100) / 100;
}
