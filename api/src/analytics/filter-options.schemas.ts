import { z } from '@hono/zod-openapi';
import { SUPPORTED_LOCALES } from '@rs/survey-definition';
import { customers } from '../db/schema.ts';
import { RESPONSE_CHANNELS } from './engine/filters.schemas.ts';

// The fixed segment values are the database's own enums.
export const CUSTOMER_TIERS = customers.valueTier.enumValues;
export const CUSTOMER_TYPES = customers.customerType.enumValues;
// The rentals' booking channels, and open_link (answers through open links / QR codes).
export const BOOKING_CHANNELS = RESPONSE_CHANNELS;

export const filterOptionsQuerySchema = z.object({
  survey: z.uuid().openapi({ description: 'The survey whose minimum group size (minN) comes with the options' }),
  lang: z.enum(SUPPORTED_LOCALES).optional().openapi({ description: 'Language of the branch and region names; default zh-CN' }),
});

const option = z.object({ key: z.string().openapi({ description: 'The value to filter by (?branch=, ?region=)' }), label: z.string() });

export const filterOptionsResultSchema = z
  .object({
    survey: z.uuid(),
    minN: z.number().int().openapi({ description: "The survey's minimum group size: smaller groups have their scores suppressed" }),
    branches: z.array(option).openapi({ description: 'Branches the caller may see, by code' }),
    regions: z.array(option).openapi({ description: 'Regions of those branches, by code' }),
    brands: z.array(option).openapi({ description: 'Brands of those branches, by code (?brand=)' }),
    vehicleClasses: z.array(z.string()).openapi({ description: 'Vehicle classes of the rentals at those branches' }),
    tiers: z.array(z.enum(CUSTOMER_TIERS)),
    customerTypes: z.array(z.enum(CUSTOMER_TYPES)),
    channels: z.array(z.enum(BOOKING_CHANNELS)),
  })
  .openapi('AnalyticsFilterOptions');

export type FilterOptionsQuery = z.output<typeof filterOptionsQuerySchema>;
