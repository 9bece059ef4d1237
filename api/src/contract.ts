// The API contract as types: every response (and every request body the web sends), inferred from the
// zod schemas the routes are declared with. The web imports these with `import type` only, so it reads
// exactly the fields the handlers return (their `c.json` is type-checked against the same schemas).
// Types only: nothing here exists at run time.
import type { z } from '@hono/zod-openapi';
import type * as audit from './access/audit.schemas.ts';
import type * as auth from './access/auth.schemas.ts';
import type * as privacy from './access/privacy.schemas.ts';
import type * as users from './access/users.schemas.ts';
import type * as webhooks from './access/webhooks.schemas.ts';
import type * as change from './analytics/change.schemas.ts';
import type * as comments from './analytics/comments.schemas.ts';
import type * as compare from './analytics/compare.schemas.ts';
import type * as drivers from './analytics/drivers.schemas.ts';
import type * as filterOptions from './analytics/filter-options.schemas.ts';
import type * as problems from './analytics/problems.schemas.ts';
import type * as loyalty from './analytics/loyalty.schemas.ts';
import type * as summary from './analytics/summary.schemas.ts';
import type * as trend from './analytics/trend.schemas.ts';
import type * as responseImport from './responses/import.schemas.ts';
import type * as branches from './branches/branches.schemas.ts';
import type * as regions from './regions/regions.schemas.ts';
import type * as cases from './cases/cases.schemas.ts';
import type * as delivery from './distribution/delivery.schemas.ts';
import type * as funnel from './distribution/funnel.schemas.ts';
import type * as rentalImport from './distribution/import.schemas.ts';
import type * as outbox from './distribution/outbox.schemas.ts';
import type * as optout from './distribution/optout.schemas.ts';
import type * as rules from './distribution/rules.schemas.ts';
import type * as status from './distribution/status.schemas.ts';
import type * as explorer from './responses/explorer.schemas.ts';
import type * as respond from './responses/respond.schemas.ts';
import type * as surveys from './surveys/surveys.schemas.ts';
import type * as text from './text/text.schemas.ts';
import type * as openapi from './lib/openapi.ts';

type Out<S extends z.ZodType> = z.output<S>;
/** A request body as the caller writes it (fields with a default may be left out). */
type In<S extends z.ZodType> = z.input<S>;

/** Every error answer (RFC 7807 problem+json); a route may add members, e.g. `reason`. */
export type Problem = Out<typeof openapi.problemSchema>;

// ── Access: sign-in, users, API keys, webhooks, audit, privacy ──────────────────────────────────
export type Me = Out<typeof auth.meSchema>;
export type SetupInfo = Out<typeof auth.setupInfoSchema>;
export type LoginBody = In<typeof auth.loginBodySchema>;
export type SetupBody = In<typeof auth.setupBodySchema>;
export type PasswordChangeBody = In<typeof auth.passwordChangeSchema>;
export type BranchRef = Out<typeof auth.branchRefSchema>;

export type User = Out<typeof users.userSchema>;
export type UserOptions = Out<typeof users.userOptionsSchema>;
export type UserCreated = Out<typeof users.userCreatedSchema>;
export type UserCreateBody = In<typeof users.userCreateSchema>;
export type UserUpdateBody = In<typeof users.userUpdateSchema>;
export type PasswordLink = Out<typeof users.passwordLinkSchema>;
export type ApiKey = Out<typeof users.apiKeySchema>;
export type ApiKeyCreated = Out<typeof users.apiKeyCreatedSchema>;
export type ApiKeyCreateBody = In<typeof users.apiKeyCreateSchema>;

export type Webhook = Out<typeof webhooks.webhookSchema>;
export type WebhookWithSecret = Out<typeof webhooks.webhookWithSecretSchema>;
export type WebhookCreateBody = In<typeof webhooks.webhookCreateSchema>;
export type WebhookUpdateBody = In<typeof webhooks.webhookUpdateSchema>;
export type WebhookDelivery = Out<typeof webhooks.deliverySchema>;

export type AuditEntry = Out<typeof audit.auditEntrySchema>;
export type AuditPage = Out<typeof audit.auditPageSchema>;

export type CustomerMatch = Out<typeof privacy.customerMatchSchema>;
export type CustomerSearchBody = In<typeof privacy.customerSearchSchema>;
export type CustomerExport = Out<typeof privacy.customerExportSchema>;
export type ErasureResult = Out<typeof privacy.erasureResultSchema>;
export type RetentionStatus = Out<typeof privacy.retentionStatusSchema>;
export type RetentionRun = Out<typeof privacy.retentionRunSchema>;

// ── Branches ────────────────────────────────────────────────────────────────────────────────────
export type Branch = Out<typeof branches.branchSchema>;
export type BranchCreateBody = In<typeof branches.branchCreateSchema>;
export type BranchUpdateBody = In<typeof branches.branchUpdateSchema>;
export type BranchImportResult = Out<typeof branches.branchImportResultSchema>;

