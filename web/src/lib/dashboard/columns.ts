// Table and CSV columns the dashboard's cards share.
import { t, type UiLocale } from '$lib/i18n';
import type { Column } from './ChartCard.svelte';
import { fmtInterval } from './format';

type Interval = [number, number] | null | undefined;

/** A 95 % interval: one column in the table ("[low, high]"), its two ends as two columns in the CSV. */
export function intervalColumns<T>(locale: UiLocale, ci: (row: T) => Interval): Column<T>[] {
  return [
    {
      key: 'ci95',
      label: t(locale, 'metric.ci95'),
      numeric: true,
      tableOnly: true,
      value: (r) => {
        const c = ci(r);
        return c ? c.join(' ') : null;
      },
      display: (r) => fmtInterval(locale, ci(r)),
    },
    { key: 'ci95_low', label: t(locale, 'metric.ciLow'), csvOnly: true, value: (r) => ci(r)?.[0] ?? null },
    { key: 'ci95_high', label: t(locale, 'metric.ciHigh'), csvOnly: true, value: (r) => ci(r)?.[1] ?? null },
  ];
}
