// Money crosses the API as a USD number and is stored as integer micro-dollars.
export const MICROS_PER_USD = 1_000_000;

export const usdToMicros = (usd: number): number => Math.round(usd * MICROS_PER_USD);

export const microsToUsd = (micros: number | null | undefined): number => (micros ?? 0) / MICROS_PER_USD;
