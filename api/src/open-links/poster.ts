// The printed side of an open link: the QR code (PNG) and the A4 / A5 poster and table card (PDF) with
// the branch name in Chinese and English. The Chinese text is set in Noto Sans SC (lib/cjk-font.ts).
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { cjkFontFiles } from '../lib/cjk-font.ts';

/** The QR code of a link as PNG; error correction M survives a scuffed sticker. */
export function qrPng(url: string, width = 600): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width });
}

export interface PosterText {
  url: string;
  branchName: string;
  branchNameEn: string | null;
  tag: string | null;
}

type Format = 'a4' | 'a5' | 'card';

// Page sizes in PostScript points (1/72 inch).
const SIZES: Record<Format, [number, number]> = { a4: [595.28, 841.89], a5: [419.53, 595.28], card: [297.64, 419.53] };

/** The poster or card as a PDF (one page; the card is an A6 page to stand in a holder or fold). */
export async function posterPdf(text: PosterText, format: Format): Promise<Buffer> {
  const [{ regular, bold }, qr] = await Promise.all([cjkFontFiles(), qrPng(text.url, 900)]);
  const [width, height] = SIZES[format];
  const scale = width / SIZES.a4[0];
  const doc = new PDFDocument({
    size: [width, height],
    margin: 0,
    info: { Title: `${text.branchName} — feedback`, Author: 'Rental Satisfaction', Subject: text.url },
  });
  doc.registerFont('cjk', regular);
  doc.registerFont('cjk-bold', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const margin = 40 * scale;
  const inner = width - 2 * margin;
  // Band at the top with the two lines of the call to action.
  doc.rect(0, 0, width, 150 * scale).fill('#0b57d0');
  doc
    .fillColor('#ffffff')
    .font('cjk-bold')
    .fontSize(34 * scale);
  doc.text('扫码评价您的租车体验', margin, 36 * scale, { width: inner, align: 'center' });
  doc.font('cjk').fontSize(18 * scale);
  doc.text('Scan to rate your rental', margin, 92 * scale, { width: inner, align: 'center' });

  // The QR code, as large as the page allows.
  const qrSize = Math.min(inner, height * 0.5);
  const qrTop = 180 * scale;
  doc.image(qr, (width - qrSize) / 2, qrTop, { width: qrSize, height: qrSize });

  let y = qrTop + qrSize + 20 * scale;
  doc
    .fillColor('#1a1f29')
    .font('cjk-bold')
    .fontSize(26 * scale);
  doc.text(text.branchName, margin, y, { width: inner, align: 'center' });
  y = doc.y + 4 * scale;
  if (text.branchNameEn) {
    doc
      .font('cjk')
      .fontSize(16 * scale)
      .fillColor('#454d5c');
    doc.text(text.branchNameEn, margin, y, { width: inner, align: 'center' });
    y = doc.y + 4 * scale;
  }
  if (text.tag) {
    doc
      .font('cjk')
      .fontSize(14 * scale)
      .fillColor('#454d5c');
    doc.text(text.tag, margin, y, { width: inner, align: 'center' });
    y = doc.y + 4 * scale;
  }
  doc
    .font('cjk')
    .fontSize(11 * scale)
    .fillColor('#525a6b');
  doc.text('约 1 分钟 · 匿名 · 可选填租车单号以便我们跟进', margin, height - 70 * scale, { width: inner, align: 'center' });
  doc.text('About 1 minute · anonymous · add your rental number if you want us to follow up', margin, doc.y + 2 * scale, { width: inner, align: 'center' });
  doc.fontSize(9 * scale).fillColor('#7a8191');
  doc.text(text.url, margin, height - 28 * scale, { width: inner, align: 'center' });
  doc.end();
  return done;
}
