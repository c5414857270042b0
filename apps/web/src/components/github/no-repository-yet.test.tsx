// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { NoRepositoryYet } from "./no-repository-yet";

afterEach(cleanup);

const show = (canLink: boolean) =>
  render(
    <MemoryRouter>
      <NoRepositoryYet projectId="p1" title="No issues yet" canLink={canLink} />
    </MemoryRouter>,
  );

describe("NoRepositoryYet", () => {
  it("leads the owner to the project's settings to link a repository", () => {
    show(true);
    expect(screen.getByText("No issues yet")).toBeTruthy();
    expect(screen.getByText(/this project has none yet\. Link one, then sync\./)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Link a repository" }).getAttribute("href")).toBe(
      "/projects/p1/settings",
    );
  });

  it("tells anyone else who can link one, with no link they could not use", () => {
    show(false);
    expect(screen.getByText(/Ask the project's owner to link one\./)).toBeTruthy();
    expect(screen.queryByRole("link")).toBeNull();
  });
});
