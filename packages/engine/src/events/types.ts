// The live events of §4: what each carries, and who may see it.
import type { schema } from "@crewdeck/db";
import type { MessageDto } from "../conversations/message-dto";
import type { NotificationDto } from "../notifications/notification-dto";

type AgentStatus = (typeof schema.AGENT_STATUSES)[number];
type RunStatus = (typeof schema.RUN_STATUSES)[number];
type RunStepStatus = (typeof schema.RUN_STEP_STATUSES)[number];
type TaskStatus = (typeof schema.TASK_STATUSES)[number];

/** Payload of each event type, as clients receive it. */
export type EventPayloads = {
  message: MessageDto;
  message_delta: { messageId: string; conversationId: string; delta: string };
  /** A message removed from its conversation (a regenerated reply): every screen showing it drops it. */
  message_deleted: { messageId: string; conversationId: string };
  agent_typing: { conversationId: string; agentId: string | null; userId?: string; isTyping: boolean };
  agent_status: { agentId: string; status: AgentStatus; currentTask?: string | null; timestamp: string };
  agent_action: {
    agentId: string;
    runId?: string | null;
    type: "thought" | "tool_call" | "tool_result";
    content: string;
    tool?: string;
  };
  task_progress: {
    taskId: string;
    status: TaskStatus;
    progress: { completed: number; total: number; percentage: number };
    message: string;
  };
  pipeline_update: {
    taskId: string;
    runId: string;
    runStatus: RunStatus;
    steps: { agent: { id: string | null; name: string; role: string }; status: RunStepStatus }[];
    currentStep: number;
  };
  task_completed: {
    taskId: string;
    status: TaskStatus;
    usage: { totalTokens: number; totalCostUsd: number };
    result: { type: string; pullRequestUrl?: string | null; summary?: string | null };
  };
  budget_alert: {
    level: "warning" | "critical";
    scope: { type: string; id: string | null; name: string };
    limitId: string;
    currentUsd: number;
    limitUsd: number;
    percentage: number;
    message: string;
  };
  notification: NotificationDto;
  emergency_pause: {
    triggeredBy: "user" | "system";
    reason: string;
    timestamp: string;
    projectId?: string | null;
  };
  emergency_resume: {
    triggeredBy: "user" | "system";
    reason: string;
    timestamp: string;
    projectId?: string | null;
  };
  error: { code: string; message: string; details?: unknown };
  /** A synced GitHub issue or pull request of the project changed (a webhook): refetch it. */
  github_update: {
    projectId: string;
    kind: "issue" | "pull_request";
    id: string;
    number: number;
    action: string;
    removed?: boolean;
  };
};

export type EventType = keyof EventPayloads;

/**
 * Who may see an event. `userId` set: that user only. Otherwise `projectId` set: that project's members.
 * Neither: nobody but site admins (system-wide notices). `conversationId` / `taskId` are for filtering.
 */
export type EventScope = {
  userId?: string | null;
  projectId?: string | null;
  conversationId?: string | null;
  taskId?: string | null;
};

export type EventInput<T extends EventType = EventType> = {
  type: T;
  scope: EventScope;
  payload: EventPayloads[T];
};

/** An event as stored and delivered: its id is what a client resumes after (`lastEventId`). */
export type BusEvent<T extends EventType = EventType> = {
  /** Rising, never reused, and still valid after a restart. */
  id: string;
  type: T;
  scope: Required<EventScope>;
  payload: EventPayloads[T];
  createdAt: string;
};

/** A union of the concrete events, so `switch (event.type)` narrows the payload. */
export type AnyBusEvent = { [T in EventType]: BusEvent<T> }[EventType];
