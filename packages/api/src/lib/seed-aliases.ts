// Seed clients write some body fields in snake_case (seed 001: `agent_ids`, `reply_to`, `issue_id`…). The
// contract's camelCase name stays the one documented first; the seed's name is taken when the contract's is
// absent, so a seed client's field is never dropped in silence. A seed's `null` means "none", as absence does.

/** The contract's value when it was sent, else the seed alias's (null read as not sent). */
export function aliased<T>(contract: T | undefined, alias: T | null | undefined): T | undefined {
  return contract !== undefined ? contract : (alias ?? undefined);
}
