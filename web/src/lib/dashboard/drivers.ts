// Driver analysis options as they appear in the URL.
export const DRIVER_METHODS = ['relative_weights', 'shapley', 'correlation', 'beta'] as const;
export type DriverMethod = (typeof DRIVER_METHODS)[number];
export const DRIVER_SETS = ['dimensions', 'items'] as const;
export type DriverSet = (typeof DRIVER_SETS)[number];

export const readMethod = (v: string | null): DriverMethod =>
  (DRIVER_METHODS as readonly string[]).includes(v ?? '') ? (v as DriverMethod) : 'relative_weights';
export const readDriverSet = (v: string | null): DriverSet => ((DRIVER_SETS as readonly string[]).includes(v ?? '') ? (v as DriverSet) : 'dimensions');

/** A dimension id, a question id or `question.item` (as the API takes them). */
const DRIVER_ID = /^[a-z][a-z0-9_]{0,63}(\.[a-z][a-z0-9_]{0,63})?$/;

/** The drivers picked on the page: `driver` parameters (one per checkbox, or comma-separated), valid ids only. */
export const readPickedDrivers = (params: URLSearchParams): string[] => [
  ...new Set(
    params
      .getAll('driver')
      .flatMap((v) => v.split(','))
      .filter((id) => DRIVER_ID.test(id)),
  ),
];
