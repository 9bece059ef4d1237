import { describe, expect, it } from 'vitest';
import { PIPING_PLACEHOLDERS, findPlaceholders, localize, pipeLocalized, pipeText, type PipingFacts } from '@rs/survey-definition';

const facts: PipingFacts = {
  customer: { name: '王芳' },
  branch: { name: { 'zh-CN': '浦东机场店', 'zh-TW': '浦東機場店', en: 'Pudong Airport' }, city: '上海' },
  rental: { vehicleClass: 'SUV', pickedUpAt: '2024-05-01T01:05:00Z', returnedAt: '2024-05-03T06:30:00Z', reference: 'R-1001' },
};

describe('placeholders', () => {
  it('exports the allowed list', () => {
    expect(PIPING_PLACEHOLDERS).toEqual(
      expect.arrayContaining(['customer.name', 'branch.name', 'rental.vehicleClass', 'rental.pickedUpAt', 'rental.returnedAt']),
    );
    expect(PIPING_PLACEHOLDERS).not.toContain('customer.email');
  });
  it('finds placeholders but not other braces', () => {
    expect(findPlaceholders('Hi {customer.name}, {1} { x } {branch.name}{foo}')).toEqual(['customer.name', 'branch.name', 'foo']);
  });
});

describe('pipeText', () => {
  it('fills strings and localized facts', () => {
    expect(pipeText('您好{customer.name}，欢迎再次光临{branch.name}（{branch.city}）', facts, 'zh-CN')).toBe('您好王芳，欢迎再次光临浦东机场店（上海）');
    expect(pipeText('Your {rental.vehicleClass} from {branch.name}', facts, 'en')).toBe('Your SUV from Pudong Airport');
    expect(pipeText('{branch.name}', facts, 'zh-TW')).toBe('浦東機場店');
  });

  it('a localized fact missing in the locale falls back', () => {
    const f: PipingFacts = { branch: { name: { 'zh-CN': '虹桥店' } } };
    expect(pipeText('At {branch.name}.', f, 'en', { fallbackLocale: 'zh-CN' })).toBe('At 虹桥店.');
  });

  it('formats dates per locale in the given time zone', () => {
    const zh = pipeText('您于{rental.returnedAt}还车', facts, 'zh-CN', { timeZone: 'Asia/Shanghai' });
    expect(zh).toContain('2024年5月3日');
    expect(zh).toContain('14:30'); // 06:30 UTC = 14:30 in Shanghai
    const en = pipeText('Returned {rental.returnedAt}', facts, 'en', { timeZone: 'Asia/Shanghai' });
    expect(en).toContain('May 3, 2024');
    expect(en).toMatch(/2:30\sPM/);
    // another time zone moves the clock (and here the day)
    const utc = pipeText('{rental.pickedUpAt}', facts, 'zh-CN', { timeZone: 'America/Los_Angeles' });
    expect(utc).toContain('2024年4月30日');
    expect(utc).toContain('18:05');
  });

  it('takes the time zone from the facts when no option is given', () => {
    expect(pipeText('{rental.returnedAt}', { ...facts, timeZone: 'UTC' }, 'zh-CN')).toContain('06:30');
  });

  it('a date-only value has no time and does not shift by time zone', () => {
    const s = pipeText('{rental.returnedAt}', { rental: { returnedAt: '2024-05-03' } }, 'zh-CN', { timeZone: 'America/Los_Angeles' });
    expect(s).toBe('2024年5月3日');
  });

  it('accepts Date objects', () => {
    expect(pipeText('{rental.returnedAt}', { rental: { returnedAt: new Date('2024-05-03T06:30:00Z') } }, 'en', { timeZone: 'UTC' })).toContain('6:30');
  });

  it('leaves missing or unknown placeholders out cleanly', () => {
    expect(pipeText('Hi {customer.name}, thanks!', {}, 'en')).toBe('Hi, thanks!');
    expect(pipeText('您好{customer.name}，感谢！', {}, 'zh-CN')).toBe('您好，感谢！');
    expect(pipeText('Your {rental.vehicleClass} car', {}, 'en')).toBe('Your car');
    expect(pipeText('{customer.name} welcome', {}, 'en')).toBe('welcome');
    expect(pipeText('Hello {customer.email}.', facts, 'en')).toBe('Hello.');
    expect(pipeText('（订单 {rental.reference}）', {}, 'zh-CN')).toBe('（订单）');
    expect(pipeText('on {rental.returnedAt} at {branch.name}', { rental: { returnedAt: 'not a date' } }, 'en')).toBe('on at');
  });

  it('keeps empty strings and nulls out like missing values', () => {
    expect(pipeText('Hi {customer.name}!', { customer: { name: '  ' } }, 'en')).toBe('Hi!');
    expect(pipeText('Hi {customer.name}!', { customer: { name: null } }, 'en')).toBe('Hi!');
  });

  it('text without placeholders is returned unchanged', () => {
    expect(pipeText('  {not a placeholder}  ', facts, 'en')).toBe('  {not a placeholder}  ');
  });
});

describe('localize / pipeLocalized', () => {
  it('falls back to the default locale, then to any text; empty counts as missing', () => {
    expect(localize({ en: 'Hi', 'zh-CN': '你好' }, 'zh-CN', 'en')).toBe('你好');
    expect(localize({ en: 'Hi', 'zh-CN': '' }, 'zh-CN', 'en')).toBe('Hi');
    expect(localize({ 'zh-TW': '妳好' }, 'en', 'zh-CN')).toBe('妳好');
    expect(localize(undefined, 'en', 'zh-CN')).toBe('');
  });
  it('pipeLocalized localizes then pipes', () => {
    expect(pipeLocalized({ 'zh-CN': '您好{customer.name}' }, facts, 'en', 'zh-CN')).toBe('您好王芳');
  });
});
