import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsker, type Asker } from '../../src/answering/ask.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { buildSeedIndex, seedsWith } from '../support/seed-index.js';

// A report written for this test: two members introduced by a sentence that only names their
// topic (同样关注…, 也关注…), then what they proposed; a third whose introduction is the topic itself.
const REPORT = `房山区政协召开专题协商会 委员建言绿色出行

2026年4月2日，房山区政协召开“推动绿色出行”专题协商会，区政协委员围绕公共交通和慢行系统建言献策。

区政协委员、北京青禾公交服务有限公司总经理严若川同样关注新能源公交。他建议，在新城主干道增设公交专用道，高峰时段实行严格管控，让公交车跑得比私家车快。

区政协委员、北京绿轨出行科技有限公司董事长秦晚舟也关注新能源公交。她建议，开通连接产业园区和居住区的夜间定制公交线路，按乘客预约动态调整站点。

区政协常委、北京慢行城市研究院院长闻述白的发言聚焦共享单车。他建议，在地铁站周边划定电子围栏停车区，引导车辆有序停放。
`;

describe('comparing what members said (extractive)', () => {
  let ask: Asker;
  let index: ForumIndex;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const { dir, seeds, remove } = await seedsWith({ 'bus.txt': REPORT });
    cleanup = remove;
    index = await buildSeedIndex(path.join(dir, 'index'), seeds);
    ask = createAsker({ index });
  }, 60_000);
  afterAll(async () => {
    await index.close();
    await cleanup();
  });

  it('gives each member what they said, not the sentence that only repeats the topic the question names', async () => {
    const result = await ask('严若川和秦晚舟都关注新能源公交，两人的关注点有啥不一样?');
    const lines = result.answer.split('\n');
    expect(lines[0]).toMatch(/^严若川：.*公交专用道/); // before: "…严若川同样关注新能源公交。"
    expect(lines[1]).toMatch(/^秦晚舟：.*夜间定制公交/);
  });

  it('keeps an introduction that names a topic the question does not', async () => {
    const result = await ask('秦晚舟跟闻述白关注的东西有啥不同?');
    expect(result.refused).toBe(false);
    expect(result.answer).toMatch(/闻述白：.*共享单车/);
  });

  it('does not refuse a comparison for the words it is asked with (有什么不同)', async () => {
    const result = await ask('严若川和秦晚舟都关注新能源公交，两人的建议有什么不同?'); // before: refused
    expect(result.refused).toBe(false);
    expect(result.answer).toContain('公交专用道');
    expect(result.answer).toContain('夜间定制公交');
  });
});
