// Where a case came from: a survey answer that matched an alert rule, or a complaint staff took by phone,
// email, at the counter or from social media (complaints.*.ts). Zod-free, so the web app can import it.
export const CASE_CHANNELS = ['survey', 'phone', 'email', 'counter', 'social'] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];

/** The channels staff open a complaint from (every channel but the survey). */
export const COMPLAINT_CHANNELS = ['phone', 'email', 'counter', 'social'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

/** "Complaint by phone" / "电话投诉": what a complaint's case says instead of the survey answers that raise a case. */
export const COMPLAINT_REASON_TEXT: Record<'zh-CN' | 'en', Record<ComplaintChannel, string>> = {
  'zh-CN': { phone: '电话投诉', email: '邮件投诉', counter: '柜台投诉', social: '社交媒体投诉' },
  en: { phone: 'Complaint by phone', email: 'Complaint by email', counter: 'Complaint at the counter', social: 'Complaint on social media' },
};
