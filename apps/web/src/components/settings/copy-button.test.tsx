// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { CopyButton } from "./copy-button";

afterEach(cleanup);

describe("CopyButton", () => {
  it("puts the text on the clipboard and says it was copied", async () => {
    render(<CopyButton text="cd_live_secret" label="Copy API key" />);
    const button = screen.getByRole("button", { name: "Copy API key" });
    expect(button.textContent).toBe("Copy");
    fireEvent.click(button);
    await waitFor(() => expect(button.textContent).toBe("Copied"));
    expect(await navigator.clipboard.readText()).toBe("cd_live_secret");
  });
});
