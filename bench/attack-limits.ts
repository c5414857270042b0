// The sign-in, second-factor and registration limits as an attacker meets them, end to end against a real
// server with its default limits: `pnpm bench attack-limits`. Each line says what was tried, how many tries
// reached a password or code check, and whether the limit held. Many clients are real connections from
// many loopback addresses (127.0.0.0/8), so no proxy header is involved.
import {
  enableTwoFactor,
  registerUser,
  requestFrom,
  startTestServer,
  type TestServer,
  totpCode,
} from "../apps/server/src/test/harness";

/** The defaults of .env.example, spelled out so a change of default shows here. */
const LOGIN_MAX = 10;
const LOGIN_IP_MAX = 100;
const BACKOFF_FREE = 5;
const BACKOFF_MAX_SECONDS = 300;
const TWO_FACTOR_MAX = 10;
const REGISTER_MAX = 5;

type Outcome = { name: string; held: boolean; detail: string };
const outcomes: Outcome[] = [];
function report(name: string, held: boolean, detail: string) {
  outcomes.push({ name, held, detail });
  console.log(`${held ? "held " : "BROKE"}  ${name}: ${detail}`);
}

let nextAddress = 0;
/** A client address nobody used yet in this run. */
const freshIp = () => {
  nextAddress++;
  return `127.${20 + ((nextAddress >> 16) & 127)}.${(nextAddress >> 8) & 255}.${nextAddress & 255}`;
};

type Counts = { checked: number; limited: number; signedIn: number; other: number };
const tally = (statuses: number[]): Counts => ({
  checked: statuses.filter((s) => s === 401 || s === 400).length,
  limited: statuses.filter((s) => s === 429).length,
  signedIn: statuses.filter((s) => s === 200).length,
  other: statuses.filter((s) => ![200, 400, 401, 429].includes(s)).length,
});
const describe = (c: Counts) =>
  `${c.checked} reached the check, ${c.limited} refused with 429${c.signedIn ? `, ${c.signedIn} signed in` : ""}${c.other ? `, ${c.other} other` : ""}`;

