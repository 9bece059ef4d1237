// An alert rule ⇄ the fields of the rule form (plain HTML form fields, so the form works without JavaScript).
import type { AlertFilter as Filter, AlertRule, AlertRuleBody, AlertTrigger as Trigger, CasePriority as Priority } from '@rs/api/contract';

/** What the form shows: the rule's conditions spread over fixed fields. */
export interface RuleFormValues {
  surveyId: string;
  name: string;
  enabled: boolean;
  npsOn: boolean;
  npsValue: number;
  csatOn: boolean;
  csatValue: number;
  problemOn: boolean;
  problemChoices: string[];
  keywords: string;
  /** A comment mentions one of these topics of the text lexicon (negative mentions only, when set). */
  topicOn: boolean;
  topicIds: string[];
  topicNegativeOnly: boolean;
  /** Conditions the form has no fields for (set through the API): kept as they are. */
  extraTriggers: Trigger[];
  tiers: string[];
  customerTypes: string[];
  branches: string[];
  regions: string[];
  channels: string[];
  vehicleClasses: string;
  memberLevels: string;
  minAmount: string;
  priority: Priority;
  assignTo: 'branch_manager' | 'team';
  teamId: string;
  firstResponseHours: number;
  resolutionHours: number;
  businessHoursOn: boolean;
  days: number[];
  start: string;
  end: string;
  followUpSurvey: boolean;
}

export function defaultFormValues(surveyId = ''): RuleFormValues {
  return {
    surveyId,
    name: '',
    enabled: true,
    npsOn: true,
    npsValue: 6,
    csatOn: false,
    csatValue: 2,
    problemOn: false,
    problemChoices: [],
    keywords: '',
    topicOn: false,
    topicIds: [],
    topicNegativeOnly: true,
    extraTriggers: [],
    tiers: [],
    customerTypes: [],
    branches: [],
    regions: [],
    channels: [],
    vehicleClasses: '',
    memberLevels: '',
    minAmount: '',
    priority: 'normal',
    assignTo: 'branch_manager',
    teamId: '',
    firstResponseHours: 24,
    resolutionHours: 72,
    businessHoursOn: false,
    days: [1, 2, 3, 4, 5],
    start: '09:00',
    end: '18:00',
    followUpSurvey: true,
  };
}

export function formValuesOf(rule: AlertRule): RuleFormValues {
  const v = defaultFormValues(rule.surveyId);
  Object.assign(v, {
    name: rule.name,
    enabled: rule.enabled,
    npsOn: false,
    priority: rule.priority,
    assignTo: rule.assignTo,
    teamId: rule.teamId ?? '',
    firstResponseHours: rule.firstResponseHours,
    resolutionHours: rule.resolutionHours,
    followUpSurvey: rule.followUpSurvey,
  });
  for (const tr of rule.triggers) {
    if (tr.type === 'nps_at_most') Object.assign(v, { npsOn: true, npsValue: tr.value });
    else if (tr.type === 'csat_at_most') Object.assign(v, { csatOn: true, csatValue: tr.value });
    else if (tr.type === 'any_problem') Object.assign(v, { problemOn: true, problemChoices: tr.choiceIds ?? [] });
    else if (tr.type === 'comment_contains') v.keywords = tr.keywords.join(', ');
    else if (tr.type === 'topic' && !v.topicOn) Object.assign(v, { topicOn: true, topicIds: [...tr.topicIds], topicNegativeOnly: tr.negativeOnly === true });
    else v.extraTriggers.push(tr);
  }
  for (const f of rule.filters) {
    if (f.type === 'customer_tier') v.tiers = [...f.values];
    else if (f.type === 'customer_type') v.customerTypes = [...f.values];
    else if (f.type === 'branch') v.branches = [...f.values];
    else if (f.type === 'region') v.regions = [...f.values];
    else if (f.type === 'booking_channel') v.channels = [...f.values];
    else if (f.type === 'vehicle_class') v.vehicleClasses = f.values.join(', ');
    else if (f.type === 'member_level') v.memberLevels = f.values.join(', ');
    else if (f.type === 'rental_amount_at_least') v.minAmount = String(f.value);
  }
  if (rule.businessHours)
    Object.assign(v, { businessHoursOn: true, days: rule.businessHours.days, start: rule.businessHours.start, end: rule.businessHours.end });
  return v;
}

