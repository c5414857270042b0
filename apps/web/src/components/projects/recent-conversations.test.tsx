// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { RouterOutputs } from "../../lib/trpc";
import { renderWithApi } from "../../test/render-with-api";
import { NoChatsYet } from "./recent-conversations";

afterEach(cleanup);

type ProjectItem = RouterOutputs["projects"]["list"]["items"][number];
const project: ProjectItem = {
  id: "p1",
  name: "Storefront",
  description: null,
  color: "#2456C7",
  type: "web-app",
  status: "planning",
  isActive: true,
  ownerId: "u1",
  role: "owner",
  pipeline: [],
  agentNetwork: false,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  repositories: [],
  stats: {
    openIssues: 0,
    activeConversations: 0,
    totalTasks: 0,
    completedTasks: 0,
    progress: 0,
    todayCostUsd: 0,
  },
  usage: { totalTokens: 0, totalCostUsd: 0 },
};

describe("NoChatsYet", () => {
  it("starts a project's first chat from the project, in that project", async () => {
    renderWithApi(<NoChatsYet projectId="p1" />, {
      seed: (trpc, queryClient) =>
        queryClient.setQueryData(trpc.projects.list.queryKey({ limit: 100 }), {
          items: [project],
          total: 1,
          page: 1,
          pages: 1,
        }),
    });
    expect(screen.getByText("No conversations yet. Start one and the crew answers.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "New chat" }));
    const dialog = await screen.findByRole("dialog", { name: "New chat" });
    const picker = within(dialog).getByLabelText("Project") as HTMLSelectElement;
    expect(picker.value).toBe("p1");
  });
});
