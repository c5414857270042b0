// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ProjectProgress } from "./project-progress";

afterEach(cleanup);

describe("ProjectProgress", () => {
  it("says how many tasks are done and fills the bar to the same percentage", () => {
    render(
      <ProjectProgress progress={59.6} colour="#ff0000" done="3 of 5 tasks done" label="Project progress" />,
    );
    expect(screen.getByText("3 of 5 tasks done")).toBeTruthy();
    expect(screen.getByText("60%")).toBeTruthy();
    expect(screen.getByRole("progressbar", { name: "Project progress" }).getAttribute("aria-valuenow")).toBe(
      "60",
    );
  });
});
