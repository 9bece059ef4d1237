// Words that carry no topic of their own: left out of frequent words and phrases.
export const ZH_STOP = new Set(
  (
    '的 了 是 我 我们 你 你们 他 她 它 他们 也 都 就 在 有 和 与 及 或 但 但是 而 并 很 非常 比较 有点 一点 一些 一下 这 那 这个 那个 这次 那次 ' +
    '这里 那里 一个 一次 一直 没有 没 不 太 多 少 会 能 可以 要 想 让 给 被 把 对 又 再 才 已经 吗 呢 吧 啊 呀 哦 嗯 着 过 得 地 之 其 ' +
    '所以 因为 如果 虽然 就是 然后 这样 那样 什么 怎么 为什么 哪里 时候 自己 大家 真的 挺 特别 感觉 觉得 总体 整体 还算 一般 下次 以后 等等 ' +
    '还 时 说 一 到 去 来 上 下 里 中 后 前 车 车子 车辆 还是 只能 结果 其实 不是 好几 半天 还有 而且 只有 一路 直接 出来 知道 起来'
  ).split(/\s+/),
);

export const EN_STOP = new Set(
  (
    'a an the and or but if then so to of in on at by for with from as is are was were be been being am it its this that these those ' +
    'i me my we our you your he she they them their his her there here what which who whom when where why how all any both each few more ' +
    'most other some such no nor not only own same than too very can could will would should shall may might must do does did done doing ' +
    'have has had having just also again about above after before below between into through during out over under up down off once ' +
    'get got go went one two us im ive dont didnt wasnt isnt really quite bit lot much many well even still'
  ).split(/\s+/),
);

/** Words too common in rental comments to be an "other frequent phrase" (themes still count them). */
export const EN_PHRASE_STOP = new Set(
  'car vehicle rental rent time take make way back like said say told come came give gave use used thing everything anything nothing something'.split(' '),
);