async function betterAuthSignIn(server: TestServer, body: Record<string, string>, ip: string) {
  const route = body.username ? "username" : "email";
  const res = await requestFrom(ip, `${server.url}/api/auth/sign-in/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return res.status;
}

/** A random email beside the victim's username, from one address, over REST and better-auth's route. */
async function usernameEmailSwap(server: TestServer) {
  const victim = await registerUser(server, "swap_victim");
  const ip = freshIp();
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) {
    const body = { email: `decoy${i}@example.test`, username: victim.username, password: `guess-${i}` };
    statuses.push(
      i % 2 === 0
        ? (await server.api("POST", "/auth/login", { body, from: ip })).status
        : await betterAuthSignIn(server, { username: victim.username, password: `guess-${i}` }, ip),
    );
  }
  const counts = tally(statuses);
  report("username/email swap (40 guesses, one address)", counts.checked <= LOGIN_MAX, describe(counts));
}

/** One guess at each of 150 accounts from one address. */
async function passwordSpraying(server: TestServer) {
  const ip = freshIp();
  const statuses: number[] = [];
  for (let i = 0; i < 150; i++) {
    const body = { username: `spray_target_${i}`, password: "Winter2026!" };
    statuses.push((await server.api("POST", "/auth/login", { body, from: ip })).status);
  }
  const counts = tally(statuses);
  report("password spraying (150 accounts, one address)", counts.checked <= LOGIN_IP_MAX, describe(counts));
}

/** 200 guesses at one account, each from a new address, while its owner signs in from home and elsewhere. */
async function distributedBruteForce(server: TestServer) {
  const owner = await registerUser(server, "backoff_owner");
  const home = freshIp();
  await server.api("POST", "/auth/login", {
    body: { email: owner.email, password: owner.password },
    from: home,
  });
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      server
        .api("POST", "/auth/login", {
          body: { username: owner.username, password: `botnet-${i}` },
          from: freshIp(),
        })
        .then((r) => r.status),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const counts = tally(statuses);
  // The free failures, then one through the gate, and one more each time a doubling delay has passed.
  const bound = BACKOFF_FREE + 1 + Math.floor(Math.log2(seconds + 1));
  report(
    `per-account backoff (200 parallel guesses from 200 addresses, ${seconds.toFixed(1)} s)`,
    counts.checked <= bound,
    `${describe(counts)} (at most ${bound} expected)`,
  );

  const stranger = await server.api("POST", "/auth/login", {
    body: { email: owner.email, password: owner.password },
    from: freshIp(),
  });
  const wait = Number(stranger.headers.get("retry-after") ?? 0);
  report(
    "owner at a new address during the attack",
    stranger.status === 200 || (stranger.status === 429 && wait <= BACKOFF_MAX_SECONDS),
    stranger.status === 200 ? "signed in" : `asked to wait ${wait} s (cap ${BACKOFF_MAX_SECONDS} s)`,
  );
  const atHome = await server.api("POST", "/auth/login", {
    body: { email: owner.email, password: owner.password },
    from: home,
  });
  report("owner at home during the attack", atHome.status === 200, `answered ${atHome.status}`);
}

/** Challenges for a 2FA account whose password the attacker has. */
async function challenge(server: TestServer, user: { username: string; password: string }, ip: string) {
  const res = await server.api("POST", "/auth/login", {
    body: { username: user.username, password: user.password },
    from: ip,
  });
  return res.body.temp_token as string | undefined;
}

async function twoFactorReplay(server: TestServer) {
  const user = await registerUser(server, "replay_owner");
  const { secret } = await enableTwoFactor(server, user);
  const [ipA, ipB] = [freshIp(), freshIp()];
  const tokens = [await challenge(server, user, ipA), await challenge(server, user, ipB)];
  const code = await totpCode(secret);
  const answers = await Promise.all(
    tokens.map((token, i) =>
      server
        .api("POST", "/auth/2fa/verify", { body: { temp_token: token, code }, from: i ? ipB : ipA })
        .then((r) => r.status),
    ),
  );
  const wins = answers.filter((s) => s === 200).length;
  report("TOTP replay (one code, two sign-ins at once)", wins === 1, `statuses ${answers.join(", ")}`);
}

/** 60 code guesses against one account with a known password, each from a new address. */
async function twoFactorBruteForce(server: TestServer) {
  const user = await registerUser(server, "totp_victim");
  await enableTwoFactor(server, user);
  const statuses: number[] = [];
  for (let i = 0; i < 60; i++) {
    const ip = freshIp();
    const token = await challenge(server, user, ip);
    const code = String(100_000 + i * 7919).slice(0, 6);
    const res = await server.api("POST", "/auth/2fa/verify", {
      body: { temp_token: token, code },
      from: ip,
    });
    statuses.push(res.status);
  }
  const counts = tally(statuses);
  report(
    "2FA brute force (60 codes, 60 addresses)",
    counts.checked <= TWO_FACTOR_MAX && counts.signedIn === 0,
    describe(counts),
  );
}

async function registrationFlood(server: TestServer) {
  const ip = freshIp();
  const statuses: number[] = [];
  for (let i = 0; i < 20; i++) {
    const body = {
      email: `flood${i}@example.test`,
      username: `flood_${i}`,
      password: "correct horse battery",
    };
    statuses.push((await server.api("POST", "/auth/register", { body, from: ip })).status);
  }
  const created = statuses.filter((s) => s === 200).length;
  report(
    "registration flood (20 sign-ups, one address)",
    created <= REGISTER_MAX,
    `${created} created, ${statuses.filter((s) => s === 429).length} refused with 429, ${statuses.filter((s) => s === 403).length} refused by the sign-up mode`,
  );
}

async function refusedRoutes(server: TestServer) {
  const statuses: string[] = [];
  for (const route of ["list-sessions", "change-password", "two-factor/verify-totp", "sign-up/email"]) {
    const res = await fetch(`${server.url}/api/auth/${route}`, {
      method: route === "list-sessions" ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: route === "list-sessions" ? undefined : "{}",
    });
    await res.body?.cancel();
    statuses.push(`${route} ${res.status}`);
  }
  report(
    "better-auth routes with /api/v1 twins",
    statuses.every((s) => s.endsWith(" 404")),
    statuses.join(", "),
  );
}

export async function run() {
  const server = await startTestServer({
    // Registration is about to depend on the sign-up mode; open lets this script register its accounts.
    SIGNUP_MODE: "open",
    RATE_LIMIT_GENERAL_PER_MINUTE: "1000000",
  });
  // Set-up accounts come from addresses of their own, so the registration limit is measured only once.
  const api = server.api;
  server.api = (method, route, opts = {}) =>
    api(method, route, route === "/auth/register" && !opts.from ? { ...opts, from: freshIp() } : opts);
  try {
    await usernameEmailSwap(server);
    await passwordSpraying(server);
    await distributedBruteForce(server);
    await twoFactorReplay(server);
    await twoFactorBruteForce(server);
    await registrationFlood(server);
    await refusedRoutes(server);
  } finally {
    await server.stop();
  }
  const broke = outcomes.filter((o) => !o.held);
  console.log(`\n${outcomes.length - broke.length} held, ${broke.length} broke`);
  if (broke.length > 0) throw new Error(`Limits that broke: ${broke.map((o) => o.name).join("; ")}`);
}
