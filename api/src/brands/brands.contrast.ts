// WCAG 2.1 contrast (success criterion 1.4.3, level AA): relative luminance and contrast ratio of sRGB
// colours, and the rules a brand's colours must keep (checked on save).
import type { ProblemFieldError } from '../lib/problem.ts';

export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
/** Page background and body text of the survey page and the e-mails. */
export const PAGE_BACKGROUND = '#ffffff';
/** AA for normal text. */
export const AA_TEXT = 4.5;

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of #rrggbb (WCAG 2.1 definition). */
export function relativeLuminance(hex: string): number {
  if (!HEX_COLOUR.test(hex)) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 0xff) + 0.7152 * channel((n >> 8) & 0xff) + 0.0722 * channel(n & 0xff);
}

/** (L1 + 0.05) / (L2 + 0.05), the lighter over the darker: 1 … 21. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * The brand colour is used for buttons, links and headings on the white page, and the text colour on the
 * brand colour (button labels, the header bar): both pairs need 4.5:1. Each failure names its field.
 */
export function contrastFaults(colours: { primaryColor: string; onPrimaryColor: string }): ProblemFieldError[] {
  const faults: ProblemFieldError[] = [];
  const onPage = contrastRatio(colours.primaryColor, PAGE_BACKGROUND);
  if (onPage < AA_TEXT) {
    faults.push({
      path: 'primaryColor',
      code: 'contrast',
      message: `${colours.primaryColor} on the white page has a contrast ratio of ${onPage.toFixed(2)}:1; WCAG AA needs ${AA_TEXT}:1`,
      params: { ratio: Number(onPage.toFixed(2)), required: AA_TEXT },
    });
  }
  const onBrand = contrastRatio(colours.onPrimaryColor, colours.primaryColor);
  if (onBrand < AA_TEXT) {
    faults.push({
      path: 'onPrimaryColor',
      code: 'contrast',
      message: `${colours.onPrimaryColor} on ${colours.primaryColor} has a contrast ratio of ${onBrand.toFixed(2)}:1; WCAG AA needs ${AA_TEXT}:1`,
      params: { ratio: Number(onBrand.toFixed(2)), required: AA_TEXT },
    });
  }
  return faults;
}
