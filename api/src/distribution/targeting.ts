// Which active post-rental survey a rental is invited to: pure functions over the surveys' targets
// (rules.schemas.ts, invitationTargetsSchema, states the priority).
import type { InvitationRules, InvitationTargets } from './rules.schemas.ts';

export interface TargetSurvey {
  surveyId: string;
  name: string;
  versionId: string;
  createdAt: Date;
  rules: InvitationRules;
}

/** What routing needs to know of a rental. */
export interface TargetRental {
  branchCode: string;
  region: string;
  customerType: string;
  vehicleClass: string;
}

const has = (list: string[], value: string) => list.some((v) => v.toLowerCase() === value.toLowerCase());

export function targetMatches(targets: InvitationTargets, rental: TargetRental): boolean {
  if (targets.branches.length > 0 && !has(targets.branches, rental.branchCode)) return false;
  if (targets.regions.length > 0 && !has(targets.regions, rental.region)) return false;
  if (targets.customerTypes.length > 0 && !has(targets.customerTypes, rental.customerType)) return false;
  if (targets.vehicleClasses.length > 0 && !has(targets.vehicleClasses, rental.vehicleClass)) return false;
  return true;
}

/** Specificity: branches outrank regions, which outrank vehicle classes, then customer types; 0 = every rental. */
export function targetRank(targets: InvitationTargets): number {
  return (
    (targets.branches.length > 0 ? 8 : 0) +
    (targets.regions.length > 0 ? 4 : 0) +
    (targets.vehicleClasses.length > 0 ? 2 : 0) +
    (targets.customerTypes.length > 0 ? 1 : 0)
  );
}

/** The surveys in priority order: most specific first, then the one created first, then by id. */
export function byPriority<S extends Pick<TargetSurvey, 'surveyId' | 'createdAt' | 'rules'>>(surveys: S[]): S[] {
  return [...surveys].sort(
    (a, b) =>
      targetRank(b.rules.targets) - targetRank(a.rules.targets) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.surveyId < b.surveyId ? -1 : a.surveyId > b.surveyId ? 1 : 0),
  );
}

/** The survey a rental goes to: the first in priority order whose targets match it. */
export function chooseSurvey<S extends Pick<TargetSurvey, 'surveyId' | 'createdAt' | 'rules'>>(surveys: S[], rental: TargetRental): S | null {
  return byPriority(surveys).find((s) => targetMatches(s.rules.targets, rental)) ?? null;
}

const intersect = (a: string[], b: string[]): string[] | null => {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const common = a.filter((v) => has(b, v));
  return common.length > 0 ? common : null;
};

/**
 * The rentals both targets match, as targets (null when none can match both). `regionOf` gives a branch's
 * region, so that branches outside the other's regions do not count as an overlap.
 */
export function targetOverlap(a: InvitationTargets, b: InvitationTargets, regionOf: (code: string) => string | undefined): InvitationTargets | null {
  const regions = intersect(a.regions, b.regions);
  let branches = intersect(a.branches, b.branches);
  const customerTypes = intersect(a.customerTypes, b.customerTypes);
  const vehicleClasses = intersect(a.vehicleClasses, b.vehicleClasses);
  if (!regions || !branches || !customerTypes || !vehicleClasses) return null;
  if (branches.length > 0 && regions.length > 0) {
    branches = branches.filter((code) => {
      const region = regionOf(code);
      return region !== undefined && has(regions, region);
    });
    if (branches.length === 0) return null;
  }
  return { branches, regions, customerTypes: customerTypes as InvitationTargets['customerTypes'], vehicleClasses };
}

type Routable = Pick<TargetSurvey, 'surveyId' | 'name' | 'createdAt' | 'rules'>;
export interface RentalProfile extends TargetRental {
  n: number;
}

/**
 * What changes hands when `candidate` becomes active beside `active` (the surveys active now, which may
 * include the candidate with older rules): the rentals of `profiles` routed before and after, and the
 * targets the candidate shares with each other survey, split into those it takes and those that stay.
 */
export function previewTakeover(active: Routable[], candidate: Routable, profiles: RentalProfile[], regionOf: (code: string) => string | undefined) {
  const others = active.filter((s) => s.surveyId !== candidate.surveyId);
  const after = byPriority([...others, candidate]);
  const moved = new Map<string | null, number>();
  for (const p of profiles) {
    const from = chooseSurvey(active, p);
    const to = chooseSurvey(after, p);
    if (to?.surveyId === candidate.surveyId && from?.surveyId !== candidate.surveyId)
      moved.set(from?.surveyId ?? null, (moved.get(from?.surveyId ?? null) ?? 0) + p.n);
  }
  const ref = (s: Routable) => ({ surveyId: s.surveyId, name: s.name });
  const moves: { from: { surveyId: string; name: string } | null; targets: InvitationTargets | null; rentals: number }[] = [];
  const stays: { with: { surveyId: string; name: string }; targets: InvitationTargets; rentals: number }[] = [];
  if (moved.has(null)) moves.push({ from: null, targets: null, rentals: moved.get(null)! });
  for (const other of byPriority(others)) {
    const shared = targetOverlap(candidate.rules.targets, other.rules.targets, regionOf);
    if (!shared) continue;
    const sharedRentals = profiles.filter((p) => targetMatches(shared, p)).reduce((sum, p) => sum + p.n, 0);
    const candidateFirst = after.indexOf(candidate) < after.indexOf(other);
    if (candidateFirst) moves.push({ from: ref(other), targets: shared, rentals: moved.get(other.surveyId) ?? 0 });
    else stays.push({ with: ref(other), targets: shared, rentals: sharedRentals });
  }
  return { moves, stays };
}
