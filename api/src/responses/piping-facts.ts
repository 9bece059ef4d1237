import { z } from '@hono/zod-openapi';
import type { Locale } from '@rs/survey-definition';

const factText = z.union([z.string(), z.record(z.string(), z.string())]);

/** The piping facts in a response body: placeholders in the survey texts are filled with these. */
export const pipingFactsSchema = z
  .object({
    customer: z.object({ name: factText }),
    branch: z.object({ name: factText }),
    rental: z.object({ vehicleClass: factText, pickedUpAt: z.string(), returnedAt: z.string() }),
  })
  .openapi('PipingFacts', { description: 'What the survey texts piped in for this customer: "{branch.name}" etc.' });

export type ResponseFacts = z.infer<typeof pipingFactsSchema>;

/** The rental, customer and branch behind one invitation or response, as stored. */
export interface FactSource {
  customerName: string | null;
  branchName: string | null;
  branchNameEn: string | null;
  vehicleClass: string | null;
  pickedUpAt: Date | string | null;
  returnedAt: Date | string | null;
}

const isoOrEmpty = (value: Date | string | null) => (value instanceof Date ? value.toISOString() : (value ?? ''));

/**
 * The piping facts of one response: what its survey texts showed the customer. With `locale`, the branch
 * name is the one shown in that language (the customer's page); without, both names, for whoever reads
 * it later in their own language (staff pages).
 */
export function pipingFacts(source: FactSource, locale?: Locale | string): ResponseFacts {
  const name = source.branchName ?? '';
  const nameEn = source.branchNameEn || name;
  return {
    customer: { name: source.customerName ?? '' },
    branch: { name: locale === undefined ? { 'zh-CN': name, 'zh-TW': name, en: nameEn } : locale === 'en' ? nameEn : name },
    rental: {
      vehicleClass: source.vehicleClass ?? '',
      pickedUpAt: isoOrEmpty(source.pickedUpAt),
      returnedAt: isoOrEmpty(source.returnedAt),
    },
  };
}
