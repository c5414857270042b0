// Local fakes of the model providers, speaking their real wire protocols over HTTP on 127.0.0.1.
export * from "./fake-anthropic";
export * from "./fake-openai";
export type {
  FakeGate,
  FakeProviderServer,
  FakeReply,
  FakeRequest,
  FakeScript,
  FakeToolUse,
  FakeUsage,
  FakeUsageReported,
} from "./fake-server";
export * from "./model-calls";
export * from "./redis-server";
export * from "./tools";