// ── Regions ─────────────────────────────────────────────────────────────────────────────────────
export type Region = Out<typeof regions.regionSchema>;
export type RegionCreateBody = In<typeof regions.regionCreateSchema>;
export type RegionUpdateBody = In<typeof regions.regionUpdateSchema>;
export type RegionImportResult = Out<typeof regions.regionImportResultSchema>;
export type RegionRollup = Out<typeof regions.regionRollupSchema>;

// ── Cases and alert rules ───────────────────────────────────────────────────────────────────────
export type CaseList = Out<typeof cases.caseListSchema>;
export type CaseSummary = Out<typeof cases.caseSummarySchema>;
export type CaseDetail = Out<typeof cases.caseDetailSchema>;
export type CaseEvent = CaseDetail['events'][number];
export type CaseStatus = CaseSummary['status'];
export type CasePriority = CaseSummary['priority'];
export type RootCause = NonNullable<CaseSummary['rootCause']>;
export type CompensationType = NonNullable<CaseDetail['compensationType']>;
export type CaseOptions = Out<typeof cases.caseOptionsSchema>;
export type CaseMetrics = Out<typeof cases.metricsSchema>;
export type CaseMetricsRow = CaseMetrics['total'];
export type CaseUpdateBody = In<typeof cases.caseUpdateSchema>;
export type CaseTransitionBody = In<typeof cases.transitionSchema>;
export type CaseNoteBody = In<typeof cases.noteInputSchema>;
export type CaseContactBody = In<typeof cases.contactInputSchema>;
export type AlertRule = Out<typeof cases.ruleSchema>;
export type AlertRuleBody = In<typeof cases.ruleInputSchema>;
export type AlertTrigger = AlertRule['triggers'][number];
export type AlertFilter = AlertRule['filters'][number];
export type BusinessHours = NonNullable<AlertRule['businessHours']>;
export type AlertRulePreview = Out<typeof cases.rulePreviewSchema>;
export type CaseTeam = Out<typeof cases.teamSchema>;
export type CaseTeamBody = In<typeof cases.teamInputSchema>;
export type EscalationContact = Out<typeof cases.escalationSchema>;
export type EscalationContacts = Out<typeof cases.escalationContactsSchema>;
export type EscalationContactBody = In<typeof cases.escalationInputSchema>;

// ── Distribution: invitations, deliveries, outbox, rental imports ───────────────────────────────
export type DistributionStatus = Out<typeof status.statusSchema>;
export type ProviderHealth = DistributionStatus['providers']['email'];
export type DeliveryFunnel = Out<typeof funnel.funnelSchema>;
export type DeliveryFunnelCounts = DeliveryFunnel['total'];
export type Deliveries = Out<typeof delivery.deliveriesSchema>;
export type Delivery = Out<typeof delivery.deliverySchema>;
export type BounceResult = Out<typeof delivery.bounceResultSchema>;
export type OutboxPage = Out<typeof outbox.outboxSchema>;
export type OutboxMessage = Out<typeof outbox.outboxMessageSchema>;
export type OptOutResult = Out<typeof optout.optOutResultSchema>;
export type ImportJob = Out<typeof rentalImport.importJobSchema>;
export type ImportUpload = Out<typeof rentalImport.uploadResultSchema>;
export type ImportStartBody = In<typeof rentalImport.startImportSchema>;
export type ImportField = keyof ImportStartBody['mapping'];
export type ImportRejections = Out<typeof rentalImport.rejectionsSchema>;
export type ImportRejection = ImportRejections['items'][number];
export type InvitationRules = Out<typeof rules.invitationRulesSchema>;
export type InvitationChannel = InvitationRules['channelOrder'][number];
export type MessageKind = keyof InvitationRules['templates'];
export type MessageLocale = keyof NonNullable<InvitationRules['templates'][MessageKind]>;
export type InvitationRulesBody = In<typeof rules.invitationRulesSchema>;
export type InvitationTargets = Out<typeof rules.invitationTargetsSchema>;
export type InvitationRulesResult = Out<typeof rules.rulesResponseSchema>;
export type TargetsPreview = Out<typeof rules.targetsPreviewSchema>;

// ── Responses: answering a survey, the explorer, CSV import ─────────────────────────────────────
export type RespondSession = Out<typeof respond.respondSessionSchema>;
export type SaveAnswersBody = In<typeof respond.saveBodySchema>;
export type SaveResult = Out<typeof respond.savedResultSchema>;
export type SubmitAnswersBody = In<typeof respond.submitBodySchema>;
export type SubmitResult = Out<typeof respond.submitResultSchema>;
export type ResponseList = Out<typeof explorer.responseListSchema>;
export type ResponseListItem = Out<typeof explorer.responseListItemSchema>;
export type ResponseDetail = Out<typeof explorer.responseDetailSchema>;
export type AnswerView = Out<typeof explorer.answerViewSchema>;
export type ResponseImportResult = Out<typeof responseImport.importResultSchema>;

