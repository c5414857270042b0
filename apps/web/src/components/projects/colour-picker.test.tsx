// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ColourPicker } from "./colour-picker";

afterEach(cleanup);

describe("ColourPicker", () => {
  it("marks the current preset and reports a new choice", () => {
    const onChange = vi.fn();
    render(<ColourPicker value="#2456C7" onChange={onChange} />);
    expect(screen.getByRole("radio", { name: "Blue" })).toHaveProperty("checked", true);
    fireEvent.click(screen.getByRole("radio", { name: "Green" }));
    expect(onChange).toHaveBeenCalledWith("#0f9d58");
  });

  it("takes a colour of one's own", () => {
    const onChange = vi.fn();
    render(<ColourPicker value="#123456" onChange={onChange} />);
    expect(screen.getAllByRole("radio").some((radio) => (radio as HTMLInputElement).checked)).toBe(false);
    fireEvent.change(screen.getByLabelText("Custom colour"), { target: { value: "#abcdef" } });
    expect(onChange).toHaveBeenCalledWith("#abcdef");
  });
});
