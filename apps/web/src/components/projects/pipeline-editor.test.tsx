// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PipelineSteps } from "./pipeline-editor";

const agent = (id: string, name: string, position: number, isActive = true) => ({
  id,
  name,
  position,
  isActive,
  role: "architect" as const,
  status: "idle" as const,
});
const crew = [agent("pm", "Product Manager", 0), agent("arch", "Architect", 1), agent("dev", "Developer", 2)];

const stepNames = () =>
  within(screen.getByRole("list", { name: "Pipeline steps" }))
    .getAllByRole("listitem")
    .map((item) => item.querySelector("p")?.textContent);

afterEach(cleanup);

describe("PipelineSteps", () => {
  it("shows the default order when none is saved, and saves a reordered one", async () => {
    const onSave = vi.fn().mockResolvedValue(undefined);
    render(<PipelineSteps saved={[]} crew={crew} canEdit onSave={onSave} />);
    expect(stepNames()).toEqual(["Product Manager", "Architect", "Developer"]);
    expect(screen.getByRole("button", { name: "Save pipeline" })).toHaveProperty("disabled", true);

    fireEvent.click(screen.getByRole("button", { name: "Move Architect up" }));
    expect(stepNames()).toEqual(["Architect", "Product Manager", "Developer"]);
    expect(screen.getByText("Architect is now step 1 of 3.")).toBeTruthy();
    // At the top now: the keyboard moves to the button that still works.
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Move Architect down" }));

    fireEvent.click(screen.getByRole("button", { name: "Save pipeline" }));
    await waitFor(() => expect(onSave).toHaveBeenCalledWith(["arch", "pm", "dev"]));
  });

  it("undoes unsaved changes", () => {
    render(<PipelineSteps saved={["dev", "pm"]} crew={crew} canEdit onSave={vi.fn()} />);
    expect(stepNames()).toEqual(["Developer", "Product Manager"]);
    fireEvent.click(screen.getByRole("button", { name: "Move Developer down" }));
    fireEvent.click(screen.getByRole("button", { name: "Undo changes" }));
    expect(stepNames()).toEqual(["Developer", "Product Manager"]);
  });

  it("adds and removes agents", async () => {
    const onSave = vi.fn().mockResolvedValue(undefined);
    render(<PipelineSteps saved={["dev", "pm"]} crew={crew} canEdit onSave={onSave} />);
    fireEvent.click(screen.getByRole("button", { name: "Add Architect" }));
    fireEvent.click(screen.getByRole("button", { name: "Remove Developer from the pipeline" }));
    expect(stepNames()).toEqual(["Product Manager", "Architect"]);
    fireEvent.click(screen.getByRole("button", { name: "Save pipeline" }));
    await waitFor(() => expect(onSave).toHaveBeenCalledWith(["pm", "arch"]));
  });

  it("keeps the unsaved order when saving fails", async () => {
    const onSave = vi.fn().mockRejectedValue(new Error("nope"));
    render(<PipelineSteps saved={["pm", "arch"]} crew={crew} canEdit onSave={onSave} />);
    fireEvent.click(screen.getByRole("button", { name: "Move Architect up" }));
    fireEvent.click(screen.getByRole("button", { name: "Save pipeline" }));
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Save pipeline" })).toHaveProperty("disabled", false),
    );
    expect(stepNames()).toEqual(["Architect", "Product Manager"]);
  });

  it("is read-only for viewers", () => {
    render(<PipelineSteps saved={[]} crew={crew} canEdit={false} onSave={vi.fn()} />);
    expect(stepNames()).toEqual(["Product Manager", "Architect", "Developer"]);
    expect(screen.queryByRole("button")).toBeNull();
  });
});
