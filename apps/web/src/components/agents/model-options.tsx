// The catalog's models as <option>s, by provider, with their price so the choice is an informed one.
import { formatUsd } from "../../lib/format";
import type { RouterOutputs } from "../../lib/trpc";

type Model = RouterOutputs["models"]["list"]["items"][number];

export function ModelOptions({ models, current }: { models: readonly Model[]; current: string }) {
  const providers = [...new Set(models.map((model) => model.provider))];
  return (
    <>
      {/* An agent may use a model since removed from the catalog; keep it choosable so saving other changes does not silently switch it. */}
      {!models.some((model) => model.id === current) && (
        <option value={current}>{current} (not in the catalog)</option>
      )}
      {providers.map((provider) => (
        <optgroup key={provider} label={provider}>
          {models
            .filter((model) => model.provider === provider)
            .map((model) => (
              <option key={model.id} value={model.id}>
                {`${model.displayName} · ${formatUsd(model.inputCostPerMTok)} in / ${formatUsd(model.outputCostPerMTok)} out per M tokens`}
              </option>
            ))}
        </optgroup>
      ))}
    </>
  );
}
