// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider, useMutation } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sameNames } from "../../lib/schema-form";
import { Button } from "./button";
import { FormDialog } from "./form-dialog";
import { FormTextField } from "./form-field";

afterEach(cleanup);

type Values = { name: string };
const fieldOf = sameNames<Values>("name");

function RenameDialog({ send }: { send: (values: Values) => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  const form = useForm<Values>({ defaultValues: { name: "" } });
  const rename = useMutation({ mutationFn: send, onError: () => {} });
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      title="Rename"
      trigger={<Button>Rename</Button>}
      form={form}
      initialValues={{ name: "Current name" }}
      fieldOf={fieldOf}
      onSubmit={(input) => rename.mutate(input)}
      request={rename}
      submitLabel="Save"
    >
      <FormTextField form={form} name="name" label="Name" />
    </FormDialog>
  );
}

const name = () => screen.getByLabelText("Name") as HTMLInputElement;

describe("FormDialog", () => {
  it("starts each opening from its initial values, with the last request's error forgotten", async () => {
    const send = vi.fn(async (_values: Values) => {
      throw new Error("The server refused it");
    });
    render(
      <QueryClientProvider client={new QueryClient()}>
        <RenameDialog send={send} />
      </QueryClientProvider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Rename" }));
    expect(name().value).toBe("Current name");

    fireEvent.change(name(), { target: { value: "Typed" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("The server refused it"));
    expect(send.mock.calls[0]?.[0]).toEqual({ name: "Typed" });

    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    fireEvent.click(screen.getByRole("button", { name: "Rename" }));
    expect(name().value).toBe("Current name");
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
