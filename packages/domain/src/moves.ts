// The shape of a transition table and the pure checks over it, shared by the task, run and step tables.

/** For each status, the statuses it may move to. Staying put is not a move, so no row lists its own status. */
export type Moves<S extends string> = { readonly [From in S]: readonly S[] };

/** Whether `from → to` is allowed; writing the status a thing already has is always fine. */
export const canMove = <S extends string>(moves: Moves<S>, from: S, to: S): boolean =>
  from === to || moves[from].includes(to);

/** The statuses `from` may move to, in the table's order. */
export const movesFrom = <S extends string>(moves: Moves<S>, from: S): readonly S[] => moves[from];

/** The statuses that may move to `to`: what a guarded write (`… WHERE status IN (…)`) may find. */
export const movesInto = <S extends string>(moves: Moves<S>, to: S): S[] =>
  (Object.keys(moves) as S[]).filter((from) => from !== to && moves[from].includes(to));

/** The statuses nothing leaves. */
export const finalStatuses = <S extends string>(moves: Moves<S>): S[] =>
  (Object.keys(moves) as S[]).filter((from) => moves[from].length === 0);
