import { z } from '@hono/zod-openapi';

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];
export const BOOKING_CHANNELS = ['app', 'web', 'phone', 'store'] as const;
export const CUSTOMER_TYPES = ['business', 'leisure'] as const;
export const MESSAGE_KINDS = ['invitation', 'reminder_not_opened', 'reminder_unfinished'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export const MESSAGE_LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;
export type MessageLocale = (typeof MESSAGE_LOCALES)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour clock');

const messageTextSchema = z.object({
  subject: z.string().max(200).optional().openapi({ description: 'E-mail subject' }),
  body: z.string().max(5000).optional().openapi({ description: 'E-mail text; the HTML version is made from it' }),
  sms: z.string().max(300).optional().openapi({ description: 'SMS text; shortened to one SMS around the link' }),
});

/**
 * Overrides of the built-in message texts, per kind and language. Placeholders: {name}, {branch},
 * {pickedUpAt}, {returnedAt}, {vehicleClass}, {link}, {optOutLink}, {expiresAt}. A text without {link}
 * gets the link appended.
 */
export const messageTemplatesSchema = z.partialRecord(z.enum(MESSAGE_KINDS), z.partialRecord(z.enum(MESSAGE_LOCALES), messageTextSchema));
export type MessageTemplates = z.infer<typeof messageTemplatesSchema>;

/**
 * Which rentals a post-rental survey invites. Every list names alternatives; a rental matches when it
 * matches each list that is not empty; all lists empty = every rental.
 */
export const invitationTargetsSchema = z
  .object({
    branches: z.array(z.string().min(1).max(32)).max(500).default([]).openapi({ description: 'Pick-up branch codes' }),
    regions: z.array(z.string().min(1).max(100)).max(100).default([]).openapi({ description: 'Regions of the pick-up branch' }),
    customerTypes: z.array(z.enum(CUSTOMER_TYPES)).default([]),
    vehicleClasses: z.array(z.string().min(1).max(50)).max(100).default([]),
  })
  .openapi('InvitationTargets', {
    description:
      'Which rentals this survey invites (all lists empty = every rental). When the targets of several active post-rental ' +
      'surveys match a rental, the most specific survey gets it: one naming branches beats one naming regions (and no ' +
      'branches), which beats one naming vehicle classes, then customer types, then one for every rental; between ' +
      'equally specific surveys, the one created first keeps the rental. GET /surveys/{surveyId}/invitation-targets/preview ' +
      'shows what would change hands before a survey is published or reactivated.',
  });
export type InvitationTargets = z.infer<typeof invitationTargetsSchema>;

export const invitationRulesSchema = z
  .object({
    targets: invitationTargetsSchema.prefault({}),
    enabled: z.boolean().default(true).openapi({ description: 'false: rentals are not invited to this survey' }),
    eligibility: z
      .object({
        branches: z.array(z.string().min(1).max(32)).max(500).default([]).openapi({ description: 'Branch codes; empty = every branch' }),
        vehicleClasses: z.array(z.string().min(1).max(50)).max(100).default([]).openapi({ description: 'Empty = every class' }),
        bookingChannels: z.array(z.enum(BOOKING_CHANNELS)).default([]).openapi({ description: 'Empty = every channel' }),
        sampleRatePercent: z.number().min(0).max(100).default(100),
        maxDaysSinceReturn: z
          .number()
          .int()
          .min(0)
          .max(3650)
          .default(30)
          .openapi({ description: 'Rentals returned longer ago (e.g. a history import) are not invited; 0 = no limit' }),
      })
      .prefault({}),
    delayMinutes: z.number().int().min(0).max(20_160).default(120).openapi({ description: 'Wait after the return before sending' }),
    quietHours: z
      .object({
        enabled: z.boolean().default(true),
        start: clock.default('21:00'),
        end: clock.default('09:00'),
        channels: z.array(z.enum(CHANNELS)).default(['sms', 'email']),
      })
      .prefault({})
      .openapi({ description: "Nothing is sent between start and end in the branch's time zone; it waits for the end" }),
    channelOrder: z
      .array(z.enum(CHANNELS))
      .min(1)
      .max(2)
      .refine((a) => new Set(a).size === a.length, 'each channel once')
      .default(['email', 'sms'])
      .openapi({ description: 'The first channel the customer has an address and consent for is used' }),
    fatigueDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(30)
      .openapi({ description: 'No invitation to a customer invited (to any survey) within this many days' }),
    expiryDays: z.number().int().min(1).max(90).default(14).openapi({ description: 'The link works this many days after the planned send time' }),
    reminders: z
      .object({
        count: z.number().int().min(0).max(2).default(1),
        afterDays: z.number().int().min(1).max(30).default(3).openapi({ description: 'Days after the previous message' }),
        notOpened: z.boolean().default(true).openapi({ description: 'Remind those who have not opened the link' }),
        openedNotFinished: z.boolean().default(true).openapi({ description: 'Remind those who opened but did not finish' }),
      })
      .prefault({}),
    templates: messageTemplatesSchema.default({}),
  })
  .openapi('InvitationRules');

export type InvitationRules = z.infer<typeof invitationRulesSchema>;
export const DEFAULT_RULES: InvitationRules = invitationRulesSchema.parse({});

export const rulesResponseSchema = z
  .object({
    surveyId: z.uuid(),
    rules: invitationRulesSchema,
    isDefault: z.boolean().openapi({ description: 'true when nothing was stored for this survey yet' }),
    updatedAt: z.string().nullable(),
    defaultTexts: z.record(z.string(), z.record(z.string(), z.object({ subject: z.string(), body: z.string(), sms: z.string() }))),
  })
  .openapi('InvitationRulesResult');

export const surveyIdParamSchema = z.object({ surveyId: z.uuid().openapi({ param: { name: 'surveyId', in: 'path' } }) });

const surveyRefSchema = z.object({ surveyId: z.uuid(), name: z.string() });

export const targetsPreviewSchema = z
  .object({
    surveyId: z.uuid(),
    targets: invitationTargetsSchema,
    receivesRentals: z.boolean().openapi({ description: 'false: not a post-rental survey, so it never receives rental invitations' }),
    alreadyActive: z.boolean(),
    periodDays: z.number().int().openapi({ description: 'Rental counts are of the rentals returned in this many past days' }),
    moves: z
      .array(
        z.object({
          from: surveyRefSchema.nullable().openapi({ description: 'null: rentals no active survey invites today' }),
          targets: invitationTargetsSchema.nullable().openapi({ description: 'The targets both surveys share (null when from is null)' }),
          rentals: z.number().int(),
        }),
      )
      .openapi({ description: 'What this survey takes over when it is published or reactivated' }),
    stays: z
      .array(z.object({ with: surveyRefSchema, targets: invitationTargetsSchema, rentals: z.number().int() }))
      .openapi({ description: 'Targets this survey shares with a survey that outranks it: those rentals stay there' }),
  })
  .openapi('InvitationTargetsPreview');
export type TargetsPreview = z.infer<typeof targetsPreviewSchema>;
