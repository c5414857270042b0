// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { renderWithApi } from "../../test/render-with-api";
import { NoProjectYet } from "./no-project-yet";

afterEach(cleanup);

describe("NoProjectYet", () => {
  it("says why a project comes first and opens the new project form", async () => {
    renderWithApi(
      <NoProjectYet title="No tasks yet">
        Tasks are done by a project's crew: create a project first.
      </NoProjectYet>,
    );
    expect(screen.getByText("No tasks yet")).toBeTruthy();
    expect(screen.getByText("Tasks are done by a project's crew: create a project first.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "New project" }));
    const dialog = await screen.findByRole("dialog", { name: "New project" });
    expect(dialog.textContent).toContain("A project gets a crew of agents");
  });
});
