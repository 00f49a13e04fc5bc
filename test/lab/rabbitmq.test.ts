// RabbitMQ under pause_minority in the lab: the majority side keeps its brokers running, a
// minority pauses, as the what-if says; one boot, the two region losses one after the other.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectAllAgree, failures, lab, requireLab, result } from './lab-helpers.js';
import { galeraRegions } from './topologies.js';

const TWO_PLUS_ONE = `topology rabbit "RabbitMQ 2 + 1"
${galeraRegions({ r1: ['a1', 'a2'], r2: ['b1'] }, { base: 51, allow: '4369, 5672, 25672' })}
rabbitmq mq {
  members a1, a2, b1
  partition_handling pause_minority
}
`;

beforeAll(() => requireLab());

describe('RabbitMQ in the lab', () => {
    it('2 + 1: losing r2 keeps the r1 brokers running (b1 pauses); losing r1 leaves b1 paused and r1 running on its own', async () => {
        const report = await lab(TWO_PLUS_ONE, [failures('region:r2'), failures('region:r1')]);
        expectAllAgree(report);
        const [lostSmall, lostBig] = report.results.filter(
            r => r.subject === 'rabbitmq:mq' && r.claim.includes('surviving')
        );
        expect(lostSmall.observed).toBe('a1 running (sees 2 nodes); a2 running (sees 2 nodes)');
        expect(lostBig.predicted).toMatch(/^paused/);
        expect(lostBig.observed).toBe('b1 paused');
        expect(result(report, 'rabbitmq:mq', 'inside region r2').observed).toBe('b1 paused');
        expect(result(report, 'rabbitmq:mq', 'inside region r1').observed).toMatch(/^a1 running.*a2 running/);
    }, 240_000);
});
