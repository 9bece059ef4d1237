/** A finished rental as the rental system reports it to POST /api/rentals. */
export function rentalPayload(n: number, overrides: Record<string, unknown> = {}) {
  return {
    externalId: `RA-T-${n}`,
    customer: { externalId: `C-T-${n}`, name: `客户${n}`, email: `c${n}@example.com`, preferredLanguage: 'zh-CN' },
    pickupBranch: { code: 'SH01', name: '上海虹桥机场店', city: '上海', region: '华东' },
    returnBranch: 'SH01',
    vehicleClass: 'suv',
    pickedUpAt: '2026-05-28T09:00:00+08:00',
    returnedAt: '2026-05-31T18:00:00+08:00',
    amount: 1280,
    bookingChannel: 'app',
    ...overrides,
  };
}

export function tokenFromLink(link: string): string {
  const match = /\/s\/([A-Za-z0-9_-]{22})$/.exec(link);
  if (!match) throw new Error(`not a survey link: ${link}`);
  return match[1];
}
