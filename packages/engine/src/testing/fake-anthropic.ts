// A local stand-in for the Anthropic Messages API: POST /v1/messages, as JSON or as SSE framed exactly as
// Anthropic frames it (`event: <type>` and `data: <json>` lines, a blank line after each), so the real SDK
// talks to it unchanged.
import {
  createStreamPacer,
  type Exchange,
  estimateTokens,
  type FakeProviderServer,
  type FakeRequest,
  type FakeScript,
  type FakeUsageReported,
  fakeId,
  jsonFragments,
  sendJson,
  startFakeServer,
  textChunks,
  toolUsesOf,
} from "./fake-server";

export type FakeAnthropicOptions = {
  /** When set, requests must carry it (`Authorization: Bearer` or `x-api-key`), or get a 401. */
  apiKey?: string;
  /** The text of a reply no script asked for, streamed word by word. */
  defaultText?: string;
  /** Applied to every reply no script asked for (a delay, usage numbers…). */
  defaultScript?: Omit<FakeScript, "match" | "gate">;
};

export type FakeAnthropic = FakeProviderServer;

const SAMPLING_PARAMETERS = ["temperature", "top_p", "top_k"];

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

const ERROR_MESSAGES: Record<string, string> = {
  rate_limit_error: "Number of request tokens has exceeded your per-minute rate limit",
  overloaded_error: "Overloaded",
  api_error: "Internal server error",
};

function sendError(exchange: Pick<Exchange, "res" | "request">, error: NonNullable<FakeScript["error"]>) {
  const type = error.type ?? ERROR_TYPES[error.status] ?? "api_error";
  const requestId = fakeId("req_fake");
  exchange.request.reply = { status: error.status, stream: false };
  sendJson(
    exchange,
    error.status,
    {
      type: "error",
      error: { type, message: error.message ?? ERROR_MESSAGES[type] ?? type },
      request_id: requestId,
    },
    { "request-id": requestId, ...(error.status === 429 && { "retry-after": "0" }), ...error.headers },
  );
}

function bearerOrKey(request: FakeRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7);
  return request.headers["x-api-key"];
}

/** The reply a script describes, with deterministic usage computed from the request and the output. */
function planReply(exchange: Exchange, defaultText: string) {
  const { request, script } = exchange;
  const text = script.text === undefined && script.toolUses ? [] : textChunks(script, defaultText);
  const toolUses = toolUsesOf(script, "toolu_fake");
  const outputText = text.join("") + toolUses.map((t) => JSON.stringify(t.input)).join("");
  const { system, messages, tools } = request.body ?? {};
  const usage: FakeUsageReported = {
    input: script.usage?.input ?? estimateTokens(JSON.stringify({ system, messages, tools })),
    output: script.usage?.output ?? estimateTokens(outputText),
    cacheRead: script.usage?.cacheRead ?? 0,
    cacheWrite: script.usage?.cacheWrite ?? 0,
  };
  return {
    id: script.id ?? fakeId("msg_fake"),
    model: String(request.body?.model ?? "claude-fake"),
    text,
    toolUses,
    usage,
    stopReason: script.stopReason ?? (toolUses.length > 0 ? "tool_use" : "end_turn"),
  };
}

type Plan = ReturnType<typeof planReply>;

const usageJson = (u: FakeUsageReported, output: number) => ({
  input_tokens: u.input,
  output_tokens: output,
  cache_creation_input_tokens: u.cacheWrite,
  cache_read_input_tokens: u.cacheRead,
});

function contentJson(plan: Plan) {
  return [
    ...(plan.text.length > 0 ? [{ type: "text", text: plan.text.join("") }] : []),
    ...plan.toolUses.map((t) => ({ type: "tool_use", id: t.id, name: t.name, input: t.input })),
  ];
}

const frame = (type: string, data: unknown) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...(data as object) })}\n\n`;

async function streamReply(exchange: Exchange, plan: Plan) {
  const pacer = createStreamPacer(exchange);
  await streamEvents(exchange, plan, pacer);
  if (pacer.cut() && exchange.request.reply) exchange.request.reply.cutAfterChunks = pacer.contentChunks;
}

async function streamEvents(exchange: Exchange, plan: Plan, pacer: ReturnType<typeof createStreamPacer>) {
  const { res, request } = exchange;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "request-id": fakeId("req_fake"),
  });
  // Like the real API: message_start reports the input side and one output token so far.
  const reply = { status: 200, stream: true, id: plan.id, usage: { ...plan.usage, output: 1 } };
  request.reply = reply;
  const send = (type: string, data: unknown, isContent = false) => pacer.send(frame(type, data), isContent);

  const message = {
    id: plan.id,
    type: "message",
    role: "assistant",
    model: plan.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: usageJson(plan.usage, 1),
  };
  if (!(await send("message_start", { message }))) return;

  let index = 0;
  if (plan.text.length > 0) {
    if (!(await send("content_block_start", { index, content_block: { type: "text", text: "" } }))) return;
    if (!(await send("ping", {}))) return;
    for (const chunk of plan.text) {
      if (!(await send("content_block_delta", { index, delta: { type: "text_delta", text: chunk } }, true)))
        return;
    }
    if (!(await send("content_block_stop", { index }))) return;
    index += 1;
  }
  for (const tool of plan.toolUses) {
    const block = { type: "tool_use", id: tool.id, name: tool.name, input: {} };
    if (!(await send("content_block_start", { index, content_block: block }))) return;
    if (index === 0 && !(await send("ping", {}))) return;
    for (const fragment of jsonFragments(JSON.stringify(tool.input))) {
      const delta = { type: "input_json_delta", partial_json: fragment };
      if (!(await send("content_block_delta", { index, delta }, true))) return;
    }
    if (!(await send("content_block_stop", { index }))) return;
    index += 1;
  }

  const delta = { stop_reason: plan.stopReason, stop_sequence: null };
  if (!(await send("message_delta", { delta, usage: usageJson(plan.usage, plan.usage.output) }))) return;
  Object.assign(reply, {
    usage: plan.usage,
    text: plan.text.join(""),
    toolUses: plan.toolUses,
    stopReason: plan.stopReason,
  });
  if (!(await send("message_stop", {}))) return;
  res.end();
}

export function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const defaultText = options.defaultText ?? "This is a reply from the fake Anthropic model.";
  return startFakeServer({
    basePath: "",
    route: "/v1/messages",
    defaultScript: options.defaultScript ?? {},
    authorized: (request) => options.apiKey === undefined || bearerOrKey(request) === options.apiKey,
    unauthorized: { status: 401, message: "invalid x-api-key" },
    missingMessages: "messages: Field required",
    // API version 2026-10-21 (the SDK's) removed the sampling parameters.
    refuse: (request) => {
      const sampling = SAMPLING_PARAMETERS.find((name) => name in request.body);
      if (sampling && (request.headers["anthropic-version"] ?? "") >= "2026-10-21") {
        return { status: 400, message: `${sampling}: Extra inputs are not permitted` };
      }
      return undefined;
    },
    sendError,
    plan: (exchange) => planReply(exchange, defaultText),
    stream: streamReply,
    stopReason: (plan) => plan.stopReason,
    json: (plan) => ({
      id: plan.id,
      type: "message",
      role: "assistant",
      model: plan.model,
      content: contentJson(plan),
      stop_reason: plan.stopReason,
      stop_sequence: null,
      usage: usageJson(plan.usage, plan.usage.output),
    }),
  });
}
