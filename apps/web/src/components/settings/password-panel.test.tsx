// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { TRPCClientError } from "@trpc/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PasswordForm } from "./password-panel";

afterEach(cleanup);

/** A refusal as the server's error formatter sends it: the contract's error under data.error. */
const refusal = (message: string, details: { field: string; message: string }[]) =>
  new TRPCClientError(message, {
    result: {
      error: {
        message,
        code: -32600,
        data: { code: "BAD_REQUEST", error: { code: "VALIDATION_ERROR", message, details } },
      },
    },
  });

function renderForm(change: (input: unknown) => Promise<{ success: true; revoked: number }>) {
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <PasswordForm change={change} />
    </QueryClientProvider>,
  );
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const fill = (current: string, next: string, again: string) => {
  fireEvent.change(field("Current password"), { target: { value: current } });
  fireEvent.change(field("New password"), { target: { value: next } });
  fireEvent.change(field("New password again"), { target: { value: again } });
};
const submit = () => fireEvent.click(screen.getByRole("button", { name: "Change password" }));
const alerts = () => screen.queryAllByRole("alert").map((alert) => alert.textContent);

describe("PasswordForm", () => {
  it("says in words what is wrong before sending anything", async () => {
    const change = vi.fn();
    renderForm(change);
    fill("", "short", "shorter");
    submit();
    await waitFor(() =>
      expect(alerts()).toEqual([
        "This is required.",
        "Passwords have at least 8 characters",
        "The two new passwords are not the same.",
      ]),
    );
    expect(field("New password").getAttribute("aria-invalid")).toBe("true");
    expect(change).not.toHaveBeenCalled();
  });

  it("shows the server's refusal once, under the field it is about", async () => {
    const change = vi
      .fn()
      .mockRejectedValue(
        refusal("The password is not right", [{ field: "currentPassword", message: "Wrong password" }]),
      );
    renderForm(change);
    fill("not-my-password", "a long fresh passphrase", "a long fresh passphrase");
    submit();
    await waitFor(() => expect(alerts()).toEqual(["Wrong password"]));
    expect(change).toHaveBeenCalledWith({
      currentPassword: "not-my-password",
      newPassword: "a long fresh passphrase",
    });
    expect(field("Current password").getAttribute("aria-invalid")).toBe("true");
    // What was typed stays, to be corrected.
    expect(field("New password").value).toBe("a long fresh passphrase");
  });

  it("puts a common password's refusal under the new password", async () => {
    const common = "This password is on lists of common or breached passwords; choose another";
    renderForm(vi.fn().mockRejectedValue(refusal(common, [{ field: "newPassword", message: common }])));
    fill("my old password", "password123", "password123");
    submit();
    await waitFor(() => expect(alerts()).toEqual([common]));
    expect(field("New password").getAttribute("aria-invalid")).toBe("true");
  });

  it("is disabled while the change is sent, then says other sessions were signed out and clears", async () => {
    let answer: (result: { success: true; revoked: number }) => void = () => {};
    renderForm(() => new Promise((resolve) => (answer = resolve)));
    fill("my old password", "a long fresh passphrase", "a long fresh passphrase");
    submit();
    const button = screen.getByRole("button", { name: "Change password" }) as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(true));
    expect(screen.getByRole("group").hasAttribute("disabled")).toBe(true);
    answer({ success: true, revoked: 2 });
    await screen.findByText(
      "Your password is changed. 2 other sessions were signed out; sign in there again with the new password.",
    );
    expect(button.disabled).toBe(false);
    expect(
      [field("Current password"), field("New password"), field("New password again")].map((f) => f.value),
    ).toEqual(["", "", ""]);
    expect(alerts()).toEqual([]);
  });
});
