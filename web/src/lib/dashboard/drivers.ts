// Driver analysis options as they appear in the URL.
export const DRIVER_METHODS = ['relative_weights', 'shapley', 'correlation', 'beta'] as const;
export type DriverMethod = (typeof DRIVER_METHODS)[number];
export const DRIVER_SETS = ['dimensions', 'items'] as const;
export type DriverSet = (typeof DRIVER_SETS)[number];

export const readMethod = (v: string | null): DriverMethod => ((DRIVER_METHODS as readonly string[]).includes(v ?? '') ? (v as DriverMethod) : 'relative_weights');
export const readDriverSet = (v: string | null): DriverSet => ((DRIVER_SETS as readonly string[]).includes(v ?? '') ? (v as DriverSet) : 'dimensions');
