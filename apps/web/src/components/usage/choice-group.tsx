// A row of mutually exclusive choices (grouping, range, bucket size) as toggle buttons under one label.
import { cn } from "../ui/cn";

export function ChoiceGroup<T extends string | number>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: ReadonlyArray<readonly [T, string]>;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-xs font-medium text-muted">{label}</legend>
      <div className="flex flex-wrap gap-1 rounded-md bg-subtle p-1">
        {options.map(([option, text]) => (
          <button
            key={String(option)}
            type="button"
            aria-pressed={option === value}
            onClick={() => onChange(option)}
            className={cn(
              "rounded px-2.5 py-1 text-sm",
              option === value ? "bg-surface font-medium shadow-xs" : "text-muted hover:text-text",
            )}
          >
            {text}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
