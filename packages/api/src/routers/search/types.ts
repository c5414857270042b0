import { TASK_STATUSES } from "@crewdeck/domain";
import { z } from "zod";
import { zIsoDate } from "../../lib/schemas";

export const zSearchInput = z.object({
  q: z.string().trim().min(1, "Type something to search for").max(200, "Search for at most 200 characters"),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});

export const zSearchResults = z.object({
  tasks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      status: z.enum(TASK_STATUSES),
      projectId: z.string().nullable(),
    }),
  ),
  conversations: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      projectId: z.string().nullable(),
      taskId: z.string().nullable(),
    }),
  ),
  messages: z.array(
    z.object({
      id: z.string(),
      conversationId: z.string(),
      conversationTitle: z.string(),
      snippet: z.string().describe("The text around the first match"),
      createdAt: zIsoDate,
    }),
  ),
});
