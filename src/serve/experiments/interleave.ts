/**
 * Interleaving: one list shown to a user, built from two rankers' lists, so that a click says
 * which ranker the user preferred on *this* query (no between-user variance, which is why an
 * interleaved comparison needs far fewer impressions than an A/B split; Chapelle, Joachims,
 * Radlinski & Yue 2012, "Large-scale validation and analysis of interleaved search evaluation").
 *
 * - **Team draft** (Radlinski, Kurup & Joachims 2008, "How does clickthrough data reflect
 *   retrieval quality?"): like picking teams, the team with fewer picks (a coin flip on a tie)
 *   adds its highest-ranked document not yet shown; each document remembers its team, and a
 *   click credits that team.
 * - **Balanced** (Joachims 2002, "Optimizing search engines using clickthrough data"): both
 *   lists are walked with one pointer each, the one behind (a coin flip decides who leads)
 *   contributing next; credit compares how deep in each list the clicks reach.
 */
import type { Random } from "../../eval/compare/random.js";

export type Team = "control" | "candidate";
export type InterleavingMethod = "team-draft" | "balanced";

export interface InterleavedHit {
  id: string;
  /** Team draft: whose pick it was. Balanced: the list that contributed it first. */
  team: Team;
}

export interface Interleaving {
  method: InterleavingMethod;
  hits: InterleavedHit[];
  /** Balanced only: which list led (won the coin flip). */
  first?: Team;
}

/** Team-draft interleaving of two ranked lists of ids, at most `k` long. */
export function teamDraft(
  control: readonly string[],
  candidate: readonly string[],
  k: number,
  random: Random,
): Interleaving {
  const hits: InterleavedHit[] = [];
  const shown = new Set<string>();
  const next = { control: 0, candidate: 0 };
  const lists = { control, candidate };
  let picks = { control: 0, candidate: 0 };
  const pick = (team: Team): boolean => {
    const list = lists[team];
    while (next[team] < list.length && shown.has(list[next[team]]!)) next[team] += 1;
    if (next[team] >= list.length) return false;
    const id = list[next[team]]!;
    shown.add(id);
    hits.push({ id, team });
    picks = { ...picks, [team]: picks[team] + 1 };
    return true;
  };
  while (hits.length < k) {
    const first: Team =
      picks.control < picks.candidate
        ? "control"
        : picks.candidate < picks.control
          ? "candidate"
          : random.next() < 0.5
            ? "control"
            : "candidate";
    const other: Team = first === "control" ? "candidate" : "control";
    // A list with nothing new left lets the other keep picking.
    if (!pick(first) && !pick(other)) break;
  }
  return { method: "team-draft", hits };
}

/** Balanced interleaving of two ranked lists of ids, at most `k` long. */
export function balanced(
  control: readonly string[],
  candidate: readonly string[],
  k: number,
  random: Random,
): Interleaving {
  const first: Team = random.next() < 0.5 ? "control" : "candidate";
  const lists = { control, candidate };
  const hits: InterleavedHit[] = [];
  const shown = new Set<string>();
  let kc = 0;
  let kd = 0;
  while (hits.length < k && (kc < control.length || kd < candidate.length)) {
    const takeControl =
      kd >= candidate.length ||
      (kc < control.length && (kc < kd || (kc === kd && first === "control")));
    const team: Team = takeControl ? "control" : "candidate";
    const id = takeControl ? lists.control[kc]! : lists.candidate[kd]!;
    if (takeControl) kc += 1;
    else kd += 1;
    if (shown.has(id)) continue;
    shown.add(id);
    hits.push({ id, team });
  }
  return { method: "balanced", hits, first };
}

/** Which ranker an impression's clicks prefer. */
export type Outcome = "win" | "loss" | "tie";

/**
 * The candidate's outcome for one impression: `win` when the clicks prefer the candidate.
 * Team draft counts clicks per team. Balanced follows Joachims: both lists are cut at k, the
 * first depth at which either holds the lowest clicked document, and the list with more
 * clicked documents in its top k wins.
 */
export function credit(
  interleaving: Interleaving,
  clicked: ReadonlySet<string>,
  lists: { control: readonly string[]; candidate: readonly string[] },
): Outcome {
  if (interleaving.method === "team-draft") {
    let control = 0;
    let candidate = 0;
    for (const hit of interleaving.hits) {
      if (!clicked.has(hit.id)) continue;
      if (hit.team === "control") control += 1;
      else candidate += 1;
    }
    return candidate > control ? "win" : candidate < control ? "loss" : "tie";
  }
  let deepest: string | undefined;
  for (const hit of interleaving.hits) if (clicked.has(hit.id)) deepest = hit.id;
  if (deepest === undefined) return "tie";
  // k: the first depth at which either list holds the lowest clicked document.
  const at = (list: readonly string[]) => {
    const index = list.indexOf(deepest);
    return index < 0 ? Infinity : index + 1;
  };
  const cut = Math.min(at(lists.control), at(lists.candidate));
  const clicksAbove = (list: readonly string[]) =>
    list.slice(0, cut).filter((id) => clicked.has(id)).length;
  const control = clicksAbove(lists.control);
  const candidate = clicksAbove(lists.candidate);
  return candidate > control ? "win" : candidate < control ? "loss" : "tie";
}
