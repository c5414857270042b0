// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Pager } from "./pager";

afterEach(cleanup);

describe("Pager", () => {
  it("is not shown for a single page", () => {
    const { container } = render(<Pager page={1} pages={1} onPage={() => {}} />);
    expect(container.innerHTML).toBe("");
  });

  it("moves one page at a time and stops at the ends", () => {
    const onPage = vi.fn();
    const { rerender } = render(<Pager page={1} pages={3} onPage={onPage} label="User pages" />);
    expect(screen.getByRole("navigation", { name: "User pages" }).textContent).toContain("Page 1 of 3");
    expect(screen.getByRole("button", { name: "Previous" }).hasAttribute("disabled")).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(onPage).toHaveBeenLastCalledWith(2);

    rerender(<Pager page={3} pages={3} onPage={onPage} label="User pages" />);
    expect(screen.getByRole("button", { name: "Next" }).hasAttribute("disabled")).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Previous" }));
    expect(onPage).toHaveBeenLastCalledWith(2);
  });
});
