// The segment views: which grouping, and which metric the chart shows.
export const SEGMENTS = ['tier', 'customerType', 'vehicleClass', 'channel', 'newReturning', 'region', 'brand'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const SEGMENT_METRICS = ['nps', 'csi', 'csat', 'pp100'] as const;
export type SegmentMetric = (typeof SEGMENT_METRICS)[number];

export const readSegment = (v: string | null): Segment => ((SEGMENTS as readonly string[]).includes(v ?? '') ? (v as Segment) : 'tier');
export const readSegmentMetric = (v: string | null): SegmentMetric => ((SEGMENT_METRICS as readonly string[]).includes(v ?? '') ? (v as SegmentMetric) : 'nps');
