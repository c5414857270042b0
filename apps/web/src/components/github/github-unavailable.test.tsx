// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { GitHubUnavailable } from "./github-unavailable";

afterEach(cleanup);

const show = (isAdmin: boolean) =>
  render(
    <MemoryRouter>
      <GitHubUnavailable isAdmin={isAdmin} />
    </MemoryRouter>,
  );

describe("GitHubUnavailable", () => {
  it("leads an administrator to the GitHub configuration", () => {
    show(true);
    expect(screen.getByText(/GitHub is not set up on this server yet/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Set up GitHub" }).getAttribute("href")).toBe("/admin#github");
  });

  it("tells anyone else whom to ask, with no button that could only fail", () => {
    show(false);
    expect(screen.getByText(/Ask your administrator to set it up\./)).toBeTruthy();
    expect(screen.queryByRole("link")).toBeNull();
    expect(screen.queryByRole("button")).toBeNull();
  });
});