const list = (s: string) =>
  s
    .split(/[,，、;；\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};
const all = (form: FormData, name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string' && v !== '');
const num = (form: FormData, name: string, fallback: number) => {
  const n = Number(str(form, name));
  return str(form, name) !== '' && Number.isFinite(n) ? n : fallback;
};

export function formValuesFrom(form: FormData): RuleFormValues {
  let extraTriggers: Trigger[] = [];
  try {
    extraTriggers = JSON.parse(str(form, 'extraTriggers') || '[]');
  } catch {
    extraTriggers = [];
  }
  return {
    surveyId: str(form, 'surveyId'),
    name: str(form, 'name'),
    enabled: form.get('enabled') === 'on',
    npsOn: form.get('npsOn') === 'on',
    npsValue: num(form, 'npsValue', 6),
    csatOn: form.get('csatOn') === 'on',
    csatValue: num(form, 'csatValue', 2),
    problemOn: form.get('problemOn') === 'on',
    problemChoices: all(form, 'problemChoices'),
    keywords: str(form, 'keywords'),
    topicOn: form.get('topicOn') === 'on',
    topicIds: all(form, 'topicIds'),
    topicNegativeOnly: form.get('topicNegativeOnly') === 'on',
    extraTriggers,
    tiers: all(form, 'tiers'),
    customerTypes: all(form, 'customerTypes'),
    branches: all(form, 'branches'),
    regions: all(form, 'regions'),
    channels: all(form, 'channels'),
    vehicleClasses: str(form, 'vehicleClasses'),
    memberLevels: str(form, 'memberLevels'),
    minAmount: str(form, 'minAmount'),
    priority: (str(form, 'priority') || 'normal') as Priority,
    assignTo: str(form, 'assignTo') === 'team' ? 'team' : 'branch_manager',
    teamId: str(form, 'teamId'),
    firstResponseHours: num(form, 'firstResponseHours', 24),
    resolutionHours: num(form, 'resolutionHours', 72),
    businessHoursOn: form.get('businessHoursOn') === 'on',
    // Hidden while business hours are off: keep the defaults for when they are switched on.
    days: all(form, 'days').length || form.get('businessHoursOn') === 'on' ? all(form, 'days').map(Number) : defaultFormValues().days,
    start: str(form, 'start') || '09:00',
    end: str(form, 'end') || '18:00',
    followUpSurvey: form.get('followUpSurvey') === 'on',
  };
}

/** The API body for these form values. */
export function ruleInputOf(v: RuleFormValues): AlertRuleBody {
  const triggers: Trigger[] = [];
  if (v.npsOn) triggers.push({ type: 'nps_at_most', value: v.npsValue });
  if (v.csatOn) triggers.push({ type: 'csat_at_most', value: v.csatValue });
  if (v.problemOn) triggers.push(v.problemChoices.length ? { type: 'any_problem', choiceIds: v.problemChoices } : { type: 'any_problem' });
  if (list(v.keywords).length) triggers.push({ type: 'comment_contains', keywords: list(v.keywords) });
  if (v.topicOn && v.topicIds.length)
    triggers.push(v.topicNegativeOnly ? { type: 'topic', topicIds: v.topicIds, negativeOnly: true } : { type: 'topic', topicIds: v.topicIds });
  triggers.push(...v.extraTriggers);
  const filters: Filter[] = [];
  if (v.tiers.length) filters.push({ type: 'customer_tier', values: v.tiers as ('A' | 'B' | 'C')[] });
  if (v.customerTypes.length) filters.push({ type: 'customer_type', values: v.customerTypes as ('business' | 'leisure')[] });
  if (v.branches.length) filters.push({ type: 'branch', values: v.branches });
  if (v.regions.length) filters.push({ type: 'region', values: v.regions });
  if (v.channels.length) filters.push({ type: 'booking_channel', values: v.channels as ('app' | 'web' | 'phone' | 'store')[] });
  if (list(v.vehicleClasses).length) filters.push({ type: 'vehicle_class', values: list(v.vehicleClasses) });
  if (list(v.memberLevels).length) filters.push({ type: 'member_level', values: list(v.memberLevels) });
  if (v.minAmount !== '' && Number.isFinite(Number(v.minAmount))) filters.push({ type: 'rental_amount_at_least', value: Number(v.minAmount) });
  return {
    surveyId: v.surveyId,
    name: v.name,
    enabled: v.enabled,
    triggers,
    filters,
    priority: v.priority,
    assignTo: v.assignTo,
    teamId: v.assignTo === 'team' && v.teamId ? v.teamId : null,
    firstResponseHours: v.firstResponseHours,
    resolutionHours: v.resolutionHours,
    businessHours: v.businessHoursOn ? { days: v.days, start: v.start, end: v.end } : null,
    followUpSurvey: v.followUpSurvey,
  };
}