// ── Surveys and templates ───────────────────────────────────────────────────────────────────────
export type SurveySummary = Out<typeof surveys.surveySummarySchema>;
export type SurveyDetail = Out<typeof surveys.surveyDetailSchema>;
export type SurveyDraft = Out<typeof surveys.draftSchema>;
export type SurveyVersionSummary = Out<typeof surveys.versionSummarySchema>;
export type SurveyVersion = Out<typeof surveys.versionDetailSchema>;
export type PublishPreview = Out<typeof surveys.publishPreviewSchema>;
export type PublishResult = Out<typeof surveys.publishResultSchema>;
export type SurveyTemplateSummary = Out<typeof surveys.templateSummarySchema>;
export type SurveyTemplate = Out<typeof surveys.templateDetailSchema>;
export type CreateSurveyBody = In<typeof surveys.createSurveyBodySchema>;
export type UpdateDraftBody = In<typeof surveys.updateDraftBodySchema>;
export type DuplicateSurveyBody = In<typeof surveys.duplicateBodySchema>;
export type SurveyFromTemplateBody = In<typeof surveys.fromTemplateBodySchema>;

// ── Analytics ───────────────────────────────────────────────────────────────────────────────────
export type AnalyticsFilterOptions = Out<typeof filterOptions.filterOptionsResultSchema>;
export type AnalyticsSummary = Out<typeof summary.summaryResultSchema>;
export type SummaryGroup = Out<typeof summary.summaryGroupSchema>;
export type NpsBlock = Out<typeof summary.npsBlockSchema>;
export type CsatBlock = Out<typeof summary.csatBlockSchema>;
export type CsiBlock = Out<typeof summary.csiBlockSchema>;
export type Pp100Block = Out<typeof summary.pp100BlockSchema>;
export type Comparison = Out<typeof compare.compareResultSchema>;
export type CompareGroup = Out<typeof compare.compareGroupSchema>;
export type DriversResult = Out<typeof drivers.driversResultSchema>;
export type Driver = DriversResult['drivers'][number];
export type AnalyticsFunnel = Out<typeof import('./analytics/funnel.schemas.ts').funnelResultSchema>;
export type ProblemsResult = Out<typeof problems.problemsResultSchema>;
export type CommentsResult = Out<typeof comments.commentsResultSchema>;
export type LoyaltyResult = Out<typeof loyalty.loyaltyResultSchema>;
export type TrendResult = Out<typeof trend.trendResultSchema>;
export type ChangeResult = Out<typeof change.changeResultSchema>;

// ── Text analytics ──────────────────────────────────────────────────────────────────────────────
export type Lexicon = Out<typeof text.lexiconSchema>;
export type LexiconTopicBody = In<typeof text.lexiconTopicSchema>;
export type TopicsResult = Out<typeof text.topicsResultSchema>;

// ── Loyalty ladder, index and customer value ────────────────────────────────────────────────────
export type LoyaltyLadder = Out<typeof import('./loyalty/loyalty.schemas.ts').ladderResultSchema>;
export type LoyaltyCustomers = Out<typeof import('./loyalty/loyalty.schemas.ts').customersResultSchema>;
export type LoyaltyCustomer = LoyaltyCustomers['customers'][number];
export type LoyaltyIndexResult = Out<typeof import('./loyalty/loyalty.schemas.ts').indexResultSchema>;
export type LoyaltyIndexGroup = LoyaltyIndexResult['total'];
export type LoyaltyValue = Out<typeof import('./loyalty/loyalty.schemas.ts').valueResultSchema>;
export type LoyaltySettingsResult = Out<typeof import('./loyalty/loyalty.schemas.ts').loyaltySettingsResultSchema>;
export type LoyaltySettingsBody = In<typeof import('./loyalty/loyalty.schemas.ts').loyaltySettingsSchema>;

// ── Open feedback links (QR codes) and the in-email first question ──────────────────────────────
export type OpenLink = Out<typeof import('./open-links/open-links.schemas.ts').openLinkSchema>;
export type OpenLinkCreateBody = In<typeof import('./open-links/open-links.schemas.ts').openLinkCreateSchema>;
export type OpenLinkUpdateBody = In<typeof import('./open-links/open-links.schemas.ts').openLinkUpdateSchema>;
export type OpenSession = Out<typeof import('./open-links/open-links.schemas.ts').openSessionSchema>;
export type OpenSubmitBody = In<typeof import('./open-links/open-links.schemas.ts').openSubmitSchema>;
export type OpenSubmitResult = Out<typeof import('./open-links/open-links.schemas.ts').openSubmitResultSchema>;
export type EmailScoreResult = Out<typeof import('./open-links/open-links.schemas.ts').emailScoreResultSchema>;

