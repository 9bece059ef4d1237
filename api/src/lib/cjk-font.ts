// Noto Sans SC, regular and bold (Latin, digits and CJK), shipped inside the npm package
// @expo-google-fonts/noto-sans-sc (SIL OFL): Chinese text is drawn on a machine without any system font,
// and a fresh clone needs only `npm install`. Used by the open-link posters, the report charts and the report PDF.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The font files' paths. */
export const CJK_FONT_PATHS = {
  regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
};

let fontFiles: Promise<{ regular: Buffer; bold: Buffer }> | undefined;

/** The font files' bytes, read once per process (about 10 MB each; PDFKit embeds only the glyphs used). */
export function cjkFontFiles(): Promise<{ regular: Buffer; bold: Buffer }> {
  fontFiles ??= Promise.all([readFile(CJK_FONT_PATHS.regular), readFile(CJK_FONT_PATHS.bold)]).then(([regular, bold]) => ({ regular, bold }));
  return fontFiles;
}
