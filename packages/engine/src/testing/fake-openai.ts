// A local stand-in for an OpenAI-compatible server: POST /v1/chat/completions, as JSON or streamed as
// `data: <chunk>` lines ending in `data: [DONE]`, with the usage chunk when `stream_options.include_usage`.
import {
  createStreamPacer,
  type Exchange,
  estimateTokens,
  type FakeProviderServer,
  type FakeScript,
  type FakeUsageReported,
  fakeId,
  jsonFragments,
  sendJson,
  startFakeServer,
  textChunks,
  toolUsesOf,
} from "./fake-server";

export type FakeOpenAiOptions = {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`, or get a 401. */
  apiKey?: string;
  defaultText?: string;
  defaultScript?: Omit<FakeScript, "match" | "gate">;
};

/** `url` ends in `/v1`, as OPENAI_BASE_URL does. */
export type FakeOpenAi = FakeProviderServer;

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request" },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided" },
  404: { type: "invalid_request_error", code: "model_not_found", message: "Not found" },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests" },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request" },
  503: { type: "server_error", code: null, message: "The engine is currently overloaded" },
};

function sendError(exchange: Pick<Exchange, "res" | "request">, error: NonNullable<FakeScript["error"]>) {
  const known = ERRORS[error.status] ?? { type: "server_error", code: null, message: "Error" };
  exchange.request.reply = { status: error.status, stream: false };
  sendJson(
    exchange,
    error.status,
    {
      error: {
        message: error.message ?? known.message,
        type: error.type ?? known.type,
        param: null,
        code: known.code,
      },
    },
    {
      "x-request-id": fakeId("req_fake"),
      ...(error.status === 429 && { "retry-after": "0" }),
      ...error.headers,
    },
  );
}

function planReply(exchange: Exchange, defaultText: string) {
  const { request, script } = exchange;
  const text = script.text === undefined && script.toolUses ? [] : textChunks(script, defaultText);
  const toolUses = toolUsesOf(script, "call_fake");
  const outputText = text.join("") + toolUses.map((t) => JSON.stringify(t.input)).join("");
  const { messages, tools } = request.body ?? {};
  const usage: FakeUsageReported = {
    input: script.usage?.input ?? estimateTokens(JSON.stringify({ messages, tools })),
    output: script.usage?.output ?? estimateTokens(outputText),
    cacheRead: script.usage?.cacheRead ?? 0,
    // OpenAI has no cache writes to report.
    cacheWrite: 0,
  };
  return {
    id: script.id ?? fakeId("chatcmpl-fake"),
    model: String(request.body?.model ?? "gpt-fake"),
    created: Math.floor(Date.now() / 1000),
    text,
    toolUses,
    usage,
    finishReason: script.stopReason ?? (toolUses.length > 0 ? "tool_calls" : "stop"),
  };
}

type Plan = ReturnType<typeof planReply>;

/** OpenAI counts cached prompt tokens inside prompt_tokens. */
const usageJson = (u: FakeUsageReported) => ({
  prompt_tokens: u.input + u.cacheRead,
  completion_tokens: u.output,
  total_tokens: u.input + u.cacheRead + u.output,
  prompt_tokens_details: { cached_tokens: u.cacheRead },
});

const toolCallsJson = (plan: Plan) =>
  plan.toolUses.map((t) => ({
    id: t.id,
    type: "function",
    function: { name: t.name, arguments: JSON.stringify(t.input) },
  }));

async function streamReply(exchange: Exchange, plan: Plan) {
  const pacer = createStreamPacer(exchange);
  await streamChunks(exchange, plan, pacer);
  if (pacer.cut() && exchange.request.reply) exchange.request.reply.cutAfterChunks = pacer.contentChunks;
}

async function streamChunks(exchange: Exchange, plan: Plan, pacer: ReturnType<typeof createStreamPacer>) {
  const { res, request } = exchange;
  const includeUsage = request.body?.stream_options?.include_usage === true;
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  const reply = {
    status: 200,
    stream: true,
    id: plan.id,
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  };
  request.reply = reply;
  const chunk = (delta: object, finishReason: string | null = null) => ({
    id: plan.id,
    object: "chat.completion.chunk",
    created: plan.created,
    model: plan.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage && { usage: null }),
  });
  const send = (data: object, isContent = false) =>
    pacer.send(`data: ${JSON.stringify(data)}\n\n`, isContent);

  if (!(await send(chunk({ role: "assistant", content: "" })))) return;
  for (const text of plan.text) {
    if (!(await send(chunk({ content: text }), true))) return;
  }
  for (const [index, tool] of plan.toolUses.entries()) {
    const opening = { index, id: tool.id, type: "function", function: { name: tool.name, arguments: "" } };
    if (!(await send(chunk({ tool_calls: [opening] })))) return;
    for (const fragment of jsonFragments(JSON.stringify(tool.input))) {
      if (!(await send(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }), true))) return;
    }
  }
  if (!(await send(chunk({}, plan.finishReason)))) return;
  if (includeUsage) {
    const usageChunk = { ...chunk({}), choices: [], usage: usageJson(plan.usage) };
    if (!(await send(usageChunk))) return;
    reply.usage = plan.usage;
  }
  Object.assign(reply, { text: plan.text.join(""), toolUses: plan.toolUses, stopReason: plan.finishReason });
  if (!(await pacer.send("data: [DONE]\n\n", false))) return;
  res.end();
}

export function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const defaultText = options.defaultText ?? "This is a reply from the fake OpenAI-compatible model.";
  return startFakeServer({
    basePath: "/v1",
    route: "/v1/chat/completions",
    defaultScript: options.defaultScript ?? {},
    authorized: (request) =>
      options.apiKey === undefined || request.headers.authorization === `Bearer ${options.apiKey}`,
    unauthorized: { status: 401 },
    missingMessages: "'messages' is a required property",
    sendError,
    plan: (exchange) => planReply(exchange, defaultText),
    stream: streamReply,
    stopReason: (plan) => plan.finishReason,
    json: (plan) => ({
      id: plan.id,
      object: "chat.completion",
      created: plan.created,
      model: plan.model,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: plan.text.length > 0 ? plan.text.join("") : null,
            refusal: null,
            ...(plan.toolUses.length > 0 && { tool_calls: toolCallsJson(plan) }),
          },
          logprobs: null,
          finish_reason: plan.finishReason,
        },
      ],
      usage: usageJson(plan.usage),
    }),
  });
}