// ── Reports in the inbox (digest subscriptions, PDF) ────────────────────────────────────────────
export type ReportSubscription = Out<typeof import('./reports/reports.schemas.ts').subscriptionSchema>;
export type ReportSubscriptionInput = In<typeof import('./reports/reports.schemas.ts').subscriptionInputSchema>;
export type ReportSubscriptionPage = Out<typeof import('./reports/reports.schemas.ts').subscriptionPageSchema>;
export type ReportTestSend = Out<typeof import('./reports/reports.schemas.ts').testSendResultSchema>;

// ── Rewards for feedback ────────────────────────────────────────────────────────────────────────
export type RewardProgramme = Out<typeof import('./rewards/rewards.schemas.ts').rewardProgrammeSchema>;
export type RewardProgrammeCreateBody = In<typeof import('./rewards/rewards.schemas.ts').rewardProgrammeCreateSchema>;
export type RewardProgrammeUpdateBody = In<typeof import('./rewards/rewards.schemas.ts').rewardProgrammeUpdateSchema>;
export type RewardCodesAdded = Out<typeof import('./rewards/rewards.schemas.ts').codesAddedSchema>;
export type RewardCodesGenerateBody = In<typeof import('./rewards/rewards.schemas.ts').generateCodesSchema>;
export type RewardRedemptionsResult = Out<typeof import('./rewards/rewards.schemas.ts').redemptionsResultSchema>;
export type RewardUptake = Out<typeof import('./rewards/rewards.schemas.ts').uptakeReportSchema>;
export type ThankYouReward = Out<typeof import('./rewards/rewards.schemas.ts').thankYouRewardSchema>;

// ── Complaints from every channel (cases opened by staff) ───────────────────────────────────────
export type ComplaintLookupBody = In<typeof import('./cases/complaints.schemas.ts').complaintLookupInputSchema>;
export type ComplaintLookup = Out<typeof import('./cases/complaints.schemas.ts').complaintLookupSchema>;
export type ComplaintBody = In<typeof import('./cases/complaints.schemas.ts').complaintInputSchema>;
export type CaseAttachment = Out<typeof import('./cases/complaints.schemas.ts').attachmentSchema>;
export type CasePrioritySettings = Out<typeof import('./cases/complaints.schemas.ts').prioritySettingsSchema>;
export type CasePrioritySettingsBody = In<typeof import('./cases/complaints.schemas.ts').prioritySettingsInputSchema>;
export type CaseChannel = CaseSummary['channel'];

// ── Brands (what customers see instead of the product) ──────────────────────────────────────────
export type Brand = Out<typeof import('./brands/brands.schemas.ts').brandSchema>;
export type BrandCreateBody = In<typeof import('./brands/brands.schemas.ts').brandCreateSchema>;
export type BrandUpdateBody = In<typeof import('./brands/brands.schemas.ts').brandUpdateSchema>;
export type PublicBrand = Out<typeof import('./brands/brands.schemas.ts').publicBrandSchema>;
export type LinkBrand = Out<typeof import('./brands/brands.schemas.ts').linkBrandSchema>;
export type BranchBrand = Out<typeof import('./brands/brands.schemas.ts').branchBrandSchema>;

// ── Action plans ────────────────────────────────────────────────────────────────────────────────
export type ActionPlan = Out<typeof import('./action-plans/action-plans.schemas.ts').planSchema>;
export type ActionPlanList = Out<typeof import('./action-plans/action-plans.schemas.ts').planListSchema>;
export type ActionPlanDetail = Out<typeof import('./action-plans/action-plans.schemas.ts').planDetailSchema>;
export type ActionPlanEffect = ActionPlanDetail['effect'];
export type ActionPlanBody = In<typeof import('./action-plans/action-plans.schemas.ts').planInputSchema>;
export type ActionPlanUpdateBody = In<typeof import('./action-plans/action-plans.schemas.ts').planUpdateSchema>;

// ── Targets (per metric, level and period) and the figures against them ─────────────────────────
export type Target = Out<typeof import('./targets/targets.schemas.ts').targetSchema>;
export type TargetInputBody = In<typeof import('./targets/targets.schemas.ts').targetInputSchema>;
export type TargetImportResult = Out<typeof import('./targets/targets.schemas.ts').targetImportResultSchema>;
export type TargetFigure = Out<typeof import('./targets/targets.schemas.ts').figureSchema>;
export type TargetStatusReport = Out<typeof import('./targets/targets.schemas.ts').statusResultSchema>;
export type TargetTrend = Out<typeof import('./targets/targets.schemas.ts').targetTrendSchema>;
