// The report as a PDF (pdfkit): the digest's sections and charts on A4. Text is set in Noto Sans SC
// (lib/cjk-font.ts), which pdfkit embeds as a subset of the glyphs used, with a ToUnicode map: Chinese
// stays text that can be searched and copied.
import PDFDocument from 'pdfkit';
import { CJK_FONT_PATHS } from '../lib/cjk-font.ts';
import { hasTargets, periodText, targetWords, type DigestImages, type ReportData } from './digest.ts';
import { fmt, fmtP, fmtSigned, rt } from './texts.ts';

const MARGIN = 48;

export async function renderPdf(report: ReportData, images: DigestImages): Promise<Buffer> {
  const L = report.locale;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `${report.title} ${periodText(report)}`, Author: 'Rental satisfaction', Subject: report.scopeLabel },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', CJK_FONT_PATHS.regular);
  doc.registerFont('bold', CJK_FONT_PATHS.bold);
  const width = doc.page.width - 2 * MARGIN;

  const heading = (text: string, size = 13) => {
    if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
    doc.moveDown(0.6).font('bold').fontSize(size).fillColor('#0f172a').text(text, MARGIN, doc.y, { width });
    doc.moveDown(0.3).font('regular').fontSize(10);
  };
  const line = (text: string, options: { color?: string } = {}) => {
    doc
      .font('regular')
      .fontSize(10)
      .fillColor(options.color ?? '#0f172a')
      .text(text, MARGIN, doc.y, { width });
  };
  /** A table: columns as fractions of the width; the header in bold. */
  const table = (columns: { title: string; width: number }[], rows: string[][]) => {
    const draw = (cells: string[], font: 'regular' | 'bold') => {
      if (doc.y > doc.page.height - MARGIN - 20) doc.addPage();
      const y = doc.y;
      let x = MARGIN;
      let bottom = y;
      cells.forEach((cell, i) => {
        const w = columns[i].width * width;
        doc
          .font(font)
          .fontSize(9.5)
          .fillColor('#0f172a')
          .text(cell, x + 2, y, { width: w - 4 });
        bottom = Math.max(bottom, doc.y);
        x += w;
      });
      doc.y = bottom + 2;
      doc
        .moveTo(MARGIN, doc.y)
        .lineTo(MARGIN + width, doc.y)
        .lineWidth(0.5)
        .strokeColor('#e2e8f0')
        .stroke();
      doc.y += 3;
    };
    draw(
      columns.map((c) => c.title),
      'bold',
    );
    for (const row of rows) draw(row, 'regular');
  };
  const image = (png: Buffer, fit: number) => {
    if (doc.y > doc.page.height - MARGIN - fit) doc.addPage();
    doc.image(png, MARGIN, doc.y, { fit: [width, fit], align: 'center' });
    doc.y += fit + 6;
  };

  doc.font('bold').fontSize(18).fillColor('#0f172a').text(report.title, { width });
  doc.moveDown(0.3);
  line(`${rt(L, 'period')}: ${periodText(report)}${report.previous ? ` · ${rt(L, 'previous')}: ${report.previous.from} – ${report.previous.to}` : ''}`, {
    color: '#475569',
  });
  line(`${rt(L, 'scope')}: ${report.scopeLabel}`, { color: '#475569' });
  line(`${rt(L, 'survey')}: ${report.survey.name} · ${rt(L, 'responses')}: ${report.responses}`, { color: '#475569' });

  heading(rt(L, 'headline'));
  table(
    [
      { title: rt(L, 'metric'), width: 0.15 },
      { title: rt(L, 'value'), width: 0.1 },
      { title: rt(L, 'before'), width: 0.1 },
      { title: rt(L, 'change'), width: 0.1 },
      { title: rt(L, 'significance'), width: 0.2 },
      { title: rt(L, 'n'), width: 0.07 },
      { title: rt(L, 'target'), width: 0.09 },
      { title: rt(L, 'targetStatus'), width: 0.19 },
    ],
    report.headline.map((h) => [
      rt(L, h.metric),
      fmt(h.value),
      fmt(h.previous),
      fmtSigned(h.change),
      h.p === null ? (h.change === null ? '–' : rt(L, 'untested')) : rt(L, h.significant ? 'significant' : 'notSignificant', { p: fmtP(h.p) }),
      String(h.n),
      h.target ? fmt(h.target.value) : '–',
      targetWords(L, h.target),
    ]),
  );

  heading(rt(L, 'trend'));
  image(images.trend, 220);

  heading(rt(L, 'league'));
  image(images.league, Math.min(360, 40 + report.league.length * 18));
  table(
    [
      { title: rt(L, 'rank'), width: 0.07 },
      { title: rt(L, 'branch'), width: 0.33 },
      { title: 'NPS', width: 0.1 },
      { title: rt(L, 'change'), width: 0.1 },
      { title: rt(L, 'n'), width: 0.07 },
      { title: rt(L, 'target'), width: 0.1 },
      { title: rt(L, 'targetStatus'), width: 0.23 },
    ],
    report.league.map((r, i) => [
      r.nps === null ? '' : String(i + 1),
      `${r.code} ${r.label}`,
      r.suppressed ? rt(L, 'suppressed') : fmt(r.nps),
      `${fmtSigned(r.change)}${r.significant ? ' *' : ''}`,
      String(r.n),
      r.target ? fmt(r.target.value) : '–',
      targetWords(L, r.target),
    ]),
  );
  if (hasTargets(report)) line(rt(L, 'targetNote'), { color: '#64748b' });

  if (report.movers.length) {
    heading(rt(L, 'movers'));
    for (const m of report.movers) {
      doc
        .font('bold')
        .fontSize(10)
        .fillColor('#0f172a')
        .text(`${m.code} ${m.label}: NPS ${fmtSigned(m.change)}${m.significant ? ' *' : ''}`, MARGIN, doc.y, { width });
      line(m.why);
      doc.moveDown(0.2);
    }
  }

  heading(rt(L, 'topics'));
  if (report.topics.length === 0 && report.phrases.length === 0) line(rt(L, 'noTopics'));
  for (const t of report.topics) {
    line(`${t.label}${t.isNew ? ` (${rt(L, 'topicNew')})` : ''}: ${rt(L, 'topicShare', { share: fmt(t.share), previous: fmt(t.previousShare) })}`);
  }
  if (report.phrases.length) line(`${rt(L, 'phrases')}: ${report.phrases.join(L === 'en' ? ', ' : '、')}`);

  heading(`${rt(L, 'breaches')} (${report.breaches.total})`);
  if (report.breaches.total === 0) line(rt(L, 'noBreaches'));
  else {
    table(
      [
        { title: rt(L, 'case'), width: 0.1 },
        { title: rt(L, 'branch'), width: 0.36 },
        { title: rt(L, 'priority'), width: 0.12 },
        { title: rt(L, 'status'), width: 0.14 },
        { title: rt(L, 'due'), width: 0.28 },
      ],
      report.breaches.rows.map((b) => [
        `#${b.number}`,
        b.branch,
        b.priority,
        b.status,
        `${b.due} (${rt(L, b.kind === 'first_response' ? 'firstResponse' : 'resolution')})`,
      ]),
    );
    if (report.breaches.total > report.breaches.rows.length) line(rt(L, 'more', { n: report.breaches.total - report.breaches.rows.length }));
  }

  doc.moveDown(1);
  line(`${report.generatedAt} (${report.timeZone}) · ${report.dashboardUrl}`, { color: '#64748b' });
  doc.end();
  return done;
}
