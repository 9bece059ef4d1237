// Demo open links (QR codes): a counter and a shuttle-bus code at Shanghai Hongqiao, the counter at Beijing
// Capital and Guangzhou Baiyun, with answers over the last eight weeks (a few linked to a verified rental),
// and the invitation emails of the last 30 days that carried the first question, some answered there.
import { randomBytes } from 'node:crypto';
import type { SurveyDefinition } from '@rs/survey-definition';
import { toAnswerRows } from '@rs/survey-definition';
import type { Database } from '../db/client.ts';
import { answers, openLinkResponses, openLinks, responses } from '../db/schema.ts';
import { createRandom, clamp01 } from '../lib/random.ts';
import { txSql } from '../queue/queue.ts';
import { simulateAnswers } from './simulate-answers.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

const LINKS = [
  { branch: 'SH01', tag: null, answers: 46, quality: 0.8 },
  { branch: 'SH01', tag: '接驳车 1号 / Shuttle 1', answers: 23, quality: 0.86 },
  { branch: 'BJ01', tag: null, answers: 31, quality: 0.72 },
  { branch: 'GZ01', tag: '柜台 A / Counter A', answers: 18, quality: 0.78 },
] as const;

export async function seedDemoOpenLinks(
  tx: Tx,
  input: { surveyId: string; versionId: string; definition: SurveyDefinition; now: Date; seed: number; branchByCode: Map<string, string> },
) {
  const random = createRandom(input.seed);
  const sql = txSql(tx);
  const dimensions = input.definition.dimensions.map((d) => d.id);
  for (const spec of LINKS) {
    const branchId = input.branchByCode.get(spec.branch);
    if (!branchId) continue;
    const [link] = await tx
      .insert(openLinks)
      .values({
        slug: randomBytes(9).toString('base64url'),
        surveyId: input.surveyId,
        branchId,
        tag: spec.tag,
        createdAt: new Date(input.now.getTime() - 60 * 86_400_000),
      })
      .returning({ id: openLinks.id });
    // Rentals of the branch returned in the last weeks: about one answer in six names one.
    const recent = await sql<{ id: string; customer_id: string; returned_at: Date }[]>`
      select id, customer_id, returned_at from rentals
      where return_branch_id = ${branchId} and returned_at >= ${new Date(input.now.getTime() - 56 * 86_400_000).toISOString()}::timestamptz
      order by returned_at limit 200`;
    for (let i = 0; i < spec.answers; i++) {
      const finishedAt = new Date(input.now.getTime() - random.int(1, 56 * 24) * 3_600_000);
      const locale = random.chance(0.8) ? 'zh-CN' : 'en';
      const felt = clamp01(spec.quality + random.normal() * 0.18);
      const experience = {
        dimensions: Object.fromEntries(dimensions.map((d) => [d, clamp01(felt + random.normal() * 0.1)])),
        overall: felt,
        locale,
      };
      const values = simulateAnswers(input.definition, experience, random);
      const rental = recent.length > 0 && random.chance(0.17) ? random.pick(recent) : null;
      const duration = random.int(40, 240) * 1000;
      const [response] = await tx
        .insert(responses)
        .values({
          surveyId: input.surveyId,
          surveyVersionId: input.versionId,
          branchId,
          customerId: rental?.customer_id ?? null,
          rentalId: rental?.id ?? null,
          locale,
          status: 'finished',
          source: 'web',
          startedAt: new Date(finishedAt.getTime() - duration),
          finishedAt,
          durationMs: duration,
          updatedAt: finishedAt,
        })
        .returning({ id: responses.id });
      const rows = toAnswerRows(input.definition, values);
      if (rows.length > 0) await tx.insert(answers).values(rows.map((r) => ({ ...r, responseId: response.id })));
      await tx
        .insert(openLinkResponses)
        .values({ responseId: response.id, openLinkId: link.id, tag: spec.tag, rentalVerified: rental !== null, createdAt: finishedAt });
    }
  }
  // Emails of the last 30 days carried the first question; a third of those finished were answered there first.
  await sql`
    insert into email_first_question (invitation_id, question_id, shown_at, score, clicked_at, clicks)
    select i.id, 'q_nps', i.sent_at,
      case when r.status = 'finished' and abs(hashtext(i.id::text)) % 3 = 0 then a.value_number::smallint end,
      case when r.status = 'finished' and abs(hashtext(i.id::text)) % 3 = 0 then i.opened_at end,
      case when r.status = 'finished' and abs(hashtext(i.id::text)) % 3 = 0 then 1 else 0 end
    from invitations i
    left join responses r on r.invitation_id = i.id
    left join answers a on a.response_id = r.id and a.question_id = 'q_nps'
    where i.survey_id = ${input.surveyId} and i.channel = 'email' and i.sent_at is not null
      and i.sent_at >= ${new Date(input.now.getTime() - 30 * 86_400_000).toISOString()}::timestamptz
    on conflict (invitation_id) do nothing`;
}
