// The validation messages of the survey definition module are in English; the builder shows them in
// Chinese when the UI is in Chinese (unknown messages stay as they are).
import type { UiLocale } from '$lib/i18n';

const ZH: [RegExp, string][] = [
  [/^Locale (\S+) is listed twice$/, '语言 $1 重复'],
  [/^The default locale (\S+) must be one of the survey's locales$/, '默认语言 $1 必须是问卷的语言之一'],
  [/^Missing text in the default locale \((\S+)\)$/, '缺少默认语言（$1）的文字'],
  [/^Unknown placeholder \{(.+)\}$/, '未知的占位符 {$1}'],
  [/^Duplicate page id "(.+)" \(also (.+)\)$/, '页面 ID “$1” 重复（另见 $2）'],
  [/^Duplicate question id "(.+)" \(also (.+)\)$/, '问题 ID “$1” 重复（另见 $2）'],
  [/^Question id "(.+)" is already the id of a page$/, '问题 ID “$1” 已被页面使用'],
  [/^Duplicate choice id "(.+)" \(also (.+)\)$/, '选项 ID “$1” 重复（另见 $2）'],
  [/^maxChoices \((\d+)\) is more than the (\d+) choices$/, '最多可选数（$1）超过了选项数（$2）'],
  [/^Duplicate item id "(.+)" \(also (.+)\)$/, '项目 ID “$1” 重复（另见 $2）'],
  [/^Unknown question id "(.+)" in logic$/, '显示逻辑中的问题 ID “$1” 不存在'],
  [/^The logic of "(.+)" refers to itself \(cycle\)$/, '“$1” 的显示逻辑引用了自身（循环）'],
  [/^Logic may only refer to questions asked earlier; "(.+)" comes later \(forward reference or cycle\)$/, '显示逻辑只能引用前面的问题；“$1” 在后面（前向引用或循环）'],
  [/^"item" only applies to matrix questions; "(.+)" is (\S+)$/, '只有矩阵题才有项目；“$1” 是 $2 题'],
  [/^Unknown item id "(.+)" of question "(.+)" in logic$/, '显示逻辑中问题 “$2” 的项目 “$1” 不存在'],
  [/^Value must be an integer from (-?\d+) to (-?\d+) for "(.+)"$/, '“$3” 的值必须是 $1 到 $2 之间的整数'],
  [/^Operator (\S+) does not apply to the choice question "(.+)" \(use eq, neq, in, not_in\)$/, '运算符 $1 不适用于选择题 “$2”（可用：等于、不等于、属于、不属于）'],
  [/^Unknown choice id "(.*)" of question "(.+)" in logic$/, '显示逻辑中问题 “$2” 的选项 “$1” 不存在'],
  [/^Operator (\S+) on the matrix question "(.+)" needs an "item"$/, '矩阵题 “$2” 使用运算符 $1 时须选择项目'],
  [/^Operator (\S+) does not apply to the (\S+) question "(.+)" \(use answered, not_answered\)$/, '运算符 $1 不适用于 $2 题 “$3”（可用：已回答、未回答）'],
  [/^A dimension weight must not be negative$/, '维度权重不能为负数'],
  [/^An item weight must not be negative$/, '项目权重不能为负数'],
  [/^Unknown question id "(.+)" in dimension "(.+)"$/, '维度 “$2” 中的问题 “$1” 不存在'],
  [/^Matrix question "(.+)": choose the item \(itemId\) that belongs to the dimension$/, '矩阵题 “$1”：请选择属于该维度的项目'],
  [/^Unknown item id "(.+)" of question "(.+)" in dimension "(.+)"$/, '维度 “$3” 中问题 “$2” 的项目 “$1” 不存在'],
  [/^"(.+)" is not a matrix question; it has no items$/, '“$1” 不是矩阵题，没有项目'],
  [/^Only csat, rating and matrix questions can belong to a dimension; "(.+)" is (\S+)$/, '只有 CSAT、评分题和矩阵题可以归入维度；“$1” 是 $2 题'],
  [/^"(.+)" is already assigned \((.+)\)$/, '“$1” 已归入其他维度（$2）'],
  [/^All item weights of dimension "(.+)" are 0$/, '维度 “$1” 的所有项目权重都为 0'],
  [/^All dimension weights are 0$/, '所有维度权重都为 0'],
  [/^Unknown question id "(.+)"$/, '问题 “$1” 不存在'],
  [/^The recommend outcome must be an nps question; "(.+)" is (\S+)$/, '推荐意愿指标必须是 NPS 题；“$1” 是 $2 题'],
  [/^The overall outcome must be a csat or rating question; "(.+)" is (\S+)$/, '总体满意度指标必须是 CSAT 或评分题；“$1” 是 $2 题'],
  [/^Must match .*lower-case letter.*$/, 'ID 须以小写字母开头，只含小写字母、数字和下划线（最多 64 个字符）'],
  [/^Too big: expected number to be <=(\d+)$/, '不能大于 $1'],
  [/^Too small: expected number to be >=(\d+)$/, '不能小于 $1'],
  [/^Too small: expected array to have >=1 items?$/, '至少需要一项'],
  [/^Invalid input: expected number, received (\S+)$/, '请输入数字'],
  [/^Invalid input: expected int, received (\S+)$/, '请输入整数'],
  [/^Invalid input: expected object, received undefined$/, '必填'],
  [/^Expected a value: a number, or a choice id$/, '请填写值：数字或选项'],
];

export function issueMessage(message: string, ui: UiLocale): string {
  if (ui !== 'zh-CN') return message;
  for (const [re, zh] of ZH) if (re.test(message)) return message.replace(re, zh);
  return message;
}
