// How chat things read: agent roles, message times, an agent reply's usage, and what to do about a refused post.
import { formatTokens, formatUsd } from "../../lib/format";

/** `product-manager` → "Product manager". */
export function humanRole(role: string): string {
  const words = role.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** The time alone for today's messages; the date too for older ones, and the year when it is not this one. */
export function formatMessageTime(iso: string, now = new Date(), locale?: string): string {
  const at = new Date(iso);
  const time: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };
  if (sameDay(at, now)) return at.toLocaleTimeString(locale, time);
  const year = at.getFullYear() === now.getFullYear() ? {} : { year: "numeric" as const };
  return at.toLocaleString(locale, { day: "numeric", month: "short", ...year, ...time });
}

/** "1,200 → 350 tokens · $0.0042 · claude-sonnet" for an agent's reply; null when it used nothing. */
export function describeUsage(message: {
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  model: string | null;
}): string | null {
  if (message.tokensIn === 0 && message.tokensOut === 0 && message.costUsd === 0) return null;
  const parts = [
    `${formatTokens(message.tokensIn)} → ${formatTokens(message.tokensOut)} tokens`,
    formatUsd(message.costUsd),
  ];
  if (message.model) parts.push(message.model);
  return parts.join(" · ");
}

/** Where a person can fix what stopped their message from going out, by the error's code. */
export function postErrorHint(code: string | null): { text: string; to: string; link: string } | null {
  if (code === "BUDGET_EXCEEDED")
    return { text: "A spending limit blocks new replies.", to: "/budgets", link: "Review budgets" };
  if (code === "MODEL_PROVIDER_ERROR") {
    return {
      text: "No model provider can answer right now.",
      to: "/admin",
      link: "Check the model providers",
    };
  }
  return null;
}
