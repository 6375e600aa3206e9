// Shared by the benchmark scripts: bounded settings, loopback-only targets, percentiles.
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function bounded(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got ${raw}`);
  return value;
}

export function loopbackBase(): URL {
  const base = new URL(process.env.BASE_URL ?? "http://localhost:3000");
  if (!LOOPBACK.has(base.hostname)) throw new Error(`BASE_URL must be a loopback address, got ${base.hostname}`);
  return base;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const ms = (v: number) => v.toFixed(1);
  return `${label} ms: p50 ${ms(percentile(sorted, 50))}  p95 ${ms(percentile(sorted, 95))}  p99 ${ms(percentile(sorted, 99))}  max ${ms(sorted.at(-1) ?? Number.NaN)} (n=${sorted.length})`;
}
