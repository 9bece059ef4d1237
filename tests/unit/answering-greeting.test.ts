// The post-rental greeting sets the customer's name apart in every language, and reads cleanly without one.
import { describe, expect, it } from 'vitest';
import { pipeLocalized, pipeText } from '@rs/survey-definition';
import { findTemplate } from '../../survey-templates/index.ts';

const intro = findTemplate('post-rental')!.definition.intro!;
const facts = (name: string) => ({ customer: { name }, branch: { name: '上海虹桥机场店' }, rental: { vehicleClass: 'SUV' } });

describe('post-rental greeting', () => {
  it('puts a separator between the greeting and the name', () => {
    expect(pipeLocalized(intro, facts('测试 客户1'), 'zh-CN', 'zh-CN')).toMatch(/^您好，测试 客户1！感谢您选择我们！/);
    expect(pipeLocalized(intro, facts('測試 客戶1'), 'zh-TW', 'zh-CN')).toMatch(/^您好，測試 客戶1！感謝您選擇我們！/);
    expect(pipeLocalized(intro, facts('Test Customer1'), 'en', 'zh-CN')).toMatch(/^Hello Test Customer1, thank you/);
  });

  it('drops the separator with a missing name', () => {
    expect(pipeLocalized(intro, facts(''), 'zh-CN', 'zh-CN')).toMatch(/^您好！感谢您选择我们！/);
    expect(pipeLocalized(intro, facts(''), 'en', 'zh-CN')).toMatch(/^Hello, thank you/);
    expect(pipeText('Hello, {customer.name}!', {}, 'en')).toBe('Hello!');
    expect(pipeText('a, {customer.name}, b', {}, 'en')).toBe('a, b');
  });
});
