// Function words and interrogatives: no topic of their own, left out of keyword search.
const FUNCTION_WORDS = `的 了 和 与 及 或 在 是 为 对 把 被 将 从 向 以 于 由 也 都 就 还 又 并 而 等 这 那 其 之 所
  着 过 吗 呢 吧 啊 中 上 下 里 个 一 有 没有 不 要 会 能 可以 我们 他们 她们 你们 它 他 她 我 你 这些 那些 这个 那个
  一个 以及 并且 而且 同时 因此 但是 但 如果 因为 所以 其中 此外 已经 是否 是不是 请问 请 一下
  就是 也就是 即 亦即 也是 还是 只是 就 即是 这一 那一 此 此次 这种 那种 这样 那样 这里 那里`;
const INTERROGATIVES = `什么 哪些 哪个 哪家 哪位 哪两位 哪几位 哪里 哪儿 哪 哪一 哪次 哪天 哪年 哪一天 多少 几 几个 几次
  怎么 怎样 如何 为什么 谁 是谁 什么样 怎么样 哪方面 哪项 哪种 哪类 哪所 哪座 哪条 何种 何处 何时 何地 何人 何样`;

export const STOPWORDS: ReadonlySet<string> = new Set(
  `${FUNCTION_WORDS} ${INTERROGATIVES}`.split(/\s+/).filter(Boolean),
);

// Words a question is framed with ("what is his post", "which did she propose", "please
// introduce") rather than the thing it asks about. The answer rarely repeats them, so they do
// not count when deciding whether the articles cover a question. Abstract category nouns name
// the kind of answer (何种状态, 什么方式, 哪些方面), not its words; the words a comparison is
// asked with (有何不同, 异同, 相比) are its shape, and the articles state each side apart.
const FRAME_WORDS = `介绍 告诉 说说 分别 具体 主要 内容 情况 问题 提到 提及 提出 谈到 认为 表示 说 讲 谈 有关 关于
  职务 职位 身份 单位 任职 担任 工作 举例 例子 希望 期望 打算 期间 时候 时间 日期 地点 委员 代表 建议 提议 主张 观点 看法
  发言 报道 文章 新闻 两篇 两年 两位 这位 那位 该 都 分别是 一共 总共 哪些 方面 领域 措施 举措 做法 主题 名称 名字 全称 叫 称为 叫做
  状态 方式 方法 类型 种类 形式 途径 手段 角度 层面 环节 侧重 侧重点 关注点 重心 焦点
  不同 相同 异同 差异 相比 对比 比较`;

export const FRAME_WORD_SET: ReadonlySet<string> = new Set(FRAME_WORDS.split(/\s+/).filter(Boolean));

// The chat register's function words, interrogatives and requests (啥/咋/为啥/俩, 这回/那场,
// 帮我捋一捋, 列一下), and its catch-all nouns (关注的东西, 啥事儿): how people type a question,
// never what it is about.
const COLLOQUIAL_WORDS = `上班 干活 咋 咋样 咋说 咋用 咋办 为啥 干嘛 干啥 啥样 啥事 有啥 是啥 叫啥 说啥 咋回事 怎么回事 这回 那回 这次 那次 这场 那场
  这份 那份 这家 那家 这位 那个 那些 俩 俩人 仨 咱 咱们 嘛 呀 哈 哦 噢 呗 啦 咯 嘞 么 捏 滴 求 求解 求问 帮我 帮忙 麻烦
  捋 捋一捋 列 列一下 能列 说下 讲讲 讲下 聊 聊聊 聊了 提了 说了 讲了 给力 大概 到底 究竟 具体点 原话 那么 这么 哪块 哪块儿
  哪几 几条 几点 几项 能不能 可不可以 有没有 知道 想问 问下 一样 不一样 区别 差别 就行 简单 简短 总结 总结下 概括 一句话 重点
  东西 玩意儿 事儿`;

export const COLLOQUIAL_SET: ReadonlySet<string> = new Set(COLLOQUIAL_WORDS.split(/\s+/).filter(Boolean));
