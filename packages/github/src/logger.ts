// Octokit's log, sent on to the server's logger with every token removed, whatever the message holds.

export type GitHubLogger = {
  debug: (message: string, meta?: unknown) => void;
  info: (message: string, meta?: unknown) => void;
  warn: (message: string, meta?: unknown) => void;
  error: (message: string, meta?: unknown) => void;
};

export const silentLogger: GitHubLogger = { debug() {}, info() {}, warn() {}, error() {} };

// GitHub's token formats (classic and fine-grained PATs, OAuth, app installation, refresh), JWTs, and
// whatever follows an Authorization scheme or a secret-looking field.
const TOKEN_PATTERNS: RegExp[] = [
  /\bgh[opusr]_[A-Za-z0-9_]{16,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g,
  /\b(token|bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /("?(?:access_token|refresh_token|client_secret|token|private_key|password)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

/** The text with tokens replaced by `[redacted]`; `secrets` are removed wherever they appear. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: unknown) =>
      typeof prefix === "string" && match.startsWith(prefix) && /[:=]/.test(prefix)
        ? `${prefix}[redacted]`
        : /^(token|bearer|basic)\s/i.test(match)
          ? `${match.split(/\s/)[0]} [redacted]`
          : "[redacted]",
    );
  }
  return out;
}

function redactMeta(meta: unknown, secrets: readonly string[]): unknown {
  if (meta === undefined) return undefined;
  if (meta instanceof Error) return redact(`${meta.name}: ${meta.message}`, secrets);
  try {
    return JSON.parse(redact(JSON.stringify(meta), secrets));
  } catch {
    return redact(String(meta), secrets);
  }
}

/** A logger that passes everything through `redact` first; `secrets` also names tokens in use. */
export function createRedactingLogger(sink: GitHubLogger, secrets: () => readonly string[] = () => []) {
  const wrap =
    (level: keyof GitHubLogger) =>
    (message: unknown, meta?: unknown): void => {
      const known = secrets();
      sink[level](redact(String(message), known), redactMeta(meta, known));
    };
  return { debug: wrap("debug"), info: wrap("info"), warn: wrap("warn"), error: wrap("error") };
}
