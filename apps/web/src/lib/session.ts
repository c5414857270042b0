// The signed-in session in the browser: a short-lived access token kept with its expiry, and the rotating
// refresh token that survives a reload. Refreshes are single-flight within a tab and serialised across
// tabs (Web Locks), because presenting a refresh token that another tab already rotated revokes the whole
// session family on the server.

export type TokenResponse = {
  access_token: string;
  refresh_token: string;
  expires_in: number;
};

type Stored = { accessToken: string; refreshToken: string; expiresAt: number };
type Listener = (signedIn: boolean) => void;

const STORAGE_KEY = "crewdeck.session";
/** Refresh this long before the access token expires, so a request never leaves with a dying token. */
const EARLY_MS = 30_000;

export class Session {
  #refreshing: Promise<string | null> | null = null;
  readonly #listeners = new Set<Listener>();

  constructor(
    private readonly serverUrl: string,
    private readonly storage: Storage = window.localStorage,
  ) {
    // Another tab signed in, refreshed or signed out.
    window.addEventListener("storage", (event) => {
      if (event.key === STORAGE_KEY) this.#emit();
    });
  }

  get signedIn(): boolean {
    return this.#read() !== null;
  }

  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stores a token response from register, login, 2FA verify or refresh. */
  accept(tokens: TokenResponse): void {
    this.#write({
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: Date.now() + tokens.expires_in * 1000,
    });
  }

  /** Forgets the session locally (the caller revokes it on the server first, when it can). */
  clear(): void {
    this.storage.removeItem(STORAGE_KEY);
    this.#emit();
  }

  get refreshToken(): string | null {
    return this.#read()?.refreshToken ?? null;
  }

  /** A usable access token, refreshed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    const stored = this.#read();
    if (!stored) return null;
    if (stored.expiresAt - EARLY_MS > Date.now()) return stored.accessToken;
    return this.refresh(stored.refreshToken);
  }

  /**
   * Trades the refresh token for new tokens. `seen` is the refresh token the caller's failed request was
   * made under: if another tab has rotated it since, its result is used instead of refreshing again.
   */
  refresh(seen?: string): Promise<string | null> {
    this.#refreshing ??= this.#withLock(async () => {
      const stored = this.#read();
      if (!stored) return null;
      if (seen && stored.refreshToken !== seen && stored.expiresAt - EARLY_MS > Date.now()) {
        return stored.accessToken;
      }
      const response = await fetch(`${this.serverUrl}/api/v1/auth/refresh`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refresh_token: stored.refreshToken }),
      }).catch(() => null);
      if (!response) return stored.accessToken; // offline: keep the session, the request will say why
      if (!response.ok) {
        this.clear();
        return null;
      }
      const tokens = (await response.json()) as TokenResponse;
      this.accept(tokens);
      return tokens.access_token;
    }).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  #withLock<T>(work: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    return locks ? (locks.request("crewdeck.session.refresh", work) as Promise<T>) : work();
  }

  #read(): Stored | null {
    try {
      const raw = this.storage.getItem(STORAGE_KEY);
      return raw ? (JSON.parse(raw) as Stored) : null;
    } catch {
      return null;
    }
  }

  #write(value: Stored): void {
    this.storage.setItem(STORAGE_KEY, JSON.stringify(value));
    this.#emit();
  }

  #emit(): void {
    const signedIn = this.signedIn;
    for (const listener of this.#listeners) listener(signedIn);
  }
}
