// A project's colour: a few presets that read well in both themes, or any colour of one's own.
import { useId } from "react";

export const PROJECT_COLOURS = ["#2456c7", "#0f9d58", "#c2410c", "#7c3aed", "#db2777", "#0891b2"] as const;

const NAMES: Record<string, string> = {
  "#2456c7": "Blue",
  "#0f9d58": "Green",
  "#c2410c": "Orange",
  "#7c3aed": "Violet",
  "#db2777": "Pink",
  "#0891b2": "Teal",
};

const swatch =
  "block h-6 w-6 rounded-full ring-offset-2 ring-offset-surface peer-checked:ring-2 peer-checked:ring-text peer-focus-visible:ring-2 peer-focus-visible:ring-accent";

export function ColourPicker({ value, onChange }: { value: string; onChange: (colour: string) => void }) {
  const name = useId();
  const isPreset = (PROJECT_COLOURS as readonly string[]).includes(value.toLowerCase());
  return (
    <fieldset>
      <legend className="text-sm font-medium">Colour</legend>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        {PROJECT_COLOURS.map((colour) => (
          <label key={colour} className="cursor-pointer" title={NAMES[colour]}>
            <input
              type="radio"
              name={name}
              value={colour}
              checked={value.toLowerCase() === colour}
              onChange={() => onChange(colour)}
              aria-label={NAMES[colour]}
              className="peer sr-only"
            />
            <span aria-hidden className={swatch} style={{ background: colour }} />
          </label>
        ))}
        <label className="ml-1 flex cursor-pointer items-center gap-1.5 text-sm text-muted">
          <input
            type="color"
            value={value}
            onChange={(event) => onChange(event.target.value)}
            className={`h-7 w-7 cursor-pointer rounded border border-border bg-surface p-0.5 ${isPreset ? "" : "ring-2 ring-text"}`}
          />
          Custom<span className="sr-only"> colour</span>
        </label>
      </div>
    </fieldset>
  );
}
