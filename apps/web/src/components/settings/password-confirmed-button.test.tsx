// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PasswordConfirmedButton } from "./password-confirmed-button";

afterEach(cleanup);

function renderButton(onConfirm: (password: string) => Promise<unknown>) {
  render(
    <PasswordConfirmedButton
      label="Current password"
      hint="Needed to delete your account."
      title="Delete your account?"
      description="This cannot be undone."
      confirmLabel="Delete my account"
      onConfirm={onConfirm}
    >
      Delete account
    </PasswordConfirmedButton>,
  );
}

const password = () => screen.getByLabelText("Current password") as HTMLInputElement;
const action = () => screen.getByRole("button", { name: "Delete account" }) as HTMLButtonElement;
const confirm = () => fireEvent.click(screen.getByRole("button", { name: "Delete my account" }));

describe("PasswordConfirmedButton", () => {
  it("is offered only once a password is typed", () => {
    renderButton(async () => {});
    expect(action().disabled).toBe(true);
    fireEvent.change(password(), { target: { value: "hunter22" } });
    expect(action().disabled).toBe(false);
  });

  it("makes the change with the typed password once confirmed, then empties the field", async () => {
    const onConfirm = vi.fn(async (_password: string) => {});
    renderButton(onConfirm);
    fireEvent.change(password(), { target: { value: "hunter22" } });
    fireEvent.click(action());
    confirm();
    await waitFor(() => expect(password().value).toBe(""));
    expect(onConfirm).toHaveBeenCalledWith("hunter22");
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("keeps the password and the dialog when the change is refused", async () => {
    const onConfirm = vi.fn(async (_password: string) => {
      throw new Error("Invalid password");
    });
    renderButton(onConfirm);
    fireEvent.change(password(), { target: { value: "wrong" } });
    fireEvent.click(action());
    confirm();
    await waitFor(() => expect(onConfirm).toHaveBeenCalledWith("wrong"));
    await waitFor(() =>
      expect((screen.getByRole("button", { name: "Delete my account" }) as HTMLButtonElement).disabled).toBe(
        false,
      ),
    );
    expect(screen.getByRole("alertdialog")).toBeTruthy();
    expect(password().value).toBe("wrong");
  });
});
