// The text of a PDF, page by page: pdftotext when the machine has it (poppler-utils), else pdfjs-dist (npm,
// a devDependency of tests), so the check works on a fresh clone after `npm install` alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** All text of the PDF, whitespace runs folded to one space (so table cells read "NPS 42.3 38.1 +4.2"). */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  if (hasPdftotext()) {
    const dir = mkdtempSync(join(tmpdir(), 'pdf-text-'));
    try {
      writeFileSync(join(dir, 'in.pdf'), pdf);
      execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'in.pdf'), join(dir, 'out.txt')]);
      return execFileSync('cat', [join(dir, 'out.txt')])
        .toString('utf8')
        .replace(/\s+/g, ' ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? ' ' : ''}` : '')).join(' '));
  }
  await doc.destroy();
  return pages.join(' ').replace(/\s+/g, ' ');
}
