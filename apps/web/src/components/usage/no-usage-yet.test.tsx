// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { NoUsageYet } from "./no-usage-yet";

afterEach(cleanup);

describe("NoUsageYet", () => {
  it("says what will be counted and leads to a first chat or task", () => {
    render(
      <MemoryRouter>
        <NoUsageYet />
      </MemoryRouter>,
    );
    expect(screen.getByText("No usage in this range yet")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Start a chat" }).getAttribute("href")).toBe("/chats");
    expect(screen.getByRole("link", { name: "Create a task" }).getAttribute("href")).toBe("/tasks");
  });
});
