// Demo data for brands: two brands of one rental group (East and North China under one, the south and west
// under the other), each with a small generated logo, colours that keep WCAG AA contrast, a sender and a
// legal footer. Called from seedDemoData inside its transaction.
import { deflateSync } from 'node:zlib';
import { inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { branches, brands } from '../db/schema.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export const DEMO_BRANDS = [
  {
    code: 'CITY',
    name: '城市租车',
    nameEn: 'City Rent',
    primaryColor: '#004b87',
    onPrimaryColor: '#ffffff',
    senderName: '城市租车客户服务',
    senderEmail: 'care@cityrent.example.com',
    smsSender: '城市租车',
    legalFooter: '城市租车（上海）有限公司 · 上海市长宁区示例路 1 号 · 客服 400-000-0001',
    legalFooterEn: 'City Rent (Shanghai) Co., Ltd · 1 Example Road, Changning, Shanghai · 400-000-0001',
    regions: ['华东', '华北'],
  },
  {
    code: 'COAST',
    name: '海岸租车',
    nameEn: 'Coast Rent',
    primaryColor: '#0b6e4f',
    onPrimaryColor: '#ffffff',
    senderName: '海岸租车',
    senderEmail: 'hello@coastrent.example.com',
    smsSender: '海岸租车',
    legalFooter: '海岸租车（广州）有限公司 · 广州市白云区示例路 8 号 · 客服 400-000-0002',
    legalFooterEn: 'Coast Rent (Guangzhou) Co., Ltd · 8 Example Road, Baiyun, Guangzhou · 400-000-0002',
    regions: ['华南', '西南', '西北'],
  },
] as const;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 160 × 40 PNG: the brand colour with a lighter band, as a stand-in logo. */
export function demoLogo(hex: string): Buffer {
  const [w, h] = [160, 40];
  const rgb = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      const band = y > 14 && y < 26 && x > 12 && x < 148;
      rgb.forEach((v, i) => {
        row[1 + x * 3 + i] = band ? Math.round(v + (255 - v) * 0.7) : v;
      });
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function seedDemoBrands(tx: Tx, { now }: { now: Date }) {
  for (const { regions, ...brand } of DEMO_BRANDS) {
    const [row] = await tx
      .insert(brands)
      .values({ ...brand, logo: demoLogo(brand.primaryColor), logoType: 'image/png', logoUpdatedAt: now, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: brands.id });
    if (row)
      await tx
        .update(branches)
        .set({ brandId: row.id })
        .where(inArray(branches.region, [...regions]));
  }
}
