// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { SpendChart } from "./spend-chart";
import { TopTasksTable } from "./top-tasks-table";
import { UsageGroupsTable } from "./usage-groups-table";
import { UsageTotals } from "./usage-totals";

afterEach(cleanup);

const figures = (calls: number, cost: number) => ({
  calls,
  inputTokens: calls * 100,
  outputTokens: calls * 50,
  totalTokens: calls * 150,
  totalCostUsd: cost,
});

describe("UsageGroupsTable", () => {
  it("lists the groups costliest first with their money written once, and the total", () => {
    render(
      <UsageGroupsTable
        label="Model"
        groups={[
          { id: "a", name: "claude-haiku", ...figures(3, 0.0042) },
          { id: "b", name: "claude-opus", ...figures(2, 12.5) },
          { id: "", name: "", ...figures(1, 0.5) },
        ]}
        summary={figures(6, 13.0042)}
      />,
    );
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      "claude-opus2300$12.50",
      "None1150$0.50",
      "claude-haiku3450$0.0042",
      "Total6900$13.00",
    ]);
  });
});

describe("SpendChart", () => {
  it("carries its figures in a table for screen readers, and says its total in its label", () => {
    render(
      <SpendChart
        title="Spend per day by model"
        series={[
          { key: "g:a", name: "claude-haiku", colour: "#000" },
          { key: "g:b", name: "claude-opus", colour: "#111" },
        ]}
        rows={[
          { date: "2026-03-01", label: "Mar 1", totalCostUsd: 3, "g:a": 1, "g:b": 2 },
          { date: "2026-03-02", label: "Mar 2", totalCostUsd: 0, "g:a": 0, "g:b": 0 },
        ]}
      />,
    );
    expect(screen.getByRole("img", { name: "Spend per day by model: $3.00 over 2 periods" })).toBeTruthy();
    const table = screen.getByRole("table", { name: "Spend per day by model" });
    const cells = within(table)
      .getAllByRole("row")
      .map((row) => row.textContent);
    expect(cells).toEqual([
      "Periodclaude-haikuclaude-opusTotal",
      "2026-03-01$1.00$2.00$3.00",
      "2026-03-02$0.00$0.00$0.00",
    ]);
  });
});

describe("SpendChart's budget lines", () => {
  it("names each limit drawn in the chart's label", () => {
    render(
      <SpendChart
        title="Spend per day by model"
        series={[]}
        rows={[{ date: "2026-03-01", label: "Mar 1", totalCostUsd: 0.5 }]}
        lines={[{ id: "l1", name: "Team daily", amountUsd: 2 }]}
      />,
    );
    expect(
      screen.getByRole("img", {
        name: "Spend per day by model: $0.50 over 1 periods; limit Team daily at $2.00",
      }),
    ).toBeTruthy();
  });
});

describe("TopTasksTable", () => {
  it("links each task to its page", () => {
    render(
      <MemoryRouter>
        <TopTasksTable
          tasks={[
            {
              taskId: "t1",
              title: "Checkout button",
              status: "completed",
              calls: 4,
              totalTokens: 900,
              totalCostUsd: 0.25,
            },
          ]}
        />
      </MemoryRouter>,
    );
    expect(screen.getByRole("link", { name: "Checkout button" }).getAttribute("href")).toBe("/tasks/t1");
    expect(screen.getByRole("row", { name: /Checkout button/ }).textContent).toContain("$0.25");
  });
});

describe("UsageTotals", () => {
  it("says the cost, then the calls and tokens, then any more figures", () => {
    const { container } = render(<UsageTotals summary={figures(1200, 3.5)} more="· 2 agents" />);
    expect(container.textContent).toBe("$3.50 · 1,200 calls · 180,000 tokens · 2 agents");
  });

  it("ends at the tokens when there is nothing more", () => {
    const { container } = render(<UsageTotals summary={figures(2, 0.5)} />);
    expect(container.textContent).toBe("$0.50 · 2 calls · 300 tokens");
  });
});
