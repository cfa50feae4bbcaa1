/**
 * Blue-green labels on a component's runtime parameter. Consumers resolve the version labelled
 * `live` (the latest version while a component has never had a candidate); a candidate deploy
 * writes a new version labelled `candidate`; promote moves `live` onto it and keeps the version it
 * replaced as `previous`; rollback moves `live` back onto `previous`.
 */
export const LIVE = "live";
export const CANDIDATE = "candidate";
export const PREVIOUS = "previous";

export interface RuntimeLabels {
  /** Latest runtime version. */
  latest: number;
  live?: number;
  candidate?: number;
  previous?: number;
}

/** The version consumers resolve. */
export function liveVersion(labels: RuntimeLabels): number {
  return labels.live ?? labels.latest;
}

export type LabelMove = { version: number; label: string };

export type LabelChange = { moves: LabelMove[]; unlabel: LabelMove[] } | { refused: string };

/** Labels to set for a promote, or why there is nothing to promote. */
export function promoteMoves(labels: RuntimeLabels): LabelChange {
  if (labels.candidate === undefined) return { refused: "it has no candidate runtime" };
  const live = liveVersion(labels);
  if (labels.candidate === live) return { refused: `its candidate (v${live}) is already live` };
  return {
    moves: [
      { version: live, label: PREVIOUS },
      { version: labels.candidate, label: LIVE },
    ],
    unlabel: [],
  };
}

/**
 * Labels to set for a rollback: with an unpromoted candidate, the candidate is discarded (live
 * stays); after a promote, `live` goes back to `previous` and the rolled-back version becomes the
 * candidate again (so it can be promoted once fixed, or replaced by a new candidate deploy).
 */
export function rollbackMoves(labels: RuntimeLabels): LabelChange {
  const live = liveVersion(labels);
  if (labels.candidate !== undefined && labels.candidate !== live)
    return {
      moves: [{ version: live, label: LIVE }],
      unlabel: [{ version: labels.candidate, label: CANDIDATE }],
    };
  if (labels.previous === undefined) return { refused: "there is no previous live version to go back to" };
  return {
    moves: [
      { version: labels.previous, label: LIVE },
      { version: live, label: CANDIDATE },
    ],
    unlabel: [{ version: labels.previous, label: PREVIOUS }],
  };
}
