// schemas/hatopo.schema.json (completion and checks of rule ids in hatopo.json, for VS Code's and
// any JSON language server) is generated from the rule catalogue; regenerate with
// `npx vitest run test/settings-schema.test.ts -u`.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../language/analysis/settings.js';
import { RULES } from '../language/analysis/rules.js';
import { settingsSchema } from '../language/lsp/hatopo-settings-schema.js';

const root = path.resolve(import.meta.dirname, '..');

describe('the hatopo.json schema', () => {
    it('is the one the rule catalogue gives', async () => {
        await expect(`${JSON.stringify(settingsSchema(), null, 2)}\n`).toMatchFileSnapshot(
            '../schemas/hatopo.schema.json'
        );
    });

    it('names every rule id with its severities, and the extension points VS Code at it', () => {
        const schema = settingsSchema() as {
            properties: { rules: { properties: Record<string, { enum: string[] }> } };
        };
        expect(Object.keys(schema.properties.rules.properties).sort()).toEqual([...RULES.keys()].sort());
        expect(schema.properties.rules.properties.spof.enum).toEqual(['error', 'warning', 'info', 'off']);
        const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
        expect(manifest.contributes.jsonValidation).toEqual([
            { fileMatch: 'hatopo.json', url: './schemas/hatopo.schema.json' }
        ]);
        // A `$schema` line, as other editors need, is accepted by hatopo itself.
        expect(parseSettings('{"$schema": "./hatopo.schema.json", "rules": {"spof": "off"}}').rules.get('spof')).toBe(
            'off'
        );
    });
});
